"""Admin for DFØ releases and meetings with DFØ."""

from django.contrib import admin

# The escalation part registers its own models.
from issues.models import Meeting, Release


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
