"""Attachments: the one upload check (type from the content, allow-list, size, no markup, no
macro-enabled Office files) shared by the browser form and the API, and storing a checked file."""

import datetime as dt
import hashlib
import logging
import os
import uuid
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath

import filetype
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from issues import permissions
from issues.models import Attachment, Defect, User
from issues.models.activity import attachment_path
from issues.personal_data import mask

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
_FIRST_PRINTABLE = 0x20


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
    return not any(ord(c) < _FIRST_PRINTABLE and ord(c) not in _ALLOWED_CONTROL for c in text)


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


def safe_original_name(name: str) -> str:
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
        original_name=safe_original_name(upload.name or ""),
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        created_at=timezone.now(),
    )
    with transaction.atomic():
        stage_file(attachment, upload)
        attachment.save()
    return attachment


MAX_UPLOAD_BYTES = 10 * 1024 * 1024


# Detected content type per allowed file-name extension (aliases included).
ALLOWED: dict[str, str] = {
    **ALLOWED_TYPES,
    **{alias: ALLOWED_TYPES[target] for alias, target in EXTENSION_ALIASES.items()},
}


def validate_upload(file: UploadedFile) -> tuple[str, str]:
    """Content type and SHA-256 of an acceptable file; raises ValidationError otherwise."""
    checked = check_upload(file)
    return checked.content_type, checked.sha256


def attachment_create(*, defect: Defect, actor: User, file: UploadedFile) -> Attachment:
    """Store a checked file on a defect the actor may comment on (the web form's own service)."""
    try:
        return attachment_add(defect=defect, actor=actor, upload=file)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise
        raise ValidationError({"file": exc.messages}) from exc


# --- staging ---------------------------------------------------------------------------------
# An upload is written under STAGING_DIR first and moved to its place when the transaction that
# saves its row commits. A request killed mid-report (or rolled back) leaves only staging files,
# which ``attachment_staging_cleanup`` removes after STAGING_MAX_AGE; the attachments folder
# holds only files that have a row.
STAGING_DIR = "staging"
STAGING_MAX_AGE = dt.timedelta(days=1)
# A staging file this old whose row committed was orphaned between commit and move (the process
# died in that instant): the cleanup finishes the move instead of deleting it.
STAGING_MOVE_GRACE = dt.timedelta(minutes=10)


def stage_file(attachment: Attachment, upload: UploadedFile) -> None:
    """Write ``upload`` to a staging name; point the row at its final name; move on commit."""
    storage = attachment.file.storage
    final = storage.get_available_name(attachment_path(attachment, ""))
    staged = storage.save(
        f"{STAGING_DIR}/{attachment.sha256}.{attachment.defect_id}.{uuid.uuid4().hex}", upload
    )
    attachment.file.name = final
    transaction.on_commit(lambda: _move_into_place(storage, staged, final))


def _move_into_place(storage: Storage, staged: str, final: str) -> None:
    target = Path(storage.path(final))
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(storage.path(staged), target)


def _row_waiting_for(storage: Storage, staged_name: str) -> str | None:
    """The final name of a committed row whose file is this staging file and is missing."""
    sha256, defect_id, _unique = PurePath(staged_name).name.split(".", 2)
    for name in Attachment.objects.filter(sha256=sha256, defect_id=defect_id).values_list(
        "file", flat=True
    ):
        if not storage.exists(name):
            return str(name)
    return None


def attachment_staging_cleanup(*, now: dt.datetime | None = None) -> int:
    """Remove staging files older than a day (finishing any interrupted move); returns how many
    were removed."""
    now = now or timezone.now()
    storage = Attachment._meta.get_field("file").storage
    try:
        _dirs, names = storage.listdir(STAGING_DIR)
    except FileNotFoundError:
        return 0
    removed = 0
    for name in names:
        staged = f"{STAGING_DIR}/{name}"
        age = now - storage.get_modified_time(staged)
        if age < STAGING_MOVE_GRACE:
            continue
        final = _row_waiting_for(storage, staged) if name.count(".") >= 2 else None  # noqa: PLR2004
        if final is not None:
            _move_into_place(storage, staged, final)
        elif age >= STAGING_MAX_AGE:
            storage.delete(staged)
            removed += 1
    return removed
