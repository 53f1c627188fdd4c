"""API views under ``/defects/{id}/``: comments and attachments, fetched through the defect."""

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from issues.api.pagination import CreatedCursorPagination
from issues.api.serializers.activity import (
    AttachmentSerializer,
    AttachmentUploadSerializer,
    CommentSerializer,
)
from issues.api.views.common import DefectChildMixin, actor
from issues.models import (
    Attachment,
    Comment,
)
from issues.selectors.attachments import defect_attachments, visible_attachment_or_404
from issues.selectors.defects import defect_comments
from issues.services.attachments import ALLOWED, attachment_create
from issues.services.comments import comment_create
from issues.views.attachments import attachment_response


@extend_schema(tags=["defects"])
class DefectCommentList(DefectChildMixin, generics.ListCreateAPIView[Comment]):
    """Comments on a defect; internal ones only for the management team and the DFØ liaison."""

    serializer_class = CommentSerializer
    pagination_class = CreatedCursorPagination

    def get_queryset(self) -> QuerySet[Comment]:
        if getattr(self, "swagger_fake_view", False):
            return Comment.objects.none()
        return defect_comments(user=self.request.user, defect=self.get_defect())

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        defect = self.get_defect()
        serializer = CommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = comment_create(
            defect=defect,
            author=actor(request),
            body=serializer.validated_data["body"],
            internal=serializer.validated_data.get("internal", False),
        )
        return Response(CommentSerializer(comment).data, status=201)


@extend_schema(tags=["defects"])
class DefectAttachmentList(DefectChildMixin, generics.ListCreateAPIView[Attachment]):
    """Attachments: png, jpg, pdf, txt, csv, xlsx, docx up to 10 MB, type checked from content."""

    serializer_class = AttachmentSerializer
    pagination_class = CreatedCursorPagination
    parser_classes = [MultiPartParser]

    def get_queryset(self) -> QuerySet[Attachment]:
        if getattr(self, "swagger_fake_view", False):
            return Attachment.objects.none()
        return defect_attachments(user=self.request.user, defect=self.get_defect())

    @extend_schema(request=AttachmentUploadSerializer, responses={201: AttachmentSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        defect = self.get_defect()
        serializer = AttachmentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attachment = attachment_create(
            defect=defect, actor=actor(request), file=serializer.validated_data["file"]
        )
        return Response(AttachmentSerializer(attachment).data, status=201)


@extend_schema(
    tags=["defects"],
    responses={
        (200, *sorted(set(ALLOWED.values()))): OpenApiResponse(
            OpenApiTypes.BINARY, description="Filen, alltid som nedlasting."
        )
    },
)
class DefectAttachmentDownload(DefectChildMixin):
    def get(self, request: Request, *args: Any, **kwargs: Any) -> FileResponse:
        attachment = visible_attachment_or_404(
            user=request.user, defect_pk=self.kwargs["defect_pk"], attachment_pk=self.kwargs["pk"]
        )
        return attachment_response(attachment)
