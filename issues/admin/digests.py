"""Admin for the escalation digests: the mailing list is kept here; runs are read-only."""

from django.contrib import admin

from issues.admin.common import ReadOnlyAdmin
from issues.models import DigestDelivery, DigestRecipient, DigestRun


@admin.register(DigestRecipient)
class DigestRecipientAdmin(admin.ModelAdmin):
    list_display = ("user", "active")
    list_filter = ("active",)
    autocomplete_fields = ("user",)


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
