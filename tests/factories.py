"""Test data builders. Defects are made through the service, so tests see what users see."""

import itertools
from typing import Any

from django.contrib.auth.models import Group

from issues.models import Area, Category, Defect, Institution, User
from issues.permissions import GROUP_LIAISON, GROUP_MANAGEMENT, GROUP_REPORTER
from issues.services.defects import defect_create

_counter = itertools.count(1)


def make_user(
    role: str | None = "reporter",
    *,
    institution: str = "UiO",
    username: str | None = None,
    **extra: Any,
) -> User:
    n = next(_counter)
    user = User.objects.create_user(
        username=username or f"{role or 'user'}{n}",
        password="test-password-1",
        email=f"{role or 'user'}{n}@example.org",
        institution=Institution.objects.get(code=institution),
        **extra,
    )
    group = {
        "reporter": GROUP_REPORTER,
        "management": GROUP_MANAGEMENT,
        "liaison": GROUP_LIAISON,
    }.get(role or "")
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def make_defect(reporter: User | None = None, **kwargs: Any) -> Defect:
    reporter = reporter or make_user("reporter")
    area = kwargs.pop("area", None) or Area.objects.get(code=kwargs.pop("area_code", "BTB"))
    if "category" not in kwargs:
        kwargs["category"] = Category.objects.filter(area=area).first()
    kwargs.setdefault("title", f"Faktura stopper i arbeidsflyt {next(_counter)}")
    return defect_create(reporter=reporter, area=area, **kwargs)
