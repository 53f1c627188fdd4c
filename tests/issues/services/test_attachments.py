import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from issues.services.attachments import MAX_ATTACHMENT_BYTES, check_upload
from tests.issues import files


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("skjerm.png", files.png_bytes(), "image/png"),
        ("bilde.JPEG", files.jpg_bytes(), "image/jpeg"),
        ("faktura.pdf", files.pdf_bytes(), "application/pdf"),
        ("logg.txt", b"Fakturaen avvises\nLinje 2\n", "text/plain"),
        ("eksport.csv", "navn;beløp\nØl;12\n".encode("cp1252"), "text/csv"),
        ("eksport.csv", "navn;beløp\nÆrlig;12\n".encode(), "text/csv"),
        (
            "ark.xlsx",
            files.xlsx_bytes(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "notat.docx",
            files.docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_allowed_files_are_recognised_from_their_content(
    name: str, content: bytes, content_type: str
) -> None:
    checked = check_upload(SimpleUploadedFile(name, content, "application/octet-stream"))
    assert checked.content_type == content_type
    assert checked.size == len(content)
    assert len(checked.sha256) == 64


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("tegning.svg", SVG, "type"),
        ("side.html", HTML, "type"),
        ("side.htm", HTML, "type"),
        # Spoofed extensions: the content decides.
        ("skjerm.png", HTML, "content"),
        ("notat.txt", HTML, "content"),
        ("data.csv", SVG, "content"),
        ("faktura.pdf", files.png_bytes(), "content"),
        ("skjerm.png", files.pdf_bytes(), "content"),
        ("notat.docx", files.plain_zip_bytes(), "content"),
        ("ark.xlsx", files.docx_bytes(), "content"),
        ("notat.txt", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", "content"),
        ("program.exe", b"MZ\x90\x00", "type"),
        ("uten-endelse", b"hei", "type"),
        ("tom.txt", b"", "empty"),
    ],
)
def test_refused_files(name: str, content: bytes, code: str) -> None:
    with pytest.raises(ValidationError) as exc:
        check_upload(SimpleUploadedFile(name, content, "image/png"))
    assert exc.value.code == code


def test_files_over_ten_megabytes_are_refused() -> None:
    big = files.pdf_bytes() + b"0" * (MAX_ATTACHMENT_BYTES + 1)
    with pytest.raises(ValidationError) as exc:
        check_upload(SimpleUploadedFile("stor.pdf", big, "application/pdf"))
    assert exc.value.code == "size"
    assert "10 MB" in exc.value.messages[0]


def test_exactly_ten_megabytes_is_accepted() -> None:
    head = files.pdf_bytes()
    content = head + b"0" * (MAX_ATTACHMENT_BYTES - len(head))
    assert check_upload(SimpleUploadedFile("stor.pdf", content)).size == MAX_ATTACHMENT_BYTES
