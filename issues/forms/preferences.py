from django import forms
from django.utils.translation import gettext_lazy as _

from issues.models import Frequency, NotificationKind
from issues.services.preferences import DIGEST_FREQUENCIES, DIGEST_TARGET


class PreferencesForm(forms.Form):
    """One choice per kind of notification, and the digest for those who may receive it."""

    def __init__(self, *args: object, digest: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for kind, label in NotificationKind.choices:
            self.fields[kind] = forms.ChoiceField(label=label, choices=Frequency.choices)
        if digest:
            self.fields[DIGEST_TARGET] = forms.ChoiceField(
                label=_("Sammendrag til forvaltningsteamet og DFØ-kontakten"),
                choices=[(f, Frequency(f).label) for f in DIGEST_FREQUENCIES],
                help_text=_("Kommer hver uke og før møtene med DFØ."),
            )

    def digest_choice(self) -> bool | None:
        """On or off from the cleaned form; None when the form has no digest field."""
        value = self.cleaned_data.get(DIGEST_TARGET)
        return None if value is None else value != Frequency.OFF

    def kind_choices(self) -> dict[str, str]:
        return {k: v for k, v in self.cleaned_data.items() if k != DIGEST_TARGET}
