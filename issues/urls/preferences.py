from django.urls import path

from issues.views import preferences

urlpatterns = [
    path("varsler/", preferences.preferences, name="preferences"),
    path("varsler/avmeld/<str:token>/", preferences.unsubscribe, name="unsubscribe"),
]
