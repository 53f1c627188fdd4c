"""Admin for defects: list filters, search by key, history, and a version check against
concurrent saves. Status and tier overrides stay with the workflow."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

# The escalation part registers its own models.
from issues.models import (
    Comment,
    Defect,
    StatusChange,
)
from issues.services.defects import changed_since, derive_fields


class CommentInline(admin.StackedInline):
    model = Comment
    fk_name = "defect"
    extra = 0
    fields = ("author", "created_at", "internal", "body")
    readonly_fields = ("author", "created_at", "body")
    can_delete = False
    show_change_link = True


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    fields = ("at", "from_status", "to_status", "actor", "note")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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
    raw_id_fields = ("reporter", "owner", "duplicate_of", "unit", "override_by")
    # Status and tier overrides go through the triage page (workflow table, history note, audit
    # log); the admin shows them but does not change them.
    readonly_fields = (
        "status",
        "tier_override",
        "override_reason",
        "override_by",
        "override_at",
        "rule_tier",
        "rule_reasons",
        "tier",
        "weekly_cost",
        "institutions_affected",
        "affects_count",
        "version",
        "created_at",
        "updated_at",
        "triaged_at",
        "reported_to_dfo_at",
        "fixed_at",
        "closed_at",
    )
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

    def save_model(self, request: HttpRequest, obj: Defect, form: Any, change: bool) -> None:

        derive_fields(obj)
        now = timezone.now()
        obj.updated_at = now
        if not change:
            obj.created_at = now
        with transaction.atomic():
            if change:
                # Serialise concurrent admin saves and check the version again under the lock:
                # the form's check ran before it.
                current = Defect.objects.select_for_update().get(pk=obj.pk)
                seen = form.cleaned_data.get("seen_version")
                if seen is not None and current.version != seen:
                    self.message_user(
                        request,
                        _("Saken ble endret av noen andre i mellomtiden. Ingenting er lagret."),
                        level=messages.ERROR,
                    )
                    return
                obj.version = current.version + 1
            super().save_model(request, obj, form, change)
