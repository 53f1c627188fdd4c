"""Canary: a confidential defect must not show up anywhere for a user who may not see it.

One confidential defect carries a unique secret in every text field it has (title, description,
workaround, DFØ reference, override reason, comments, a transition note, an attachment's name
and bytes). Then every GET URL the resolver knows is requested as users who may not see it: with
the canary's ids in the path parameters, with the searchable word and the key in every common
search parameter, and with every export format. No response body (HTML, JSON, CSV, XLSX
unzipped, PDF text) and no e-mail may contain the secret or the defect's key. New pages, API
endpoints, exports and digests added by other parts are covered without changing this test.
"""

import re
import uuid
from pathlib import Path

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


def _canary(world_users: dict[str, User | None], word: str, secret: str) -> tuple[Defect, dict]:
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


def test_confidential_defect_leaks_nowhere(tmp_path: Path, settings: SettingsWrapper) -> None:
    world = build_world(tmp_path, settings)
    word = f"sokeord{uuid.uuid4().hex[:8]}"
    secret = f"KANARI{uuid.uuid4().hex}"
    canary, extra = _canary(world.users, word, secret)
    key = re.compile(rf"{re.escape(canary.key)}(?!\d)")
    dfo_secret = secret[-12:]
    viewers = {
        "other_reporter (UiB)": world.users["other_reporter"],
        "colleague (UiO)": make_user("reporter", institution="UiO"),
        "anonymous": None,
    }
    # Sanity: the canary is there and the crawl sees it where it should.
    owner_view = client_for(world.users["reporter"]).get(canary.get_absolute_url())
    assert secret in owner_view.content.decode()

    paths: dict[str, bool] = {}
    for objects in (Objects(canary, extra), Objects(world.defect, world.extra)):
        filled, unfillable = crawl_paths(objects)
        assert unfillable == []
        for endpoint, path in filled:
            paths.setdefault(path, endpoint.is_admin)

    leaks: list[str] = []
    requests = 0
    for who, user in viewers.items():
        client = client_for(user)
        for path, is_admin in paths.items():
            variants = [path] if is_admin else list(query_variants(path, [word, canary.key]))
            for url in variants:
                response = client.get(url)
                requests += 1
                text = body_text(content_of(response), response.headers.get("Content-Type", ""))
                searched_key = canary.key in url
                if secret in text or dfo_secret in text:
                    leaks.append(f"{who} GET {url} -> {response.status_code}: secret")
                if not searched_key and key.search(text):
                    leaks.append(f"{who} GET {url} -> {response.status_code}: key {canary.key}")
    assert leaks == [], "\n".join(leaks[:50])
    assert requests > 300

    viewer_addresses = {u.email for u in viewers.values() if u is not None}
    for message in mail.outbox:
        if viewer_addresses & set(message.to + message.cc + message.bcc):
            parts = [str(message.subject), str(message.body)]
            parts += [str(c) for c, _t in getattr(message, "alternatives", [])]
            parts += [str(a) for a in message.attachments]
            assert secret not in "\n".join(parts), f"e-mail to a viewer holds the canary: {message}"
