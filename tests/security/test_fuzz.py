"""Issue 16: every URL of the resolver (web, API, admin) answers hostile input with a 4xx.

Sent to each path, as the management team's superuser (who reaches the most views): a NUL in
each search parameter, invalid UTF-8 in the query, non-numeric ids and pages, a crafted cursor,
and as POST a form value with NUL, JSON with NUL, invalid UTF-8 and 5,000 levels of nesting
(huge bodies: tests/test_hostile_input.py and tests/issues/api/test_api_limits.py). Asserts no
5xx and no traceback in the log. The number of URLs is printed for the closing note.
"""

import base64
import logging
from pathlib import Path

import pytest
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

from tests.crawl import SEARCH_PARAMS, Objects, crawl_paths
from tests.security.conftest import build_world

# Requests are combined (every search parameter with a NUL in one query string) to keep the
# pass at about a minute: the URL count is what must stay complete, not the combinations.
WEB_QUERIES = [
    "&".join(f"{param}=a%00b" for param in SEARCH_PARAMS),
    "q=%ff%fe%fd&area=abc&category=x&page=abc&page_size=abc&id=abc&owner=abc&tier=abc",
]
CURSORS = [base64.b64encode(b"p=abc").decode(), base64.b64encode(b"p=\x00&r=1").decode()]
API_QUERIES = [*WEB_QUERIES, *(f"cursor={c}" for c in CURSORS)]
NESTED = ("[" * 5000 + "]" * 5000).encode()
WEB_BODIES = [NESTED]
API_BODIES = [b'{"title": "a\\u0000b"}', NESTED, b'{"title": "\xff\xfe"}']
SKIP_POST = ("logout",)


def _statuses(client: Client, path: str, *, api: bool, post: bool) -> list[tuple[str, int]]:
    sent = []
    for query in API_QUERIES if api else WEB_QUERIES:
        sent.append((f"GET ?{query}", client.get(f"{path}?{query}").status_code))
    if not post:
        return sent
    sent.append(("POST form NUL", client.post(path, {"title": "a\x00b"}).status_code))
    for body in API_BODIES if api else WEB_BODIES:
        response = client.post(path, body, content_type="application/json")
        sent.append((f"POST {body[:12]!r}", response.status_code))
    return sent


@pytest.mark.django_db
def test_no_url_answers_hostile_input_with_a_server_error(
    tmp_path: Path, settings: SettingsWrapper, caplog: pytest.LogCaptureFixture
) -> None:
    world = build_world(tmp_path, settings)
    paths, _unfillable = crawl_paths(Objects(world.defect, world.extra))
    assert len(paths) > 50
    client = Client(raise_request_exception=False)
    superuser = world.users["superuser"]
    assert superuser is not None
    superuser.groups.add(*world.users["manager"].groups.all())  # type: ignore[union-attr]
    client.force_login(superuser)
    caplog.set_level(logging.ERROR)
    failures: list[str] = []
    for endpoint, path in paths:
        post = not any(word in endpoint.name for word in SKIP_POST)
        for what, status in _statuses(client, path, api=path.startswith("/api/"), post=post):
            if status >= 500:
                failures.append(f"{path} {what} -> {status}")
    print(
        f"fuzzed {len(paths)} URLs; not fillable: {[e.name for e in _unfillable]}"
    )  # the closing note
    assert failures == []
    assert [r.getMessage() for r in caplog.records if r.exc_info] == []
