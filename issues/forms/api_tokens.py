"""Form for naming a new personal API token."""

from django import forms
from django.utils.translation import gettext_lazy


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Navn på nøkkelen"),
        max_length=100,
        help_text=gettext_lazy("For eksempel navnet på skriptet som skal bruke den."),
    )
