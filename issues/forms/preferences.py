from django import forms

from issues.models import Frequency, NotificationKind


class PreferencesForm(forms.Form):
    """One choice per kind of notification."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for kind, label in NotificationKind.choices:
            self.fields[kind] = forms.ChoiceField(label=label, choices=Frequency.choices)
