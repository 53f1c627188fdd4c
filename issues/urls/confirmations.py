from django.urls import path

from issues.views import confirmations

urlpatterns = [
    path(
        "feil/<int:pk>/bekreftelse/",
        confirmations.confirmation_answer,
        name="confirmation_answer",
    ),
]
