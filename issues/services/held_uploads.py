"""Attachments chosen in a report form that was sent back with errors: kept with the form's
one-time token, so nobody has to pick the files again.

They live in the attachment storage under ``held/<user id>/<form token>/`` (the user id in the
path, so a token alone never reaches another person's files), are listed on the form with a
remove button, become the report's attachments when it is filed, and are removed a day later
if it never is (``held_uploads_cleanup``, run with the staging cleanup).
"""

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from django.core.files.storage import Storage
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils import timezone

from issues.models import Attachment, User
from issues.services.attachments import (
    MAX_ATTACHMENTS_PER_REPORT,
    check_upload,
    safe_original_name,
)

HELD_DIR = "held"
HELD_MAX_AGE = dt.timedelta(days=1)
TOKEN = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class HeldFile:
    key: str  # the stored file's name inside the form's folder
    name: str  # what the person called it
    size: int


def _storage() -> Storage:
    return Attachment._meta.get_field("file").storage


def _folder(user: User, token: str) -> Path | None:
    if not TOKEN.fullmatch(token or ""):
        return None
    return Path(_storage().path(HELD_DIR)) / str(user.pk) / token


def held_list(*, user: User, token: str) -> list[HeldFile]:
    folder = _folder(user, token)
    if folder is None or not folder.is_dir():
        return []
    files = sorted(p for p in folder.iterdir() if p.is_file())
    return [HeldFile(p.name, p.name.split("-", 1)[1], p.stat().st_size) for p in files]


def held_keep(*, user: User, token: str, uploads: list[UploadedFile]) -> list[HeldFile]:
    """Keep the uploads that pass the checks, up to the per-report limit; returns all held."""
    folder = _folder(user, token)
    if folder is None:
        return []
    held = held_list(user=user, token=token)
    room = MAX_ATTACHMENTS_PER_REPORT - len(held)
    folder.mkdir(parents=True, exist_ok=True)
    for number, upload in enumerate(uploads[: max(room, 0)], start=len(held) + 1):
        check_upload(upload)
        name = safe_original_name(upload.name or "").replace("/", "_")
        upload.seek(0)
        with (folder / f"{number:02d}-{name}").open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
    return held_list(user=user, token=token)


def held_remove(*, user: User, token: str, key: str) -> None:
    folder = _folder(user, token)
    if folder is None:
        return
    for held in held_list(user=user, token=token):
        if held.key == key:
            (folder / held.key).unlink(missing_ok=True)


def held_as_uploads(*, user: User, token: str) -> list[UploadedFile]:
    folder = _folder(user, token)
    if folder is None:
        return []
    return [
        SimpleUploadedFile(held.name, (folder / held.key).read_bytes())
        for held in held_list(user=user, token=token)
    ]


def held_discard(*, user: User, token: str) -> None:
    folder = _folder(user, token)
    if folder is None or not folder.is_dir():
        return
    for path in folder.iterdir():
        path.unlink(missing_ok=True)
    folder.rmdir()


def held_uploads_cleanup(*, now: dt.datetime | None = None) -> int:
    """Remove held files of forms left more than a day ago; returns how many."""
    root = Path(_storage().path(HELD_DIR))
    if not root.is_dir():
        return 0
    limit = ((now or timezone.now()) - HELD_MAX_AGE).timestamp()
    removed = 0
    for path in root.glob("*/*/*"):
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
