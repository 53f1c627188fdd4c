"""Admin for the audit log: read-only, nothing can be added, changed or deleted."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

# The escalation part registers its own models.
from issues.models import (
    AuditEvent,
)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log is evidence, so nobody adds, edits or deletes entries here."""

    list_display = ("at", "action", "actor_name", "target", "ip")
    list_filter = ("action",)
    search_fields = ("actor_name", "target", "=ip")
    date_hierarchy = "at"
    show_full_result_count = False
    readonly_fields = ("at", "action", "actor", "actor_name", "target", "details", "ip")
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
