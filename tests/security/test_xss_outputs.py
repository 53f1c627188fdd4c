"""The XSS corpus in every text field comes out inert in every page, e-mail and PDF.

The browser run (tests/e2e/test_xss.py) proves no dialog fires; these tests read the markup
itself, for every role, so they also run without a browser (and on SQLite).

Pages and PDFs: every GET URL the resolver knows, for every corpus defect (the exports in every
format among them), and ``?format=pdf`` / ``?export=pdf`` probes. E-mails: the status-change
mails the corpus's transitions send and a digest listing the corpus defects, all through the
real services.
"""

from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from pypdf import PdfReader
from pytest_django.fixtures import Settings as SettingsWrapper

from issues.models import Defect, User
from issues.services.digests import digest_send_now
from tests.crawl import Objects, crawl_paths, pdf_link_targets, unsafe_markup
from tests.security.conftest import World, build_world, client_for, content_of
from tests.security.xss import CORPUS, seed_corpus

pytestmark = pytest.mark.django_db

ROLES = ("reporter", "manager", "liaison", "superuser")


def _script_problems(html: str) -> list[str]:
    # A style attribute is not a script; the header test holds the line on those.
    return [p for p in unsafe_markup(html) if "inline style" not in p]


def _seeded_world(tmp_path: Path, settings: SettingsWrapper) -> tuple[World, User, User]:
    world = build_world(tmp_path, settings)
    reporter, manager = world.users["reporter"], world.users["manager"]
    assert reporter is not None
    assert manager is not None
    return world, reporter, manager


def _urls(seeded: list[tuple[Defect, dict[type, Any]]]) -> dict[str, bool]:
    """Every URL to read for the corpus defects, mapped to whether it is an admin page.

    The ``?format=pdf`` / ``?export=pdf`` probes (for a page that would render itself as a PDF)
    are tried with the first corpus defect's ids only: the answer does not depend on the text.
    """
    urls: dict[str, bool] = {}
    for n, (defect, extra) in enumerate(seeded):
        filled, unfillable = crawl_paths(Objects(defect, extra))
        assert unfillable == []
        for endpoint, path in filled:
            urls.setdefault(path, endpoint.is_admin)
            # The admin has no PDF views; an export path already names its format.
            if n == 0 and not endpoint.is_admin and "/eksport/" not in path:
                urls.setdefault(f"{path}?format=pdf", False)
                urls.setdefault(f"{path}?export=pdf", False)
    return urls


def _pdf_problems(where: str, body: bytes) -> list[str]:
    return [
        f"{where}: PDF link {target}"
        for page in PdfReader(BytesIO(body)).pages
        for target in pdf_link_targets(page)
        if target.lower().lstrip().startswith("javascript")
    ]


def test_corpus_is_inert_in_every_page_and_pdf(tmp_path: Path, settings: SettingsWrapper) -> None:
    world, reporter, manager = _seeded_world(tmp_path, settings)
    urls = _urls(seed_corpus(reporter, manager))
    problems: list[str] = []
    shown = 0
    pdfs = 0
    for role in ROLES:
        client = client_for(world.users[role])
        for url, is_admin in urls.items():
            if is_admin and role != "superuser":
                continue  # the others only see the admin's login redirect
            response = client.get(url)
            body = content_of(response)
            if body[:5] == b"%PDF-":
                pdfs += 1
                problems += _pdf_problems(f"{role} {url}", body)
            elif response.headers.get("Content-Type", "").startswith("text/html"):
                html = body.decode("utf-8", "replace")
                shown += html.count("XSS ")
                problems += [f"{role} {url}: {p}" for p in _script_problems(html)]
    assert problems == [], "\n".join(problems[:40])
    assert shown > 0  # the corpus did reach the pages
    assert pdfs > 0  # and the PDF export (management, liaison and the superuser may export)


def test_corpus_is_inert_in_every_email(
    tmp_path: Path,
    settings: SettingsWrapper,
    eager_celery: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _world, reporter, manager = _seeded_world(tmp_path, settings)
    with django_capture_on_commit_callbacks(execute=True):
        seed_corpus(reporter, manager)
    with django_capture_on_commit_callbacks(execute=True):
        digest_send_now(actor=manager)
    html_parts = 0
    for message in mail.outbox:
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html_parts += 1
                found = _script_problems(str(content))
                assert found == [], f"e-mail {message.subject!r}: {found}"
        # Plain-text bodies are never interpreted as HTML: they show the text as typed.
        assert "&lt;script&gt;" not in str(message.body), message.subject
    # Not a vacuous loop: status mails and the digest went out, and they carry the corpus.
    assert html_parts > 0
    sent = "\n".join(str(m.subject) + str(m.body) for m in mail.outbox)
    assert sum(payload[:20] in sent for payload in CORPUS) > len(CORPUS) // 2
