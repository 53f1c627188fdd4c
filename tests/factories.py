"""Test data builders on factory_boy.

Defects and comments are made through the services (``defect_create``, ``comment_create``), so a
test sees the derived fields (tier, reasons, cost, masking, history) exactly as users do.
``make_user`` and ``make_defect`` are the short forms most tests call; they are thin wrappers.
"""

import hashlib
from typing import Any

import factory
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory, Password

from issues.models import (
    Area,
    Attachment,
    Category,
    Comment,
    Defect,
    Institution,
    Meeting,
    MeetingKind,
    Release,
    User,
)
from issues.permissions import GROUP_LIAISON, GROUP_MANAGEMENT, GROUP_REPORTER
from issues.services.comments import comment_create
from issues.services.defects import defect_create
from issues.services.releases import release_create

PASSWORD = "test-password-1"


def session_queries() -> int:
    """Queries every logged-in page starts with: the session, and the user with their groups
    (one query on PostgreSQL, ``permissions.user_with_groups``; two on SQLite)."""
    from django.db import connection

    return 2 if connection.vendor == "postgresql" else 3


ROLE_GROUPS = {
    "reporter": GROUP_REPORTER,
    "management": GROUP_MANAGEMENT,
    "liaison": GROUP_LIAISON,
}


class UserFactory(DjangoModelFactory[User]):
    """A user at an institution (``institution_code``), in the group of a role trait.

    ``UserFactory(management=True, institution_code="NTNU")``; no trait: a user without a role.
    """

    class Meta:
        model = User

    class Params:
        role: str | None = None
        institution_code = "UiO"
        reporter = factory.Trait(role="reporter")
        management = factory.Trait(role="management")
        liaison = factory.Trait(role="liaison")
        superuser = factory.Trait(is_staff=True, is_superuser=True)

    username = factory.LazyAttributeSequence(lambda o, n: f"{o.role or 'user'}{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    # Hashed with the test settings' fast hasher; every test user logs in with this password.
    password = Password(PASSWORD)
    institution = factory.LazyAttribute(
        lambda o: Institution.objects.get(code=o.institution_code) if o.institution_code else None
    )
    role_group = factory.LazyAttribute(lambda o: ROLE_GROUPS[o.role] if o.role else None)

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        # Groups are a many-to-many: they can only be added once the user has a primary key.
        group = kwargs.pop("role_group")
        user: User = super()._create(model_class, *args, **kwargs)
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user


class DefectFactory(DjangoModelFactory[Defect]):
    """A defect filed through ``defect_create``: tier, reasons, cost and history are derived.

    Takes ``defect_create``'s keyword arguments; ``area_code`` picks the area and its first
    category unless ``area``/``category`` are given.
    """

    class Meta:
        model = Defect

    class Params:
        area_code = "BTB"

    reporter = factory.SubFactory(UserFactory, reporter=True)
    title = factory.Sequence(lambda n: f"Faktura stopper i arbeidsflyt {n}")
    area = factory.LazyAttribute(lambda o: Area.objects.get(code=o.area_code))
    category = factory.LazyAttribute(lambda o: Category.objects.filter(area=o.area).first())

    @classmethod
    def _create(cls, model_class: type[Defect], *args: Any, **kwargs: Any) -> Defect:
        return defect_create(**kwargs)


class CommentFactory(DjangoModelFactory[Comment]):
    """A comment written through ``comment_create`` (permission checks and masking included)."""

    class Meta:
        model = Comment

    defect = factory.SubFactory(DefectFactory)
    author = factory.LazyAttribute(lambda o: o.defect.reporter)
    body = factory.Sequence(lambda n: f"Samme hos oss ({n}).")
    internal = False

    @classmethod
    def _create(cls, model_class: type[Comment], *args: Any, **kwargs: Any) -> Comment:
        return comment_create(**kwargs)


class AttachmentFactory(DjangoModelFactory[Attachment]):
    """An attachment stored directly, without the upload checks of ``attachment_add``.

    For tests that need content or names the upload would refuse (the XSS corpus, canaries).
    The stored name comes from the checksum (``attachment_path``); the given name is metadata.
    """

    class Meta:
        model = Attachment

    class Params:
        content = b"vedlegg"

    defect = factory.SubFactory(DefectFactory)
    uploaded_by = factory.LazyAttribute(lambda o: o.defect.reporter)
    original_name = "vedlegg.txt"
    content_type = "text/plain"
    size = factory.LazyAttribute(lambda o: len(o.content))
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.content).hexdigest())
    created_at = factory.LazyFunction(timezone.now)
    file = factory.LazyAttribute(lambda o: ContentFile(o.content, name="upload"))


class ReleaseFactory(DjangoModelFactory[Release]):
    class Meta:
        model = Release

    name = factory.Sequence(lambda n: f"2026.{n + 1}")

    @classmethod
    def _create(cls, model_class: type[Release], *args: Any, **kwargs: Any) -> Release:
        return release_create(**kwargs)


class MeetingFactory(DjangoModelFactory[Meeting]):
    class Meta:
        model = Meeting

    kind = MeetingKind.OPERATIONS
    starts_at = factory.LazyFunction(timezone.now)


def make_user(
    role: str | None = "reporter",
    *,
    institution: str = "UiO",
    username: str | None = None,
    **extra: Any,
) -> User:
    """``UserFactory`` with the role as a string, for tests that loop over roles."""
    if username is not None:
        extra["username"] = username
    return UserFactory.create(role=role, institution_code=institution, **extra)


def make_defect(reporter: User | None = None, **kwargs: Any) -> Defect:
    """``DefectFactory`` with the reporter as the first argument (a new reporter if omitted)."""
    if reporter is not None:
        kwargs["reporter"] = reporter
    return DefectFactory.create(**kwargs)
