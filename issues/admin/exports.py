"""Admin for the export log: read-only."""

from django.contrib import admin

from issues.admin.common import ReadOnlyAdmin
from issues.models import ExportLog


@admin.register(ExportLog)
class ExportLogAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "user", "format", "row_count")
    list_filter = ("format",)
