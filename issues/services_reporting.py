"""Writes for the reporting pages: the report form's submit, attachments, status e-mails."""

import datetime as dt
import hashlib
import logging
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import permissions, services
from .models import (
    Area,
    Attachment,
    Category,
    Defect,
    DefectStatus,
    Institution,
    OrgUnit,
    ReportSubmission,
    StatusChange,
    System,
    User,
)
from .personal_data import mask

log = logging.getLogger(__name__)

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS_PER_REPORT = 5
TEXT_SNIFF_BYTES = 64 * 1024

# extension -> content type we store and serve; the content decides, the name must agree.
ALLOWED_TYPES: Mapping[str, str] = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "pdf": "application/pdf",
    "txt": "text/plain",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
EXTENSION_ALIASES = {"jpeg": "jpg"}
# Markup a browser could run if it ever rendered the file, however it was named.
_MARKUP_MARKERS = (b"<!doctype", b"<html", b"<svg", b"<script", b"<?xml", b"<body", b"<iframe")
_ALLOWED_CONTROL = {9, 10, 12, 13}


@dataclass(frozen=True)
class CheckedUpload:
    extension: str
    content_type: str
    size: int
    sha256: str


def _allowed_list() -> str:
    return ", ".join(sorted(ALLOWED_TYPES))


def _is_text(sample: bytes) -> bool:
    if b"\x00" in sample:
        return False
    body = sample.removeprefix(b"\xef\xbb\xbf")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut off by the sample's end is still UTF-8.
        if exc.start >= len(body) - 3 and exc.reason == "unexpected end of data":
            text = body[: exc.start].decode("utf-8", errors="strict")
        else:
            try:
                text = body.decode("cp1252")  # Excel's CSV export on Norwegian Windows
            except UnicodeDecodeError:
                return False
    return not any(ord(c) < 32 and ord(c) not in _ALLOWED_CONTROL for c in text)


def _looks_like_markup(sample: bytes) -> bool:
    lowered = sample.lower()
    return any(marker in lowered for marker in _MARKUP_MARKERS)


