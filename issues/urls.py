from django.urls import path

from . import views

app_name = "issues"

urlpatterns = [
    path("", views.home, name="home"),
    path("feil/<int:pk>/", views.defect_detail, name="defect_detail"),
]
