"""Reads of attachments; every one goes through its defect's permission check."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from issues import permissions
from issues.models import Attachment, Defect
from issues.permissions import AnyUser


def defect_attachments(*, user: AnyUser, defect: Defect) -> QuerySet[Attachment]:
    if not permissions.can_view_defect(user, defect):
        return Attachment.objects.none()
    return defect.attachments.select_related("uploaded_by")


def visible_attachment_or_404(*, user: AnyUser, defect_pk: Any, attachment_pk: Any) -> Attachment:
    """Fetch an attachment only through its defect's permission check."""

    defect = permissions.get_visible_defect_or_404(user, defect_pk)
    try:
        return defect.attachments.get(pk=attachment_pk)
    except (Attachment.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
