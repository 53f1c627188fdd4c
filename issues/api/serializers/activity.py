"""Serializers for comments and attachments on a defect."""

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from issues.api.serializers.common import StrictSerializerMixin
from issues.models import (
    Attachment,
    Comment,
    User,
)


class CommentSerializer(StrictSerializerMixin, serializers.ModelSerializer[Comment]):
    author: serializers.PrimaryKeyRelatedField[User] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )
    internal = serializers.BooleanField(required=False, default=False)

    class Meta:
        model = Comment
        fields = ["id", "author", "body", "internal", "created_at", "moved_from"]
        read_only_fields = ["id", "author", "created_at", "moved_from"]
        extra_kwargs = {"body": {"max_length": 20_000}}


class AttachmentSerializer(serializers.ModelSerializer[Attachment]):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "created_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, obj: Attachment) -> str:

        return reverse(
            "api:defect-attachment-download",
            kwargs={"defect_pk": obj.defect_id, "pk": obj.pk},
        )


class AttachmentUploadSerializer(StrictSerializerMixin, serializers.Serializer[Any]):
    file = serializers.FileField(max_length=255)
