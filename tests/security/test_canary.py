"""Canary: a confidential defect must not show up anywhere for a user who may not see it.

One confidential defect carries a unique secret in every text field it has (title, description,
workaround, DFØ reference, override reason, comments, a transition note, an attachment's name
and bytes). Then every GET URL the resolver knows is requested as users who may not see it: with
the canary's ids in the path parameters, and (on every page that does not refuse them outright)
with the searchable word and the key in every common search parameter and every export format.
No response body (HTML, JSON, CSV, XLSX unzipped, PDF text) and no e-mail may contain the secret
or the defect's key; the viewers followed the canary before it was confidential, so its status
mails are sent and must skip them. New pages, API endpoints, exports and digests added by other
parts are covered without changing this test.
"""

import re
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from pytest_django.fixtures import Settings as SettingsWrapper

from issues.models import Attachment, Comment, Defect, User
from issues.services.comments import comment_create
from issues.services.defects import defect_override_tier, defect_transition, defect_update
from tests.crawl import Objects, body_text, crawl_paths, query_variants
from tests.factories import AttachmentFactory, make_defect, make_user
from tests.security.conftest import build_world, client_for, content_of

pytestmark = pytest.mark.django_db

REFUSED = frozenset({301, 302, 401, 403, 404, 405})


def _canary(
    world_users: dict[str, User | None], viewers: dict[str, User | None], word: str, secret: str
) -> tuple[Defect, dict]:
    reporter = world_users["reporter"]
    manager = world_users["manager"]
    assert reporter is not None
    assert manager is not None
    text = f"{word} {secret}"
    defect = make_defect(
        reporter,
        title=f"Lønn {text}",
        description=f"Beskrivelse {text}",
        workaround=f"Omvei {text}",
        confidential=True,
        facts={"blocks_pay": True},
        extra_hours_per_week=40,
        people_affected=5000,
    )
    # Follows the viewers made while it was still public: the status mails must skip them.
    for viewer in viewers.values():
        if viewer is not None:
            defect.follows.create(user=viewer, created_at=defect.created_at)
    defect = defect_transition(
        defect=defect, actor=manager, to_status="triaged", note=f"Vurdert {text}"
    )
    defect = defect_update(
        defect=defect,
        actor=manager,
        expected_version=defect.version,
        data={"dfo_reference": f"DFO-{secret[-12:]}"},
    )
    defect = defect_override_tier(
        defect=defect, actor=manager, tier=1, reason=f"Overstyrt {text}", expected_version=None
    )
    comment = comment_create(defect=defect, author=reporter, body=f"Kommentar {text}")
    comment_create(defect=defect, author=manager, body=f"Intern {text}", internal=True)
    attachment = AttachmentFactory.create(
        defect=defect, original_name=f"{secret}.txt", content=f"innhold {secret}".encode()
    )
    return defect, {Comment: comment, Attachment: attachment}


@dataclass
class Crawl:
    leaks: list[str] = field(default_factory=list)
    requests: int = 0
    # Responses that show the public defect, per viewer: the crawl reads real pages.
    public_seen: Counter[str] = field(default_factory=Counter)


def _crawl(
    viewers: dict[str, User | None],
    paths: dict[str, bool],
    canary: Defect,
    secret: str,
    terms: list[str],
    public_key: str,
) -> Crawl:
    key = re.compile(rf"{re.escape(canary.key)}(?!\d)")
    dfo_secret = secret[-12:]
    crawl = Crawl()
    for who, user in viewers.items():
        client = client_for(user)
        for path, is_admin in paths.items():
            # No search or format parameters where the path alone is refused: a login redirect,
            # 401/403, a hidden defect's 404 or a 405 is decided before a view reads its query
            # string. (A 400 may be a missing parameter: those pages get every variant.)
            plain = client.get(path)
            refused = is_admin or plain.status_code in REFUSED
            for url in [path] if refused else list(query_variants(path, terms)):
                response = plain if url == path else client.get(url)
                crawl.requests += 1
                text = body_text(content_of(response), response.headers.get("Content-Type", ""))
                searched_key = canary.key in url
                if secret in text or dfo_secret in text:
                    crawl.leaks.append(f"{who} GET {url} -> {response.status_code}: secret")
                if not searched_key and key.search(text):
                    crawl.leaks.append(
                        f"{who} GET {url} -> {response.status_code}: key {canary.key}"
                    )
                crawl.public_seen[who] += public_key in text
    return crawl


def test_confidential_defect_leaks_nowhere(
    tmp_path: Path,
    settings: SettingsWrapper,
    eager_celery: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    world = build_world(tmp_path, settings)
    word = f"sokeord{uuid.uuid4().hex[:8]}"
    secret = f"KANARI{uuid.uuid4().hex}"
    viewers = {
        "other_reporter (UiB)": world.users["other_reporter"],
        "colleague (UiO)": make_user("reporter", institution="UiO"),
        "anonymous": None,
    }
    with django_capture_on_commit_callbacks(execute=True):
        canary, extra = _canary(world.users, viewers, word, secret)
    # Sanity: the canary is there and the crawl sees it where it should.
    owner_view = client_for(world.users["reporter"]).get(canary.get_absolute_url())
    assert secret in owner_view.content.decode()

    paths: dict[str, bool] = {}
    for objects in (Objects(canary, extra), Objects(world.defect, world.extra)):
        filled, unfillable = crawl_paths(objects)
        assert unfillable == []
        for endpoint, path in filled:
            paths.setdefault(path, endpoint.is_admin)

    crawl = _crawl(viewers, paths, canary, secret, [word, canary.key], world.defect.key)
    assert crawl.leaks == [], "\n".join(crawl.leaks[:50])
    assert crawl.requests > 300
    assert crawl.public_seen["other_reporter (UiB)"] > 0
    assert crawl.public_seen["colleague (UiO)"] > 0

    viewer_addresses = {u.email for u in viewers.values() if u is not None}
    for message in mail.outbox:
        if viewer_addresses & set(message.to + message.cc + message.bcc):
            parts = [str(message.subject), str(message.body)]
            parts += [str(c) for c, _t in getattr(message, "alternatives", [])]
            parts += [str(a) for a in message.attachments]
            assert secret not in "\n".join(parts), f"e-mail to a viewer holds the canary: {message}"
    # Not a vacuous loop: the status mail did go out, with the secret, to the one who may see it.
    reporter = world.users["reporter"]
    assert reporter is not None
    assert any(reporter.email in m.to and secret in str(m.body) for m in mail.outbox)
