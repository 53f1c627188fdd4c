"""Writes for comments on a defect."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from issues import permissions
from issues.models import Comment, Defect, User
from issues.personal_data import mask


def comment_create(*, defect: Defect, author: User, body: str, internal: bool = False) -> Comment:
    if not permissions.can_comment(author, defect):
        raise PermissionDenied
    if internal and not permissions.can_write_internal_comment(author):
        raise PermissionDenied(_("Bare forvaltningsteamet kan skrive interne kommentarer."))
    body = mask(body.strip())
    if not body:
        raise ValidationError({"body": _("Kommentaren kan ikke være tom.")})
    comment = Comment(
        defect=defect, author=author, body=body, internal=internal, created_at=timezone.now()
    )
    comment.full_clean(exclude=["defect", "author"])
    comment._history_user = author  # type: ignore[attr-defined]
    comment.save()
    return comment
