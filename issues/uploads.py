"""Checks every uploaded attachment passes: type from the content (not the name), size, no markup.

The browser upload form and the API both call ``validate_upload``; nothing is stored on failure.
"""

import hashlib
import re

import filetype
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

# Detected content type per allowed file-name extension.
ALLOWED = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "pdf": "application/pdf",
    "txt": "text/plain",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
TEXT_TYPES = frozenset({"text/plain", "text/csv"})
# Text that a browser would render as a document or image with scripts: refused even as .txt.
_MARKUP_RE = re.compile(rb"<\s*(!doctype|html|svg|script|iframe|body|\?xml)", re.IGNORECASE)


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _sniff_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character may be cut at the end of the sample.
        if exc.start < len(head) - 3:
            return False
    return True


def validate_upload(file: File) -> tuple[str, str]:
    """Return (content type detected from the bytes, SHA-256 hex) or raise ValidationError.

    Refuses: empty or over 10 MB, an extension outside the allow-list, content whose detected type
    differs from what the extension promises, and HTML/SVG/XML markup in any form.
    """
    name = getattr(file, "name", "") or ""
    extension = _extension(name)
    expected = ALLOWED.get(extension)
    if expected is None:
        raise ValidationError(
            _("Filtypen er ikke tillatt. Tillatte typer: %(types)s.")
            % {"types": "png, jpg, pdf, txt, csv, xlsx, docx"},
            code="file_type",
        )
    digest = hashlib.sha256()
    size = 0
    head = b""
    file.seek(0)
    while chunk := file.read(64 * 1024):
        size += len(chunk)
        if size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("Filen er for stor. Største tillatte størrelse er 10 MB."), code="file_size"
            )
        if len(head) < 8192:
            head += chunk[: 8192 - len(head)]
        digest.update(chunk)
    file.seek(0)
    if size == 0:
        raise ValidationError(_("Filen er tom."), code="file_empty")
    kind = filetype.guess(head)
    detected = kind.mime if kind is not None else None
    if expected in TEXT_TYPES:
        if detected is not None or not _sniff_text(head):
            raise ValidationError(
                _("Innholdet i filen er ikke ren tekst."), code="file_content_mismatch"
            )
        if _MARKUP_RE.search(head):
            raise ValidationError(_("HTML, SVG og XML kan ikke lastes opp."), code="file_markup")
        return expected, digest.hexdigest()
    if detected != expected:
        raise ValidationError(
            _("Innholdet i filen stemmer ikke med filtypen «%(ext)s».") % {"ext": extension},
            code="file_content_mismatch",
        )
    return expected, digest.hexdigest()
