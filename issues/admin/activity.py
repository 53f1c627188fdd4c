"""Admin for what hangs off a defect: comments, attachments and "affects us too" records.

Read-only: the services write them, with their checks (masking, the upload check) and what
follows from them (``affects_count``, the institutions affected, following the defect).
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from issues.admin.common import ReadOnlyMixin
from issues.models import AffectsUs, Attachment, Comment


@admin.register(Comment)
class CommentAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ("defect", "author", "created_at", "internal")
    list_filter = ("internal",)
    raw_id_fields = ("defect", "author", "moved_from")
    list_select_related = ("defect", "author")
    show_full_result_count = False


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("original_name", "defect", "content_type", "size", "created_at")
    list_select_related = ("defect",)
    raw_id_fields = ("defect", "uploaded_by", "moved_from")


@admin.register(AffectsUs)
class AffectsUsAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("defect", "user", "institution", "created_at")
    list_filter = ("institution",)
    list_select_related = ("defect", "user", "institution")
    raw_id_fields = ("defect", "user")
