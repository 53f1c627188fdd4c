from django.urls import path

from issues.views import releases

urlpatterns = [
    path("releaser/", releases.release_list, name="release_list"),
    path("releaser/<int:pk>/", releases.release_detail, name="release_detail"),
]
