from django.urls import path

from issues.views import routines

urlpatterns = [
    path("rutiner/", routines.routine_index, name="routine_list"),
    path("rutiner/ny/", routines.routine_new, name="routine_new"),
    path("rutiner/<int:pk>/", routines.routine_page, name="routine_detail"),
    path("rutiner/<int:pk>/endre/", routines.routine_edit, name="routine_edit"),
    path("rutiner/<int:pk>/gjennomgatt/", routines.routine_reviewed, name="routine_reviewed"),
]
