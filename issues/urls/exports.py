from django.urls import path

from issues.views import exports

urlpatterns = [
    path("eskalering/", exports.index, name="escalation"),
    path("eskalering/eksport/<str:fmt>/", exports.export, name="export"),
]
