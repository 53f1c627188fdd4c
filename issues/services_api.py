"""Writes the API needs beyond issues.services: personal tokens, attachments, merging duplicates."""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import permissions, services
from .models import AffectsUs, ApiToken, Attachment, Comment, Defect, DefectStatus, Follow, User
from .models.api_tokens import TOKEN_PREFIX, hash_token
from .personal_data import mask
from .uploads import validate_upload

MAX_ACTIVE_TOKENS = 20


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; returns it with the raw secret, which is never stored and shown only once."""
    name = mask(name.strip())
    if not name:
        raise ValidationError({"name": _("Gi nøkkelen et navn.")})
    if len(name) > 100:
        raise ValidationError({"name": _("Navnet kan være på høyst 100 tegn.")})
    with transaction.atomic():
        # Lock the user row so two parallel requests cannot both pass the limit.
        User.objects.select_for_update().filter(pk=user.pk).first()
        active = ApiToken.objects.filter(user=user, revoked__isnull=True).count()
        if active >= MAX_ACTIVE_TOKENS:
            raise ValidationError(
                {"name": _("Du har for mange aktive nøkler. Trekk tilbake en du ikke bruker.")}
            )
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = ApiToken.objects.create(
            user=user,
            name=name,
            token_hash=hash_token(raw),
            hint=raw[len(TOKEN_PREFIX) : len(TOKEN_PREFIX) + 6],
            created=timezone.now(),
        )
    return token, raw


def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens; someone else's token looks like a missing one."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
        if token is None:
            raise ApiToken.DoesNotExist
        if token.revoked is None:
            token.revoked = timezone.now()
            token.save(update_fields=["revoked"])
    return token


def attachment_create(*, defect: Defect, actor: User, file: UploadedFile) -> Attachment:
    """Store a checked file on a defect the actor may comment on."""
    if not permissions.can_comment(actor, defect):
        raise PermissionDenied
    try:
        content_type, sha256 = validate_upload(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    original = mask((file.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1])[:255]
    attachment = Attachment(
        defect=defect,
        uploaded_by=actor,
        original_name=original,
        content_type=content_type,
        size=file.size or 0,
        sha256=sha256,
        created_at=timezone.now(),
    )
    with transaction.atomic():
        attachment.file.save(sha256, file, save=False)
        attachment.save()
    return attachment


def defect_merge(
    *, duplicate: Defect, canonical: Defect, actor: User, expected_version: int | None = None
) -> Defect:
    """Mark ``duplicate`` as a duplicate of ``canonical`` and move its people and talk there.

    "Affects us too", followers, comments and attachments move; records the canonical defect
    already has are kept as they are. Returns the canonical defect.
    """
    if not permissions.can_merge(actor):
        raise PermissionDenied
    if not permissions.can_view_defect(actor, canonical):
        raise ValidationError({"into": _("Fant ikke saken det skal slås sammen med.")})
    if duplicate.pk == canonical.pk:
        raise ValidationError({"into": _("En sak kan ikke slås sammen med seg selv.")})
    if canonical.status == DefectStatus.DUPLICATE:
        raise ValidationError({"into": _("Saken det skal slås sammen med er selv et duplikat.")})
    with transaction.atomic():
        services.defect_transition(
            defect=duplicate,
            actor=actor,
            to_status=DefectStatus.DUPLICATE,
            expected_version=expected_version,
            duplicate_of=canonical,
            note=_("Slått sammen med %(key)s.") % {"key": canonical.key},
        )
        have_affects = set(canonical.affects.values_list("user_id", flat=True))
        AffectsUs.objects.filter(defect=duplicate).exclude(user_id__in=have_affects).update(
            defect=canonical
        )
        have_follows = set(canonical.follows.values_list("user_id", flat=True))
        Follow.objects.filter(defect=duplicate).exclude(user_id__in=have_follows).update(
            defect=canonical
        )
        Comment.objects.filter(defect=duplicate).update(defect=canonical, moved_from=duplicate)
        Attachment.objects.filter(defect=duplicate).update(defect=canonical, moved_from=duplicate)
        services._refresh_affected_counts(duplicate)
        services._refresh_affected_counts(canonical)
        canonical.refresh_from_db()
    return canonical
