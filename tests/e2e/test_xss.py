"""The XSS corpus in a real browser: on every page that shows it, no script ever runs.

The browser context bypasses the Content-Security-Policy on purpose: the CSP is the second
line of defence, and this test must show that escaping alone (the first) holds. Every page
the resolver knows is visited (tests/crawl.py) with each corpus defect's ids, plus reflected
search parameters; a dialog (alert/confirm/prompt) anywhere fails the test, and so does any
script element, event handler or javascript: link that made it into the DOM.
"""

import urllib.parse
from typing import Any

import pytest
from playwright.sync_api import Browser, Dialog, Page
from playwright.sync_api import Error as PlaywrightError
from pytest_django.fixtures import Settings as SettingsWrapper

from tests.crawl import Objects, crawl_paths, unsafe_markup
from tests.e2e.conftest import login
from tests.factories import make_user
from tests.security.xss import CORPUS, seed_corpus

pytestmark = pytest.mark.django_db(transaction=True)

# The admin pages that show the corpus; the rest of the admin shows reference data only.
ADMIN_MODELS = ("issues_defect_", "issues_comment_", "issues_attachment_", "issues_auditevent_")

DOM_PROBE = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (attr.name.startsWith('on')) found.push(el.tagName + ' ' + attr.name);
      if (['href', 'src', 'action', 'formaction'].includes(attr.name) &&
          /^\\s*javascript:/i.test(attr.value.replace(/[\\s\\x00-\\x1f]/g, ''))) {
        found.push(el.tagName + ' ' + attr.name + '=' + attr.value);
      }
    }
  }
  for (const s of document.querySelectorAll('script:not([src])')) {
    if (!/json/i.test(s.type || '')) found.push('inline script: ' + s.textContent.slice(0, 60));
  }
  return found;
}"""


def _paths(seeded: list[Any]) -> list[str]:
    paths: dict[str, None] = {}
    for n, (defect, extra) in enumerate(seeded):
        filled, unfillable = crawl_paths(Objects(defect, extra))
        assert unfillable == []
        for endpoint, path in filled:
            if endpoint.name.endswith("logout"):
                continue  # would end the session for the pages after it
            if endpoint.is_admin:
                if n > 1 or not any(m in endpoint.name for m in ADMIN_MODELS):
                    continue
                if endpoint.name.endswith(("_delete", "_add")):
                    continue
            paths.setdefault(path)
            if not endpoint.is_admin and "{" not in path and path.count("/") <= 2:
                for payload in CORPUS[:2]:
                    paths.setdefault(f"{path}?q={urllib.parse.quote(payload)}")
    return list(paths)


def _record_dialogs(page: Page, who: str, dialogs: list[str]) -> None:
    def on_dialog(dialog: Dialog) -> None:
        where = dialog.page.url if dialog.page else "?"
        dialogs.append(f"{who} {where}: {dialog.type} {dialog.message!r}")
        dialog.dismiss()

    page.on("dialog", on_dialog)


def _visit(page: Page, username: str, paths: list[str], problems: list[str]) -> int:
    """Open every path; collect what the DOM and the markup hold; how often the corpus showed."""
    shown = 0
    for path in paths:
        if username == "kari" and path.startswith("/admin/"):
            continue
        try:
            page.goto(path)
        except PlaywrightError:
            # An empty error response (405 with no body) is no page to inspect.
            continue
        page.wait_for_load_state("load")
        found = page.evaluate(DOM_PROBE)
        problems += [f"{username} {path}: {f}" for f in found]
        html = page.content()
        problems += [
            f"{username} {path}: {p}" for p in unsafe_markup(html) if "inline style" not in p
        ]
        shown += html.count("XSS ")
    return shown


# One test per user, so pytest-xdist can run the two crawls at the same time.
@pytest.mark.parametrize("username", ["leder", "kari"])
def test_no_dialog_fires_on_any_page_showing_the_corpus(
    username: str, browser: Browser, live_server: Any, settings: SettingsWrapper, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    reporter = make_user("reporter", username="kari")
    manager = make_user("management", username="leder", is_staff=True, is_superuser=True)
    paths = _paths(seed_corpus(reporter, manager))
    dialogs: list[str] = []
    problems: list[str] = []
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(15_000)
    _record_dialogs(page, username, dialogs)
    login(page, username)
    shown = _visit(page, username, paths, problems)
    context.close()
    assert shown > 0, f"the corpus never reached a page for {username}"
    assert dialogs == []
    assert problems == [], "\n".join(problems[:40])


def test_the_recorder_catches_a_dialog(browser: Browser, live_server: Any) -> None:
    """The crawl's recorder does report a dialog: a script that really runs opens one."""
    dialogs: list[str] = []
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    _record_dialogs(page, "probe", dialogs)
    page.goto("/login/")
    page.evaluate("() => alert('probe')")
    context.close()
    assert len(dialogs) == 1
    assert "alert 'probe'" in dialogs[0]
