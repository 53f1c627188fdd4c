"""Issue 16: an upload whose row never commits leaves no file behind (after the cleanup)."""

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from issues.models import Attachment, Defect, User
from issues.services.attachments import attachment_add, attachment_staging_cleanup
from tests.factories import make_defect

pytestmark = pytest.mark.django_db


class Killed(Exception):
    pass


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def _report_killed_mid_upload(defect: Defect, reporter: User) -> None:
    with transaction.atomic():
        attachment_add(defect=defect, actor=reporter, upload=SimpleUploadedFile("a.txt", b"en"))
        attachment_add(defect=defect, actor=reporter, upload=SimpleUploadedFile("b.txt", b"to"))
        raise Killed  # the worker dies before the report's transaction commits


@pytest.fixture
def media(tmp_path: Path, settings: SettingsWrapper) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_a_report_killed_mid_upload_leaves_nothing_after_cleanup(
    media: Path, reporter: User
) -> None:
    defect = make_defect(reporter)
    with pytest.raises(Killed):
        _report_killed_mid_upload(defect, reporter)
    assert not Attachment.objects.exists()
    assert not any(name.startswith("attachments/") for name in _files(media))
    assert attachment_staging_cleanup() == 0  # a fresh staging file may belong to a live upload
    assert attachment_staging_cleanup(now=timezone.now() + dt.timedelta(hours=25)) == 2
    assert _files(media) == []


def test_a_committed_upload_is_moved_into_place(
    media: Path, reporter: User, django_capture_on_commit_callbacks: Any
) -> None:
    defect = make_defect(reporter)
    with django_capture_on_commit_callbacks(execute=True):
        attachment = attachment_add(
            defect=defect, actor=reporter, upload=SimpleUploadedFile("a.txt", b"innhold")
        )
    assert _files(media) == [attachment.file.name]
    with attachment.file.open("rb") as f:
        assert f.read() == b"innhold"


def test_the_cleanup_finishes_a_move_interrupted_after_commit(
    media: Path, reporter: User, django_capture_on_commit_callbacks: Any
) -> None:
    defect = make_defect(reporter)
    with django_capture_on_commit_callbacks(execute=False):  # commit happens, the move does not
        attachment = attachment_add(
            defect=defect, actor=reporter, upload=SimpleUploadedFile("a.txt", b"innhold")
        )
    assert not attachment.file.storage.exists(attachment.file.name)
    attachment_staging_cleanup(now=timezone.now() + dt.timedelta(minutes=30))
    assert _files(media) == [attachment.file.name]
