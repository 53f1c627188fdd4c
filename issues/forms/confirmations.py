from django import forms
from django.utils.translation import gettext_lazy as _

from issues.services.confirmations import NOTE_MAX_LENGTH

CONFIRM = "confirm"
DISPUTE = "dispute"


class ConfirmationForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(CONFIRM, _("Fungerer hos oss")), (DISPUTE, _("Fungerer ikke hos oss"))],
        error_messages={"required": _("Velg svar."), "invalid_choice": _("Velg svar.")},
    )
    note = forms.CharField(
        label=_("Hva fungerer fortsatt ikke?"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Påkrevd når dere bestrider rettingen. Saken åpnes igjen for triage."),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("action") == DISPUTE and not str(data.get("note") or "").strip():
            self.add_error("note", _("Skriv hva som fortsatt ikke fungerer."))
        return data
