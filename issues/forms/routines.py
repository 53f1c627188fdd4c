import re

from django import forms
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from issues import permissions
from issues.models import Defect, Institution, Routine, User
from issues.models.routines import BODY_MAX_LENGTH, TITLE_MAX_LENGTH
from issues.selectors.routines import routine_defects


class RoutineForm(forms.Form):
    title = forms.CharField(label=_("Tittel"), max_length=TITLE_MAX_LENGTH)
    body = forms.CharField(
        label=_("Rutine"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Steg for steg. Markdown kan brukes. Fødselsnumre og kontonumre blir maskert."),
    )
    institution = forms.ModelChoiceField(
        label=_("Gjelder"),
        queryset=Institution.objects.filter(active=True).order_by("code"),
        required=False,
        empty_label=_("Felles for alle"),
    )
    owner = forms.ModelChoiceField(label=_("Eier"), queryset=User.objects.none())
    defect_keys = forms.CharField(
        label=_("Saker rutinen er en løsning for"),
        required=False,
        max_length=2000,
        help_text=_("Saksnumre skilt med komma, for eksempel BOTT-12, BOTT-40."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.user = user
        # Owners are the management team: a short list, never every user.
        group = Group.objects.filter(name=permissions.GROUP_MANAGEMENT).first()
        owners = User.objects.filter(is_active=True, groups=group) if group else User.objects.none()
        self.fields["owner"].queryset = owners.order_by("username")  # type: ignore[attr-defined]

    def clean_defect_keys(self) -> list[Defect]:
        raw = self.cleaned_data.get("defect_keys") or ""
        keys = [k for k in re.split(r"[,;\s]+", raw) if k]
        ids = {}
        for key in keys:
            pk = Defect.pk_from_key(key)
            if pk is None:
                raise forms.ValidationError(_("Ukjent saksnummer: %(key)s") % {"key": key})
            ids[pk] = key
        found = {d.pk: d for d in permissions.visible_defects(self.user).filter(pk__in=ids)}
        missing = [key for pk, key in ids.items() if pk not in found]
        if missing:
            raise forms.ValidationError(
                _("Finner ikke saken: %(keys)s") % {"keys": ", ".join(missing)}
            )
        return list(found.values())

    @staticmethod
    def initial_for(routine: Routine, user: User) -> dict[str, object]:
        keys = routine_defects(user=user, routine=routine)
        return {
            "title": routine.title,
            "body": routine.body,
            "institution": routine.institution_id,
            "owner": routine.owner_id,
            "defect_keys": ", ".join(d.key for d in keys),
            "version": routine.version,
        }
