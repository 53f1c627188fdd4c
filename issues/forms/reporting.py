"""Forms of the reporting pages: parse and validate input; writes go through the services."""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from issues import permissions
from issues.models import Area, Category, Institution, OrgUnit, System, User
from issues.personal_data import Finding, find_personal_data
from issues.services.attachments import (
    ALLOWED_TYPES,
    EXTENSION_ALIASES,
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS_PER_REPORT,
    check_upload,
)
from issues.vocabulary import (
    DESCRIPTION_MAX_LENGTH,
    EXTRA_HOURS_PER_WEEK,
    PEOPLE_AFFECTED,
    TITLE_MAX_LENGTH,
    TITLE_MIN_LENGTH,
    WORKAROUND_HOURS_PER_WEEK,
    WORKAROUND_MAX_LENGTH,
    DefectKind,
)
from priorities.rules import FACTS

YES_NO = [("ja", _("Ja")), ("nei", _("Nei"))]
FREE_TEXT = (
    ("title", _("tittel")),
    ("description", _("beskrivelse")),
    ("workaround", _("midlertidig løsning")),
)
PD_KIND_LABELS = {"national_id": _("fødselsnummer/D-nummer"), "account_number": _("kontonummer")}


def grouped_choices(queryset: Any, group_by: str, empty_label: str) -> list[Any]:
    """Options grouped under their area or institution (optgroups), so the page without
    JavaScript can offer all of them; validation still goes through the field's queryset."""
    groups: dict[str, list[tuple[Any, str]]] = {}
    for obj in queryset:
        groups.setdefault(str(getattr(obj, group_by)), []).append((obj.pk, str(obj)))
    return [("", empty_label), *groups.items()]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class ReportForm(forms.Form):
    form_token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    area = forms.ModelChoiceField(
        label=_("Område"),
        queryset=Area.objects.filter(active=True),
        empty_label=_("Velg område"),
        error_messages={"required": _("Velg hvilket område feilen gjelder.")},
    )
    category = forms.ModelChoiceField(
        label=_("Kategori"),
        queryset=Category.objects.filter(active=True, area__active=True).select_related("area"),
        required=False,
        empty_label=_("Velg kategori (valgfritt)"),
    )
    system = forms.ModelChoiceField(
        label=_("System"),
        queryset=System.objects.filter(active=True),
        required=False,
        empty_label=_("Vet ikke / ikke aktuelt"),
    )
    institution = forms.ModelChoiceField(
        label=_("Institusjon"),
        queryset=Institution.objects.filter(active=True),
        empty_label=None,
        error_messages={"required": _("Velg institusjon.")},
    )
    unit = forms.ModelChoiceField(
        label=_("Enhet"),
        queryset=OrgUnit.objects.filter(active=True).select_related("institution"),
        required=False,
        empty_label=_("Ingen bestemt enhet"),
    )
    kind = forms.ChoiceField(
        label=_("Hva slags sak er det?"),
        choices=DefectKind.choices,
        widget=forms.RadioSelect,
        initial=DefectKind.BUG,
        error_messages={"required": _("Velg om det er en feil, en mangel eller et endringsønske.")},
    )
    title = forms.CharField(
        label=_("Tittel"),
        max_length=TITLE_MAX_LENGTH,
        help_text=_("Kort og konkret, f.eks. «Fakturaen avvises uten begrunnelse»."),
        error_messages={
            "required": _("Skriv en tittel."),
            "max_length": _("Tittelen kan ha høyst %(limit_value)d tegn (den har %(show_value)d)."),
        },
    )
    description = forms.CharField(
        label=_("Beskrivelse"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Hva skjedde, hva forventet du, og hvordan kan feilen gjenskapes? Markdown kan brukes."
        ),
    )
    extra_hours_per_week = forms.DecimalField(
        localize=True,  # "1,5" as Norwegians write it
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        label=_("Ekstra timer per uke (per person)"),
        **EXTRA_HOURS_PER_WEEK.field_kwargs(),
        initial=Decimal(0),
        error_messages={
            "required": _("Oppgi antall timer (0 hvis ingen)."),
            "invalid": _("Skriv et tall, f.eks. 2 eller 1,5."),
            "min_value": _("Timer kan ikke være negative."),
            "max_value": _("En uke har 168 timer."),
        },
    )
    people_affected = forms.IntegerField(
        label=_("Antall berørte personer"),
        **PEOPLE_AFFECTED.field_kwargs(),
        initial=1,
        error_messages={
            "required": _("Oppgi hvor mange som er berørt."),
            "invalid": _("Skriv et helt tall."),
            "min_value": _("Minst én person er berørt."),
            "max_value": _("Høyst 100 000 personer."),
        },
    )
    workaround = forms.CharField(
        label=_("Midlertidig løsning (hvis du kjenner en)"),
        required=False,
        max_length=WORKAROUND_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    workaround_hours_per_week = forms.DecimalField(
        localize=True,  # "1,5" as Norwegians write it
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        label=_("Timer per uke den midlertidige løsningen koster"),
        required=False,
        **WORKAROUND_HOURS_PER_WEEK.field_kwargs(),
        error_messages={
            "invalid": _("Skriv et tall, f.eks. 2 eller 1,5."),
            "min_value": _("Timer kan ikke være negative."),
            "max_value": _("En uke har 168 timer."),
        },
    )
    deadline = forms.DateField(
        label=_("Frist (valgfritt)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        help_text=_("Når må feilen senest være rettet, f.eks. før lønnskjøringen?"),
        error_messages={"invalid": _("Skriv datoen som dd.mm.åååå.")},
    )
    confidential = forms.BooleanField(
        label=_("Fortrolig: bare jeg, forvaltningsteamet og DFØ-kontakten kan se saken"),
        required=False,
    )
    attachments = MultipleFileField(
        label=_("Vedlegg (valgfritt)"),
        required=False,
        # The browser checks type and size before uploading (static/js/app.js); the server
        # checks again (check_upload).
        widget=MultipleFileInput(
            attrs={
                "accept": ",".join(f".{ext}" for ext in (*ALLOWED_TYPES, *EXTENSION_ALIASES)),
                "data-max-bytes": MAX_ATTACHMENT_BYTES,
                "data-max-files": MAX_ATTACHMENTS_PER_REPORT,
            }
        ),
        help_text=_("PNG, JPG, PDF, TXT, CSV, XLSX eller DOCX, høyst 10 MB per fil og 5 filer."),
    )
    mask_personal_data = forms.BooleanField(
        label=_("Masker numrene (erstatt sifrene med *)"), required=False
    )

    def __init__(self, *args: Any, user: User, held: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.held = held  # attachments kept from an earlier, refused send
        for fact in FACTS:
            self.fields[fact.name] = forms.ChoiceField(
                label=fact.question(get_language() or "nb"),
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={"required": _("Svar ja eller nei.")},
            )
        self._progressive_enhancement()
        if user.institution_id and not permissions.is_management(user):
            # Reporters report for their own institution; the others say "affects us too".
            institution_field = cast(forms.ModelChoiceField, self.fields["institution"])
            institution_field.queryset = Institution.objects.filter(
                active=True, pk=user.institution_id
            )
            unit_field = cast(forms.ModelChoiceField, self.fields["unit"])
            unit_field.queryset = OrgUnit.objects.filter(
                active=True, institution_id=user.institution_id
            ).select_related("institution")
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4().hex)
            self.initial.setdefault("institution", user.institution_id)
            self.initial.setdefault("unit", user.unit_id)
        category = cast(forms.ModelChoiceField, self.fields["category"])
        area_id = self._bound_value("area")
        if area_id:
            # The choices follow the area; without an area every category is offered, grouped.
            category.queryset = Category.objects.filter(active=True, area_id=area_id)
            category.choices = [
                ("", category.empty_label),
                *((c.pk, str(c)) for c in category.queryset),
            ]
        else:
            category.choices = grouped_choices(category.queryset, "area", str(category.empty_label))
        unit = cast(forms.ModelChoiceField, self.fields["unit"])
        unit.choices = grouped_choices(unit.queryset, "institution", str(unit.empty_label))

    def _progressive_enhancement(self) -> None:
        """htmx attributes: the page works without them (full posts), faster with them."""
        self.fields["area"].widget.attrs.update(
            {
                "hx-get": reverse("issues:report_categories"),
                "hx-trigger": "change",
                "hx-target": "#category-field",
                "hx-swap": "outerHTML",
                # A category picked before the swap lands is kept if it fits the new area.
                "hx-include": "[name=category]",
                "hx-sync": "this:replace",
            }
        )
        self.fields["title"].widget.attrs.update(
            {
                # POST: the title may hold personal data, which must not reach access logs.
                "hx-post": reverse("issues:report_suggestions"),
                "hx-trigger": "input changed delay:400ms",
                "hx-params": "title,category",
                "hx-include": "[name=category]",
                "hx-target": "#suggestions",
                "hx-sync": "this:replace",
                "autocomplete": "off",
            }
        )
        for field in self.fields.values():
            if isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs["class"] = "ds-input"

    def _bound_value(self, name: str) -> str:
        if not self.is_bound:
            return str(self.initial.get(name) or "")
        value = self.data.get(self.add_prefix(name), "")
        return value if isinstance(value, str) and value.isdigit() else ""

    @property
    def fact_fields(self) -> list[forms.BoundField]:
        return [self[f.name] for f in FACTS]

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if len(title) < TITLE_MIN_LENGTH:
            raise forms.ValidationError(
                _("Skriv en tittel på minst %(n)d tegn."), params={"n": TITLE_MIN_LENGTH}
            )
        return title

    def clean_deadline(self) -> dt.date | None:
        deadline: dt.date | None = self.cleaned_data.get("deadline")
        if deadline and deadline < timezone.localdate():
            raise forms.ValidationError(_("Fristen kan ikke være i fortiden."))
        return deadline

    def clean_attachments(self) -> list[UploadedFile]:
        files: list[UploadedFile] = self.cleaned_data.get("attachments") or []
        if len(files) + self.held > MAX_ATTACHMENTS_PER_REPORT:
            raise forms.ValidationError(
                _("Høyst %(n)d vedlegg per melding."), params={"n": MAX_ATTACHMENTS_PER_REPORT}
            )
        errors = []
        for upload in files:
            try:
                check_upload(upload)
            except forms.ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise forms.ValidationError(errors)
        return files

    def personal_data_findings(self) -> list[tuple[str, Finding]]:
        """(field label, finding) for every number in the free text that looks like personal data."""
        found: list[tuple[str, Finding]] = []
        for name, label in FREE_TEXT:
            value = self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
            if value is None:
                value = self.data.get(name, "") if self.is_bound else ""
            found += [(str(label), f) for f in find_personal_data(str(value or ""))]
        return found

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        category, area = cleaned.get("category"), cleaned.get("area")
        if category and area and category.area_id != area.pk:
            self.add_error("category", _("Kategorien hører ikke til valgt område."))
        unit, institution = cleaned.get("unit"), cleaned.get("institution")
        if unit and institution and unit.institution_id != institution.pk:
            self.add_error("unit", _("Enheten hører ikke til valgt institusjon."))
        if cleaned.get("workaround_hours_per_week") is not None and not cleaned.get("workaround"):
            self.add_error(
                "workaround",
                _("Beskriv den midlertidige løsningen når du oppgir timene den koster."),
            )
        if self.personal_data_findings() and not cleaned.get("mask_personal_data"):
            self.add_error(
                "mask_personal_data",
                _(
                    "Teksten ser ut til å inneholde personopplysninger (se over). Fjern dem, "
                    "eller kryss av for å maskere numrene før saken lagres."
                ),
            )
        return cleaned

    def facts(self) -> dict[str, bool]:
        return {f.name: self.cleaned_data.get(f.name) == "ja" for f in FACTS}


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Ny kommentar"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown kan brukes. Fødselsnumre og kontonumre blir maskert."),
        error_messages={"required": _("Kommentaren kan ikke være tom.")},
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Legg til vedlegg"),
        help_text=_("PNG, JPG, PDF, TXT, CSV, XLSX eller DOCX, høyst 10 MB."),
        error_messages={"required": _("Velg en fil.")},
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        check_upload(upload)
        return upload
