"""A small world with one of everything, so the crawlers can fill every path parameter."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

from issues.models import Attachment, Comment, Defect, Meeting, Release, User
from issues.services.defects import defect_transition
from tests.factories import (
    AttachmentFactory,
    CommentFactory,
    DefectFactory,
    MeetingFactory,
    ReleaseFactory,
    UserFactory,
)


@dataclass
class World:
    users: dict[str, User | None]
    defect: Defect
    extra: dict[type, Any] = field(default_factory=dict)


def build_world(tmp_path: Path, settings: SettingsWrapper, **defect_kwargs: Any) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    reporter = UserFactory.create(reporter=True, institution_code="UiO")
    manager = UserFactory.create(management=True, institution_code="NTNU")
    users: dict[str, User | None] = {
        "anonymous": None,
        "reporter": reporter,
        "other_reporter": UserFactory.create(reporter=True, institution_code="UiB"),
        "manager": manager,
        "liaison": UserFactory.create(liaison=True, institution_code="UiO"),
        "superuser": UserFactory.create(superuser=True, institution_code="UiT"),
    }
    defect = DefectFactory.create(reporter=reporter, **defect_kwargs)
    defect = defect_transition(defect=defect, actor=manager, to_status="triaged")
    comment = CommentFactory.create(defect=defect, author=reporter, body="Samme hos oss.")
    attachment = AttachmentFactory.create(
        defect=defect, original_name="skjermbilde.txt", content=b"vedlegg"
    )
    return World(
        users=users,
        defect=defect,
        extra={
            Comment: comment,
            Attachment: attachment,
            Release: ReleaseFactory.create(name="2026.11"),
            Meeting: MeetingFactory.create(),
        },
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
