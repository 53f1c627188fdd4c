"""validate_upload: type from the bytes, allow-list, size, no markup."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from issues.services.attachments import validate_upload


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 32


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "rapport.xlsx",
            _xlsx(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "brev.docx",
            _docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("vedtak.pdf", PDF, "application/pdf"),
        ("foto.JPG", JPG, "image/jpeg"),
        ("notat.txt", "Blåbærsyltetøy\n".encode(), "text/plain"),
    ],
)
def test_allowed_types_are_detected_from_content(name: str, content: bytes, expected: str) -> None:
    content_type, sha = validate_upload(SimpleUploadedFile(name, content))
    assert content_type == expected
    assert len(sha) == 64


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rapport.xlsx", PDF),
        ("tegning.svg", b"<svg/>"),
        ("side.html", b"<html></html>"),
        ("side.csv", b"  <SCRIPT>alert(1)</SCRIPT>"),
        ("uten_endelse", b"tekst"),
        ("binar.txt", b"\x00\x01\x02"),
        ("forkledd.txt", PDF[:4] + b"-1.4"),
    ],
)
def test_refused(name: str, content: bytes) -> None:
    with pytest.raises(ValidationError):
        validate_upload(SimpleUploadedFile(name, content))
