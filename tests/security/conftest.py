"""A small world with one of everything, so the crawlers can fill every path parameter."""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from issues.models import Attachment, Comment, Defect, Meeting, MeetingKind, Release, User
from issues.services.comments import comment_create
from issues.services.defects import defect_transition
from issues.services.releases import release_create
from tests.factories import make_defect, make_user


@dataclass
class World:
    users: dict[str, User | None]
    defect: Defect
    extra: dict[type, Any] = field(default_factory=dict)


def make_attachment(defect: Defect, user: User, name: str, content: bytes) -> Attachment:
    digest = hashlib.sha256(content).hexdigest()
    attachment = Attachment(
        defect=defect,
        uploaded_by=user,
        original_name=name,
        content_type="text/plain",
        size=len(content),
        sha256=digest,
        created_at=timezone.now(),
    )
    # The stored name comes from the checksum (attachment_path); the user's name is metadata.
    attachment.file.save("upload", ContentFile(content), save=False)
    attachment.save()
    return attachment


def build_world(tmp_path: Path, settings: SettingsWrapper, **defect_kwargs: Any) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    reporter = make_user("reporter", institution="UiO")
    manager = make_user("management", institution="NTNU")
    users: dict[str, User | None] = {
        "anonymous": None,
        "reporter": reporter,
        "other_reporter": make_user("reporter", institution="UiB"),
        "manager": manager,
        "liaison": make_user("liaison", institution="UiO"),
        "superuser": make_user(None, institution="UiT", is_staff=True, is_superuser=True),
    }
    defect = make_defect(reporter, **defect_kwargs)
    defect = defect_transition(defect=defect, actor=manager, to_status="triaged")
    comment = comment_create(defect=defect, author=reporter, body="Samme hos oss.")
    attachment = make_attachment(defect, reporter, "skjermbilde.txt", b"vedlegg")
    release = release_create(name="2026.11")
    meeting = Meeting.objects.create(kind=MeetingKind.OPERATIONS, starts_at=timezone.now())
    return World(
        users=users,
        defect=defect,
        extra={Comment: comment, Attachment: attachment, Release: release, Meeting: meeting},
    )


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def content_of(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


@pytest.fixture
def production_headers(settings: SettingsWrapper) -> None:
    """The security settings production runs with (DEBUG=false), on a laptop test run."""
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
