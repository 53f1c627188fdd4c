"""Admin for DFØ releases and meetings with DFØ."""

from django.contrib import admin

from issues.admin.common import ReadOnlyAdmin

# The escalation part registers its own models.
from issues.models import FixConfirmation, Meeting, Release


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    list_display = ("name", "expected_date", "delivered_date")
    search_fields = ("name",)
    date_hierarchy = "expected_date"


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("starts_at", "kind", "title")
    list_filter = ("kind",)
    date_hierarchy = "starts_at"


@admin.register(FixConfirmation)
class FixConfirmationAdmin(ReadOnlyAdmin):
    """Read-only: answers are given by the universities on the defect page, through the service."""

    list_display = ("defect", "institution", "state", "respond_by", "answered_at")
    list_filter = ("state", "institution")
    raw_id_fields = ("defect", "fixed_change", "answered_by")
