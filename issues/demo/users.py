"""The demo logins: a reporter and a manager per institution, five more reporters each, the DFØ
liaison and an admin. Created only by seed_demo; README lists them."""

import random
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from issues.demo.text import FIRST_NAMES, LAST_NAMES
from issues.models import Institution, OrgUnit, User
from issues.permissions import GROUP_LIAISON, GROUP_MANAGEMENT, GROUP_REPORTER

DEMO_PASSWORD = "bott-demo"  # noqa: S105 - documented demo login, created only by seed_demo
EXTRA_REPORTERS = 5


@dataclass(frozen=True)
class DemoUsers:
    reporters: list[User]
    management: list[User]
    liaison: User


def demo_users(rng: random.Random) -> DemoUsers:
    """Create or update the demo users (names drawn from ``rng``); all share DEMO_PASSWORD."""
    # Hashed once: hashing is slow on purpose, and these are demo logins.
    password = make_password(DEMO_PASSWORD)
    groups = {
        name: Group.objects.get(name=name)
        for name in (GROUP_REPORTER, GROUP_MANAGEMENT, GROUP_LIAISON)
    }
    institutions = list(Institution.objects.order_by("code"))
    units = {
        i.pk: list(OrgUnit.objects.filter(institution=i).order_by("code")) for i in institutions
    }

    def make(username: str, group: str | None, inst: Institution | None, **extra: Any) -> User:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.invalid",
                "password": password,
                "institution": inst,
                "unit": units[inst.pk][0] if inst and units[inst.pk] else None,
                **extra,
            },
        )
        if group:
            user.groups.add(groups[group])
        return user

    reporters: list[User] = []
    management: list[User] = []
    make("admin", None, institutions[0], is_staff=True, is_superuser=True)
    for inst in institutions:
        code = inst.code.lower()
        reporters.append(make(f"melder.{code}", GROUP_REPORTER, inst))
        management.append(make(f"forvaltning.{code}", GROUP_MANAGEMENT, inst))
        for n in range(1, EXTRA_REPORTERS + 1):
            reporters.append(make(f"rekvirent{n}.{code}", GROUP_REPORTER, inst))
    liaison = make("dfo.kontakt", GROUP_LIAISON, institutions[0])
    return DemoUsers(reporters=reporters, management=management, liaison=liaison)
