"""The XSS corpus in every text field comes out inert in every page, e-mail and PDF.

The browser run (tests/e2e/test_xss.py) proves no dialog fires; this test reads the markup
itself, for every role, so it also runs without a browser (and on SQLite).

E-mails and PDFs: the notification/digest and export renderers are built in other parts. This
test covers whatever exists when it runs: every e-mail in ``django.core.mail.outbox`` after the
corpus went through every service, and every PDF any GET URL returns (``?format=pdf`` /
``?export=pdf`` variants included). Until those renderers exist it checks only pages.
"""

from pathlib import Path

import pytest
from django.core import mail
from pytest_django.fixtures import Settings as SettingsWrapper

from tests.crawl import Objects, crawl_paths, pdf_link_targets, unsafe_markup
from tests.security.conftest import build_world, client_for, content_of
from tests.security.xss import seed_corpus

pytestmark = pytest.mark.django_db


def _script_problems(html: str) -> list[str]:
    # A style attribute is not a script; the header test holds the line on those.
    return [p for p in unsafe_markup(html) if "inline style" not in p]


def test_corpus_is_inert_in_every_page_email_and_pdf(
    tmp_path: Path, settings: SettingsWrapper
) -> None:
    world = build_world(tmp_path, settings)
    reporter, manager = world.users["reporter"], world.users["manager"]
    assert reporter is not None
    assert manager is not None
    seeded = seed_corpus(reporter, manager)
    paths: dict[str, bool] = {}
    for defect, extra in seeded:
        filled, unfillable = crawl_paths(Objects(defect, extra))
        assert unfillable == []
        for endpoint, path in filled:
            paths.setdefault(path, endpoint.is_admin)
    problems: list[str] = []
    shown = 0
    pdfs = 0
    for role in ("reporter", "manager", "liaison", "superuser"):
        client = client_for(world.users[role])
        for path, is_admin in paths.items():
            if is_admin and role != "superuser":
                continue  # the others only see the admin's login redirect
            variants = [path] if is_admin else [path, f"{path}?format=pdf", f"{path}?export=pdf"]
            for url in variants:
                response = client.get(url)
                body = content_of(response)
                if body[:5] == b"%PDF-":
                    pdfs += 1
                    from io import BytesIO

                    from pypdf import PdfReader

                    for page in PdfReader(BytesIO(body)).pages:
                        for target in pdf_link_targets(page):
                            if target.lower().lstrip().startswith("javascript"):
                                problems.append(f"{role} {url}: PDF link {target}")
                    continue
                if not response.headers.get("Content-Type", "").startswith("text/html"):
                    continue
                html = body.decode("utf-8", "replace")
                shown += html.count("XSS ")
                problems += [f"{role} {url}: {p}" for p in _script_problems(html)]
    assert problems == [], "\n".join(problems[:40])
    assert shown > 0  # the corpus did reach the pages

    for message in mail.outbox:
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                found = _script_problems(str(content))
                assert found == [], f"e-mail {message.subject!r}: {found}"
        # Plain-text bodies are never interpreted as HTML: they show the text as typed.
        assert "&lt;script&gt;" not in str(message.body), message.subject
