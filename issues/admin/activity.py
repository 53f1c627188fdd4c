"""Admin for what hangs off a defect: comments, attachments and "affects us too" records."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

# The escalation part registers its own models.
from issues.models import (
    AffectsUs,
    Attachment,
    Comment,
)
from issues.personal_data import mask


@admin.register(Comment)
class CommentAdmin(SimpleHistoryAdmin):
    list_display = ("defect", "author", "created_at", "internal")
    list_filter = ("internal",)
    raw_id_fields = ("defect", "author", "moved_from")
    list_select_related = ("defect", "author")
    show_full_result_count = False

    def save_model(self, request: HttpRequest, obj: Comment, form: Any, change: bool) -> None:
        obj.body = mask(obj.body)
        super().save_model(request, obj, form, change)


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ("original_name", "defect", "content_type", "size", "created_at")
    raw_id_fields = ("defect", "uploaded_by", "moved_from")
    readonly_fields = ("sha256", "size", "content_type")


@admin.register(AffectsUs)
class AffectsUsAdmin(admin.ModelAdmin):
    list_display = ("defect", "user", "institution", "created_at")
    list_filter = ("institution",)
    raw_id_fields = ("defect", "user")
