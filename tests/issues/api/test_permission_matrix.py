"""Every /api/v1/ route × method × role × target, from the URL resolver.

A rule says who may succeed; any 2xx outside the rule is a failure, a hidden defect must answer
404 (never 403, which would confirm it exists), and a route without a rule fails the test.
"""

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.test import APIClient

from issues.models import (
    Area,
    Attachment,
    Category,
    Defect,
    FixConfirmation,
    Institution,
    Meeting,
    OrgUnit,
    System,
)
from issues.services.api_tokens import api_token_create
from issues.services.attachments import attachment_create
from issues.services.defects import defect_transition
from issues.services.releases import release_create
from issues.services.routines import routine_create
from tests.factories import make_defect, make_user

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "reporter", "other_reporter", "manager", "liaison")
TARGETS = ("own", "others", "confidential")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


def sees(role: str, target: str) -> bool:
    if role in ("manager", "liaison"):
        return True
    if role == "anonymous":
        return False
    return target != "confidential" or role == "reporter"


def authenticated(role: str, target: str) -> bool:
    return role != "anonymous"


def management(role: str, target: str) -> bool:
    return role == "manager"


def sees_everything(role: str, target: str) -> bool:
    return role in ("manager", "liaison")


def owns(role: str, target: str) -> bool:
    return (role, target) in {
        ("reporter", "own"),
        ("reporter", "confidential"),
        ("other_reporter", "others"),
    }


def edits(role: str, target: str) -> bool:
    # Reporters edit their own defect while it is new; the liaison only DFØ fields.
    return role == "manager" or owns(role, target)


def internal_comment(role: str, target: str) -> bool:
    return sees(role, target) and sees_everything(role, target)


def marks_affected(role: str, target: str) -> bool:
    # Issue 12: not on one's own defect, whose institution it already concerns.
    return sees(role, target) and not owns(role, target)


def sees_confirmation(role: str, target: str) -> bool:
    # The world's confirmation is UiO's (the reporter's university); the liaison is at UiT.
    return role in ("reporter", "manager", "liaison")


def answers_confirmation(role: str, target: str) -> bool:
    return role == "reporter"


# (route name, method) -> who may succeed. A route added to issues/api/urls.py without a row here
# makes test_every_route_has_a_rule fail.
RULES: dict[tuple[str, str], Callable[[str, str], bool]] = {
    ("defect-list", "GET"): authenticated,
    ("defect-list", "POST"): authenticated,
    ("defect-detail", "GET"): sees,
    ("defect-detail", "PATCH"): edits,
    ("defect-detail", "PUT"): edits,
    ("defect-transition", "POST"): management,
    ("defect-tier-override", "POST"): management,
    ("defect-merge", "POST"): management,
    ("defect-affects-us", "POST"): marks_affected,
    ("defect-affects-us", "DELETE"): sees,
    ("defect-follow", "POST"): sees,
    ("defect-follow", "DELETE"): sees,
    ("defect-comments", "GET"): sees,
    ("defect-comments", "POST"): internal_comment,
    ("defect-attachments", "GET"): sees,
    ("defect-attachments", "POST"): sees,
    ("defect-attachment-download", "GET"): sees,
    ("institution-list", "GET"): authenticated,
    ("institution-detail", "GET"): authenticated,
    ("unit-list", "GET"): authenticated,
    ("unit-detail", "GET"): authenticated,
    ("area-list", "GET"): authenticated,
    ("area-detail", "GET"): authenticated,
    ("category-list", "GET"): authenticated,
    ("category-detail", "GET"): authenticated,
    ("system-list", "GET"): authenticated,
    ("system-detail", "GET"): authenticated,
    ("release-list", "GET"): authenticated,
    ("release-list", "POST"): management,
    ("release-detail", "GET"): authenticated,
    ("release-summary", "GET"): authenticated,
    ("meeting-list", "GET"): sees_everything,
    ("meeting-detail", "GET"): sees_everything,
    ("notification-preferences", "GET"): authenticated,
    ("notification-preferences", "PATCH"): authenticated,
    ("routine-list", "GET"): authenticated,
    ("routine-list", "POST"): management,
    ("routine-detail", "GET"): authenticated,
    ("routine-detail", "PATCH"): management,
    ("routine-review", "POST"): management,
    ("routine-link", "POST"): management,
    ("routine-unlink", "POST"): management,
    ("confirmation-list", "GET"): authenticated,
    ("confirmation-detail", "GET"): sees_confirmation,
    ("confirmation-confirm", "POST"): answers_confirmation,
    ("confirmation-dispute", "POST"): answers_confirmation,
}


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    methods: tuple[str, ...]

    @property
    def defect_scoped(self) -> bool:
        return self.name.startswith("defect-") and self.name != "defect-list"


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def api_routes() -> list[Route]:
    routes = []
    for pattern, entry in _walk(get_resolver().url_patterns):
        if not pattern.startswith("api/v1/"):
            continue
        callback = entry.callback
        cls = callback.cls  # type: ignore[attr-defined]
        actions = getattr(callback, "actions", None)
        if actions:
            methods = tuple(m.upper() for m in actions if m not in ("head", "options"))
        else:
            methods = tuple(
                m.upper()
                for m in cls.http_method_names
                if m not in ("head", "options") and hasattr(cls, m)
            )
        routes.append(Route(entry.name or pattern, pattern, methods))
    return routes


