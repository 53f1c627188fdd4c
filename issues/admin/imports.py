"""Admin for imports: DFØ's status words (kept by the liaison), and the import batches, read-only
(they are the record of what came in; the defects themselves are edited through the services)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from issues import permissions
from issues.models import DfoStatusWord, ImportBatch


@admin.register(DfoStatusWord)
class DfoStatusWordAdmin(admin.ModelAdmin):
    """Kept by the DFØ liaison (and management), who are not staff; see bott_tracker/admin_site."""

    list_display = ("word", "status")
    list_filter = ("status",)
    search_fields = ("word",)

    def _keeps(self, request: HttpRequest) -> bool:
        return permissions.can_keep_dfo_status_words(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._keeps(request) or super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._keeps(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._keeps(request) or super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._keeps(request) or super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._keeps(request) or super().has_delete_permission(request, obj)


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "file_name", "row_count", "created_by")
    list_filter = ("kind",)
    search_fields = ("file_name", "=sha256")
    readonly_fields = (
        "kind",
        "sha256",
        "file_name",
        "row_count",
        "created_by",
        "created_at",
        "mapping",
    )
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
