from django.urls import path

from issues.views import reporting

urlpatterns = [
    path("", reporting.home, name="home"),
    path("feil/<int:pk>/", reporting.defect_detail, name="defect_detail"),
]