def test_every_route_has_a_rule() -> None:
    found = {(r.name, m) for r in api_routes() for m in r.methods}
    assert found, "no /api/v1/ routes found"
    assert found - set(RULES) == set(), "routes without a permission rule"
    assert set(RULES) - found == set(), "rules for routes that no longer exist"


def _issue15_objects(users: dict[str, Any]) -> tuple[Defect, dict[str, Any]]:
    """UiO's fixed defect with its confirmation; a shared routine owned by the manager."""
    fixed = make_defect(users["reporter"], title="Rettet sak")
    for status in ("triaged", "reported_to_dfo", "fixed"):
        fixed = defect_transition(defect=fixed, actor=users["manager"], to_status=status)
    confirmation = FixConfirmation.objects.get(defect=fixed)
    routine = routine_create(
        actor=users["manager"], title="Rutine", body="Steg", owner=users["manager"]
    )
    objects: dict[str, Any] = {
        f"routine-{n}": routine for n in ("detail", "review", "link", "unlink")
    }
    objects |= {f"confirmation-{n}": confirmation for n in ("detail", "confirm", "dispute")}
    return fixed, objects


@pytest.fixture
def world(settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path
    users = {
        "reporter": make_user("reporter", institution="UiO"),
        "other_reporter": make_user("reporter", institution="UiB"),
        "manager": make_user("management", institution="NTNU"),
        "liaison": make_user("liaison", institution="UiT"),
    }
    defects = {
        "own": make_defect(users["reporter"], title="Egen sak"),
        "others": make_defect(users["other_reporter"], title="Andres sak"),
        "confidential": make_defect(users["reporter"], title="Fortrolig", confidential=True),
    }
    canonical = make_defect(users["manager"], title="Hovedsak")
    # A confidential defect may only be merged into a confidential one (its content moves along).
    canonical_confidential = make_defect(
        users["manager"], title="Fortrolig hovedsak", confidential=True
    )
    attachments = {}
    # Files move into place when the upload commits (issue 16); run those hooks here.
    with TestCase.captureOnCommitCallbacks(execute=True):
        for key, defect in defects.items():
            attachments[key] = attachment_create(
                defect=defect, actor=defect.reporter, file=SimpleUploadedFile("bilde.png", PNG)
            )
    tokens = {role: api_token_create(user=u, name="m")[1] for role, u in users.items()}
    meeting = Meeting.objects.create(kind="driftsmote", starts_at=timezone.now(), title="Drift")
    release = release_create(name="2026.3")
    fixed, issue15 = _issue15_objects(users)
    return {
        "users": users,
        "defects": defects,
        "canonical": canonical,
        "canonical_confidential": canonical_confidential,
        "attachments": attachments,
        "tokens": tokens,
        "objects": {
            "institution-detail": Institution.objects.first(),
            "unit-detail": OrgUnit.objects.first(),
            "area-detail": Area.objects.first(),
            "category-detail": Category.objects.first(),
            "system-detail": System.objects.first(),
            "release-detail": release,
            "release-summary": release,
            "meeting-detail": meeting,
            **issue15,
        },
        "fixed": fixed,
    }


def _url(route: Route, world: dict[str, Any], target: str) -> str:
    from django.urls import reverse

    if route.defect_scoped:
        defect: Defect = world["defects"][target]
        if route.name.startswith("defect-attachment-download"):
            attachment: Attachment = world["attachments"][target]
            kwargs = {"defect_pk": defect.pk, "pk": attachment.pk}
        elif route.name in ("defect-comments", "defect-attachments"):
            kwargs = {"defect_pk": defect.pk}
        else:
            kwargs = {"pk": defect.pk}
        return reverse(f"api:{route.name}", kwargs=kwargs)
    if route.name in world["objects"]:
        return reverse(f"api:{route.name}", kwargs={"pk": world["objects"][route.name].pk})
    return reverse(f"api:{route.name}")


def _full_body(defect: Defect) -> dict[str, Any]:
    from issues.services.defects import REPORTER_FIELDS

    body = {
        name: getattr(defect, f"{name}_id", None) for name in ("area", "category", "system", "unit")
    }
    for name in REPORTER_FIELDS - set(body):
        value = getattr(defect, name)
        body[name] = str(value) if hasattr(value, "as_tuple") else value
    body["title"] = "Ny tittel"
    return body


def _request(
    client: APIClient, route: Route, method: str, url: str, world: dict[str, Any], target: str
) -> Any:
    defect: Defect = world["defects"][target]
    bodies: dict[tuple[str, str], dict[str, Any]] = {
        ("defect-list", "POST"): {"title": "Ny sak", "area": Area.objects.get(code="BTB").pk},
        ("defect-detail", "PATCH"): {"title": "Endret tittel"},
        ("defect-detail", "PUT"): _full_body(defect),
        ("defect-transition", "POST"): {"to_status": "triaged"},
        ("defect-tier-override", "POST"): {"tier": 1, "reason": "Stopper lønn"},
        ("defect-merge", "POST"): {
            "into": world["canonical_confidential" if target == "confidential" else "canonical"].pk
        },
        ("defect-comments", "POST"): {"body": "Intern merknad", "internal": True},
        ("release-list", "POST"): {"name": "2027.1"},
        ("confirmation-dispute", "POST"): {"note": "Fungerer ikke hos oss"},
        ("routine-list", "POST"): {"title": "Ny rutine", "body": "1. Gjør slik"},
        ("routine-detail", "PATCH"): {"title": "Endret rutine"},
        ("routine-link", "POST"): {"defect": defect.pk},
        ("routine-unlink", "POST"): {"defect": defect.pk},
        ("notification-preferences", "PATCH"): {"notification": "followed", "frequency": "daily"},
    }
    # Writes to a routine carry the routine's ETag; every other write the defect's.
    versioned = world["objects"].get(route.name) if route.name.startswith("routine-") else None
    versioned = versioned or defect
    headers = {"If-Match": f'"{versioned.pk}-{versioned.version}"'}
    if (route.name, method) == ("defect-attachments", "POST"):
        upload = io.BytesIO(PNG)
        upload.name = "bilde.png"
        return client.post(url, {"file": upload}, format="multipart")
    body = bodies.get((route.name, method))
    if body is None:
        return client.generic(method, url, headers=headers)
    return getattr(client, method.lower())(url, body, format="json", headers=headers)


def test_permission_matrix(world: dict[str, Any]) -> None:
    unexpected: list[str] = []
    for route in api_routes():
        for method in route.methods:
            rule = RULES[(route.name, method)]
            for role in ROLES:
                for target in TARGETS if route.defect_scoped else ("own",):
                    client = APIClient()
                    if role != "anonymous":
                        client.credentials(HTTP_AUTHORIZATION=f"Bearer {world['tokens'][role]}")
                    url = _url(route, world, target)
                    with transaction.atomic():
                        response = _request(client, route, method, url, world, target)
                        transaction.set_rollback(True)
                    status = response.status_code
                    allowed = rule(role, target)
                    where = f"{method} {url} as {role} on {target}: {status}"
                    if 200 <= status < 300 and not allowed:
                        unexpected.append(f"unexpected success {where}")
                    elif allowed and not 200 <= status < 300:
                        unexpected.append(f"refused though allowed {where}")
                    elif not allowed and role == "anonymous" and status != 401:
                        unexpected.append(f"anonymous not 401 {where}")
                    elif (
                        route.defect_scoped
                        and not sees(role, target)
                        and role != "anonymous"
                        and status != 404
                    ):
                        unexpected.append(f"hidden defect not 404 {where}")
                    elif status >= 500:
                        unexpected.append(f"server error {where}")
    assert unexpected == []


def test_list_shows_exactly_the_visible_defects(world: dict[str, Any]) -> None:
    defects = world["defects"]
    everything = {d.pk for d in defects.values()} | {
        world["canonical"].pk,
        world["canonical_confidential"].pk,
        world["fixed"].pk,
    }
    for role in ROLES[1:]:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {world['tokens'][role]}")
        ids = {row["id"] for row in client.get("/api/v1/defects/?page_size=100").json()["results"]}
        expected = {
            pk
            for pk in everything
            if (pk != defects["confidential"].pk or sees(role, "confidential"))
            # The manager's confidential defect: only management and the liaison see it.
            and (pk != world["canonical_confidential"].pk or sees_everything(role, "confidential"))
        }
        assert ids == expected, role
