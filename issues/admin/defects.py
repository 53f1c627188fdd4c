"""Admin for defects: list filters, search by key, history.

Adding and changing go through the services, as on the triage page: ``defect_create`` writes the
first status change and the reporter's follow, ``defect_update`` masks, reapplies the rule and
records the history under a version check. The admin offers exactly the fields the vocabulary
lets the user edit; status and tier overrides stay with the workflow."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from issues import permissions
from issues.admin.common import ReadOnlyMixin
from issues.models import Comment, Defect, StatusChange, User
from issues.services.defects import (
    changed_since,
    check_consistency,
    defect_create,
    defect_update,
    editable_fields,
)
from issues.views.errors import add_errors, domain_errors
from issues.vocabulary import CREATE_FIELDS, ordered
from priorities.rules import FACT_NAMES


class CommentInline(ReadOnlyMixin, admin.StackedInline):
    model = Comment
    fk_name = "defect"
    extra = 0
    fields = ("author", "created_at", "internal", "body")
    show_change_link = True


class StatusChangeInline(ReadOnlyMixin, admin.TabularInline):
    model = StatusChange
    fk_name = "defect"
    extra = 0
    fields = ("at", "kind", "from_status", "to_status", "merged_from", "actor", "note")


class DefectAdminForm(forms.ModelForm):
    """Carries the version the editor saw, so a second editor cannot overwrite the first."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Defect
        exclude: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        seen = cleaned.get("seen_version")
        if self.instance.pk and seen is not None:
            current = Defect.objects.filter(pk=self.instance.pk).values_list("version", flat=True)
            if current and current[0] != seen:
                changed = changed_since(self.instance, seen)
                raise forms.ValidationError(
                    _(
                        "Saken er endret av noen andre siden du åpnet den (versjon %(current)s). "
                        "Endret: %(fields)s. Last siden på nytt og gjør endringen igjen."
                    ),
                    params={"current": current[0], "fields": ", ".join(changed) or "-"},
                    code="stale",
                )
        return cleaned

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]  # Django's hook, missing from the stubs
        # The service checks this too, but by then the admin can no longer show it on the form.
        try:
            check_consistency(self.instance)
        except ValidationError as exc:
            add_errors(self, exc)


@admin.register(Defect)
class DefectAdmin(SimpleHistoryAdmin):
    form = DefectAdminForm
    list_display = (
        "key_display",
        "title",
        "area",
        "institution",
        "tier",
        "status",
        "weekly_cost",
        "affects_count",
        "dfo_reference",
        "created_at",
    )
    list_filter = (
        "status",
        "tier",
        "kind",
        "area",
        "institution",
        "system",
        "confidential",
        "target_release",
    )
    search_fields = ("title", "dfo_reference", "=id")
    list_select_related = ("area", "institution")
    date_hierarchy = "created_at"
    raw_id_fields = ("owner", "unit")
    inlines = [StatusChangeInline, CommentInline]
    list_per_page = 50
    show_full_result_count = False  # a COUNT over 100,000 rows on every page is wasted time

    @admin.display(description=_("Nøkkel"), ordering="id")
    def key_display(self, obj: Defect) -> str:
        return obj.key

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> Any:
        pk = Defect.pk_from_key(search_term)
        if pk is not None:
            return queryset.filter(pk=pk), False
        return super().get_search_results(request, queryset, search_term)

    def _editable(self, request: HttpRequest, obj: Defect) -> frozenset[str]:
        user = request.user
        return editable_fields(user, obj) if isinstance(user, User) else frozenset()

    def has_add_permission(self, request: HttpRequest) -> bool:
        # defect_create would refuse a non-member's defect for another institution only after
        # the form had been accepted.
        return super().has_add_permission(request) and permissions.is_management(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Defect | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or bool(self._editable(request, obj)))

    def get_fields(self, request: HttpRequest, obj: Defect | None = None) -> Any:
        if obj is None:
            return ordered(CREATE_FIELDS)
        editable = self._editable(request, obj)
        seen = ("seen_version",) if editable else ()
        return (*ordered(editable), *seen, *self.get_readonly_fields(request, obj))

    def get_readonly_fields(self, request: HttpRequest, obj: Defect | None = None) -> Any:
        if obj is None:
            return ()
        editable = self._editable(request, obj)
        return tuple(f.name for f in Defect._meta.fields if f.name not in {"id", *editable})

    def get_inlines(self, request: HttpRequest, obj: Defect | None) -> Any:
        return self.inlines if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Defect, form: Any, change: bool) -> None:
        assert isinstance(request.user, User)
        if change:
            self._update(request, request.user, obj.pk, form)
        else:
            data = form.cleaned_data
            created = defect_create(
                reporter=request.user,
                facts={name: data[name] for name in FACT_NAMES},
                **{name: data[name] for name in CREATE_FIELDS - set(FACT_NAMES)},
            )
            obj.pk = created.pk
            obj._state.adding = False
        # The admin goes on with this object (messages, history link): show what was saved.
        obj.refresh_from_db()

    def _update(self, request: HttpRequest, user: User, pk: int, form: Any) -> None:
        current = Defect.objects.get(pk=pk)
        editable = self._editable(request, current)
        seen = form.cleaned_data.get("seen_version")
        with domain_errors(request) as failure:
            defect_update(
                defect=current,
                actor=user,
                expected_version=current.version if seen is None else seen,
                data={f: form.cleaned_data[f] for f in form.changed_data if f in editable},
            )
        if failure.conflict is not None:
            # Someone saved between the form's version check and this one, under the lock.
            self.message_user(
                request,
                _("Saken ble endret av noen andre i mellomtiden. Ingenting er lagret."),
                level=messages.ERROR,
            )
