"""Forms for the triage pages: they parse input only; services do the writing."""

from typing import Any, cast

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from issues import permissions
from issues.errors import ConcurrentEdit
from issues.models import Defect, DefectStatus, OrgUnit, Release, User
from issues.services.triage import BULK_OWNER, BULK_RELEASE, BULK_REPORTED, BULK_TRANSITION
from issues.vocabulary import LIMITS, MANAGEMENT_FIELDS, TIER_NUMBER_CHOICES, ordered

# The management team's editable fields; the owner is entered by user name (owner_username).
EDIT_FIELDS = ordered(MANAGEMENT_FIELDS - {"owner"})


def _limited_formfield(field: Any, **kwargs: Any) -> forms.Field | None:
    """The model field's form field, numbers kept within the vocabulary's limits."""
    limit = LIMITS.get(field.name)
    return field.formfield(**(kwargs | limit.field_kwargs() if limit else kwargs))


def _style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.HiddenInput):
            continue
        widget.attrs.setdefault("class", "ds-input")


def find_owner(username: str) -> User | None:
    """A process owner by user name; raises ValidationError if it is not a team member."""
    username = username.strip()
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None or not permissions.is_management(user):
        raise forms.ValidationError(
            _("Fant ingen i forvaltningsteamet med brukernavnet «%(name)s»."),
            params={"name": username},
        )
    return user


class DefectTriageForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    owner_username = forms.CharField(
        label=_("Prosessansvarlig (brukernavn)"),
        required=False,
        help_text=_("Skriv minst to bokstaver for forslag."),
    )

    class Meta:
        model = Defect
        fields = EDIT_FIELDS
        formfield_callback = _limited_formfield
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 14}),
            "workaround": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version
        # Also when bound: changed_data compares against it, so clearing the owner is a change.
        self.initial["owner_username"] = (
            self.instance.owner.username if self.instance.owner_id else ""
        )
        self.fields["owner_username"].widget.attrs.update(
            {"list": "owner-options", "autocomplete": "off", "data-owner-search": "1"}
        )
        # A unit's label names its institution.
        unit = cast(forms.ModelChoiceField, self.fields["unit"])
        unit.queryset = OrgUnit.objects.select_related("institution")
        _style(self)

    @classmethod
    def after_conflict(
        cls, post: QueryDict, *, fresh: Defect, exc: ConcurrentEdit
    ) -> "DefectTriageForm":
        """The form again after someone else saved first, carrying the current version.

        Fields only the other editor changed show their new values, so "save again" cannot
        silently put the old ones back; fields this user changed keep their input.
        """
        data = post.copy()
        data["version"] = str(fresh.version)
        current = cls(instance=fresh)
        theirs = {"owner_username" if f == "owner" else f for f in exc.changed}
        seen = fresh.history.filter(version=exc.expected_version).order_by("-history_id").first()
        mine = set(cls(post, instance=seen.instance).changed_data) if seen else set(theirs)
        for name in (theirs - mine) & set(current.fields):
            value = current[name].value()
            if isinstance(value, bool):
                # An unticked checkbox is absent from a POST.
                if value:
                    data[name] = "on"
                else:
                    data.pop(name, None)
            else:
                data[name] = "" if value is None else str(value)
        return cls(data, instance=fresh)

    def clean_owner_username(self) -> User | None:
        return find_owner(self.cleaned_data.get("owner_username") or "")

    def _post_clean(self) -> None:
        # Validation of the model as a whole is the service's job; it runs it inside the lock.
        pass

    def changes(self) -> dict[str, Any]:
        """The fields the user changed, keyed by model field name, ready for defect_update."""
        data = {f: self.cleaned_data[f] for f in self.changed_data if f in EDIT_FIELDS}
        if "owner_username" in self.changed_data:
            data["owner"] = self.cleaned_data["owner_username"]
        return data


class TransitionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    to_status = forms.ChoiceField(label=_("Ny status"))
    note = forms.CharField(
        label=_("Merknad"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, allowed: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(DefectStatus.choices)
        # Duplicates go through the merge page, which moves comments and people along.
        self.fields["to_status"].choices = [  # type: ignore[attr-defined]
            (s, labels[s]) for s in allowed if s != DefectStatus.DUPLICATE
        ]
        _style(self)


class OverrideForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    tier = forms.TypedChoiceField(
        label=_("Overstyrt nivå"),
        choices=[
            ("", _("Ingen overstyring (bruk regelen)")),
            *((str(tier), label) for tier, label in TIER_NUMBER_CHOICES),
        ],
        coerce=int,
        empty_value=None,
        required=False,
    )
    reason = forms.CharField(
        label=_("Begrunnelse (påkrevd)"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = _(
            "Skriv en begrunnelse for overstyringen."
        )
        _style(self)


class BulkForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Handling"),
        choices=[
            (BULK_TRANSITION, _("Endre status")),
            (BULK_RELEASE, _("Sett release")),
            (BULK_OWNER, _("Sett prosessansvarlig")),
            (BULK_REPORTED, _("Merk som meldt til DFØ")),
        ],
    )
    to_status = forms.ChoiceField(
        label=_("Ny status"),
        required=False,
        choices=[("", "—")]
        + [(s, label) for s, label in DefectStatus.choices if s != DefectStatus.DUPLICATE],
    )
    release = forms.ModelChoiceField(
        label=_("Release"), queryset=Release.objects.all(), required=False
    )
    owner_username = forms.CharField(label=_("Prosessansvarlig (brukernavn)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_username"].widget.attrs.update(
            {"list": "owner-options", "autocomplete": "off", "data-owner-search": "1"}
        )
        _style(self)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        action = cleaned.get("action")
        if action == BULK_TRANSITION and not cleaned.get("to_status"):
            self.add_error("to_status", _("Velg ny status."))
        if action == BULK_OWNER:
            try:
                cleaned["owner"] = find_owner(cleaned.get("owner_username") or "")
            except forms.ValidationError as exc:
                self.add_error("owner_username", exc)
        return cleaned

    def value(self) -> Any:
        action = self.cleaned_data["action"]
        if action == BULK_TRANSITION:
            return self.cleaned_data["to_status"]
        if action == BULK_RELEASE:
            return self.cleaned_data["release"]
        if action == BULK_OWNER:
            return self.cleaned_data.get("owner")
        return None


class SavedFilterForm(forms.Form):
    name = forms.CharField(label=_("Navn på filteret"), max_length=80)
    shared = forms.BooleanField(label=_("Del med teamet"), required=False)
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class MergeForm(forms.Form):
    canonical = forms.IntegerField(widget=forms.HiddenInput)
    duplicate_version = forms.IntegerField(widget=forms.HiddenInput)
    canonical_version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Merknad (valgfri)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)
