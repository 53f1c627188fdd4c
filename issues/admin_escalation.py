"""Admin for the escalation part: the digest mailing list is kept here; logs are read-only."""

from django.contrib import admin
from django.http import HttpRequest

from .models import DigestDelivery, DigestRecipient, DigestRun, ExportLog


@admin.register(DigestRecipient)
class DigestRecipientAdmin(admin.ModelAdmin):
    list_display = ("user", "active")
    list_filter = ("active",)
    autocomplete_fields = ("user",)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ExportLog)
class ExportLogAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "user", "format", "row_count")
    list_filter = ("format",)


class DigestDeliveryInline(admin.TabularInline):
    model = DigestDelivery
    extra = 0
    can_delete = False
    readonly_fields = ("user", "email", "state", "message_id", "attempts", "sent_at", "last_error")


@admin.register(DigestRun)
class DigestRunAdmin(ReadOnlyAdmin):
    list_display = ("subject", "kind", "created_at", "finished_at")
    list_filter = ("kind",)
    exclude = ("attachment", "body_html")
    inlines = (DigestDeliveryInline,)