def _office_kind(upload: UploadedFile) -> str | None:
    """``docx`` or ``xlsx`` from the zip's own structure; None for any other zip."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names or any(n.endswith("vbaProject.bin") for n in names):
        return None  # not Office Open XML, or carries macros (docm/xlsm renamed)
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def _detect(upload: UploadedFile, head: bytes) -> str | None:
    kind = filetype.guess(head)
    if kind is not None:
        if kind.extension in ("png", "jpg", "pdf"):
            return str(kind.extension)
        if kind.extension in ("zip", "docx", "xlsx"):
            return _office_kind(upload)
        return None
    if _looks_like_markup(head) or not _is_text(head):
        return None
    return "text"


def check_upload(upload: UploadedFile) -> CheckedUpload:
    """Decide from the content whether a file may be stored; raises ValidationError if not."""
    name = upload.name or ""
    extension = PurePath(name).suffix.lower().lstrip(".")
    extension = EXTENSION_ALIASES.get(extension, extension)
    size = upload.size or 0
    if extension not in ALLOWED_TYPES:
        raise ValidationError(
            _("«%(name)s»: filtypen er ikke tillatt. Tillatte typer: %(allowed)s."),
            params={"name": name, "allowed": _allowed_list()},
            code="type",
        )
    if size == 0:
        raise ValidationError(_("«%(name)s» er tom."), params={"name": name}, code="empty")
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("«%(name)s» er for stor (%(size)s MB). Største tillatte størrelse er 10 MB."),
            params={"name": name, "size": f"{size / 1024 / 1024:.1f}"},
            code="size",
        )
    upload.seek(0)
    head = upload.read(TEXT_SNIFF_BYTES)
    detected = _detect(upload, head)
    expected = "text" if extension in ("txt", "csv") else extension
    if detected != expected:
        raise ValidationError(
            _(
                "«%(name)s»: innholdet er ikke en gyldig %(ext)s-fil. Filtypen sjekkes ut fra "
                "innholdet; HTML, SVG og andre typer er ikke tillatt."
            ),
            params={"name": name, "ext": extension},
            code="content",
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(extension, ALLOWED_TYPES[extension], size, digest.hexdigest())


def _safe_original_name(name: str) -> str:
    # Only metadata (the stored path is the hash), but it ends up in a header: keep it plain.
    base = PurePath(name.replace("\\", "/")).name
    cleaned = "".join(c for c in base if c.isprintable() and c not in '"\r\n')
    return mask(cleaned)[:255] or "vedlegg"


def attachment_add(*, defect: Defect, actor: User, upload: UploadedFile) -> Attachment:
    if not permissions.can_comment(actor, defect):
        raise PermissionDenied
    checked = check_upload(upload)
    attachment = Attachment(
        defect=defect,
        uploaded_by=actor,
        original_name=_safe_original_name(upload.name or ""),
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        created_at=timezone.now(),
    )
    with transaction.atomic():
        # The file is written before the row; a rolled-back row leaves an unreferenced file
        # named by its hash, which is harmless and never served.
        attachment.file.save(checked.sha256, upload, save=False)
        attachment.save()
    return attachment


@dataclass(frozen=True)
class ReportResult:
    defect: Defect
    created: bool


def report_submit(
    *,
    reporter: User,
    token: str,
    title: str,
    area: Area,
    institution: Institution | None = None,
    description: str = "",
    kind: str = "feil",
    category: Category | None = None,
    system: System | None = None,
    unit: OrgUnit | None = None,
    facts: Mapping[str, bool] | None = None,
    extra_hours_per_week: Decimal | int = 0,
    people_affected: int = 1,
    workaround: str = "",
    workaround_hours_per_week: Decimal | None = None,
    deadline: dt.date | None = None,
    confidential: bool = False,
    uploads: Iterable[UploadedFile] = (),
) -> ReportResult:
    """File a report once per form token: a repeated submit returns the first one's defect.

    Attachments are checked before anything is written; a bad file writes nothing.
    """
    token = token.strip()
    if not token or len(token) > 64:
        raise ValidationError({"token": _("Skjemaet er utløpt. Last siden på nytt.")})
    uploads = list(uploads)
    for upload in uploads:
        check_upload(upload)
    with transaction.atomic():
        try:
            with transaction.atomic():
                submission = ReportSubmission.objects.create(
                    user=reporter, token=token, created_at=timezone.now()
                )
        except IntegrityError:
            # The first submit has committed (PostgreSQL waited for it on the unique index).
            earlier = ReportSubmission.objects.select_related("defect").get(
                user=reporter, token=token
            )
            if earlier.defect is None:
                raise ValidationError(
                    {"token": _("Skjemaet er allerede sendt. Last siden på nytt.")}
                ) from None
            return ReportResult(earlier.defect, created=False)
        defect = services.defect_create(
            reporter=reporter,
            title=title,
            area=area,
            institution=institution,
            description=description,
            kind=kind,
            category=category,
            system=system,
            unit=unit,
            facts=facts,
            extra_hours_per_week=extra_hours_per_week,
            people_affected=people_affected,
            workaround=workaround,
            workaround_hours_per_week=workaround_hours_per_week,
            deadline=deadline,
            confidential=confidential,
        )
        submission.defect = defect
        submission.save(update_fields=["defect"])
        for upload in uploads:
            attachment_add(defect=defect, actor=reporter, upload=upload)
    return ReportResult(defect, created=True)


def _status_label(status: str) -> str:
    return str(dict(DefectStatus.choices).get(status, status)) if status else "–"


def status_change_recipients(change: StatusChange) -> list[User]:
    """Reporter and followers who can still see the defect, never the one who made the change."""
    defect = change.defect
    candidates = {defect.reporter_id, *defect.follows.values_list("user_id", flat=True)}
    candidates.discard(change.actor_id)
    users = User.objects.filter(pk__in=candidates, is_active=True).exclude(email="")
    return [u for u in users.order_by("pk") if permissions.can_view_defect(u, defect)]


def status_change_notify(*, status_change_id: int) -> int:
    """E-mail a status change; returns how many messages were sent.

    Only stored (masked) text goes out: the title and the transition note are masked by the
    services before they are saved.
    """
    try:
        change = StatusChange.objects.select_related("defect", "actor").get(pk=status_change_id)
    except StatusChange.DoesNotExist:
        log.warning("status change %s is gone; nothing to send", status_change_id)
        return 0
    defect = change.defect
    recipients = status_change_recipients(change)
    if not recipients:
        return 0
    link = settings.SITE_URL.rstrip("/") + defect.get_absolute_url()
    with translation.override(settings.LANGUAGE_CODE):
        params = {
            "key": defect.key,
            "title": defect.title,
            "from": _status_label(change.from_status),
            "to": _status_label(change.to_status),
            "actor": change.actor.display_name,
            "link": link,
        }
        subject = _("[%(key)s] Ny status: %(to)s") % params
        lines = [
            _("%(key)s %(title)s har fått ny status: %(from)s → %(to)s.") % params,
            _("Endret av %(actor)s.") % params,
        ]
        if change.note:
            lines += ["", _("Merknad:"), change.note]
        lines += [
            "",
            _("Se saken: %(link)s") % params,
            "",
            _("Du får denne e-posten fordi du meldte eller følger saken."),
        ]
    body = "\n".join(lines)
    messages = [
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        for user in recipients
    ]
    with get_connection() as connection:
        return int(connection.send_messages(messages) or 0)
