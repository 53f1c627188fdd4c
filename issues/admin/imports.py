"""Admin for imports: DFØ's status words (kept by the liaison), and the import batches, read-only
(they are the record of what came in; the defects themselves are edited through the services)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from issues.models import DfoStatusWord, ImportBatch


@admin.register(DfoStatusWord)
class DfoStatusWordAdmin(admin.ModelAdmin):
    list_display = ("word", "status")
    list_filter = ("status",)
    search_fields = ("word",)


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
