"""A large export started from a browser: a progress page for its owner, then the file or why not.

The job is not run by these requests (``on_commit`` never fires inside a test transaction):
each test runs it, or leaves it queued, and reads what the page says about it.
"""

from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from issues.models import ExportLog, ExportState, User
from issues.services import exports as export_services
from issues.services.exports import export_job_run
from tests.factories import make_defect, make_user

pytestmark = pytest.mark.django_db

# What Chromium sends when a person submits a form.
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(autouse=True)
def small_limit(settings: SettingsWrapper) -> None:
    settings.EXPORT_SYNC_MAX_ROWS = {"csv": 2, "xlsx": 2}


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _defects(reporter: User, n: int, **facts: bool) -> None:
    for i in range(n):
        make_defect(reporter, title=f"Feil {i}", facts=facts)


def _start_in_browser(client: Client, fmt: str = "csv", **params: str) -> tuple[ExportLog, str]:
    response = client.get(
        reverse("issues:export", args=[fmt]), params, headers={"accept": BROWSER_ACCEPT}
    )
    assert response.status_code == 303
    log = ExportLog.objects.get()
    assert urlsplit(response["Location"]).path == reverse("issues:export_job_page", args=[log.pk])
    return log, response["Location"]


def _page(client: Client, url: str) -> lxml.html.HtmlElement:
    response = client.get(url)
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def _text(node: lxml.html.HtmlElement) -> str:
    return " ".join(node.text_content().split())


def test_a_browser_is_sent_to_the_progress_page_of_its_queued_job(
    manager: User, reporter: User
) -> None:
    _defects(reporter, 3, blocks_pay=True)
    client = _client(manager)
    log, url = _start_in_browser(client, "xlsx", tier="1", page="2")
    assert (log.state, log.row_count) == (ExportState.QUEUED, 3)
    # The filter travels along (the page number does not), for the way back.
    assert parse_qs(urlsplit(url).query) == {"tier": ["1"]}
    doc = _page(client, url)
    assert _text(doc.xpath("//h1")[0]) == "Eksport av saker"
    assert "XLSX-fil med 3 saker." in _text(doc.xpath("//main")[0])
    bar = doc.xpath("//progress")[0]
    assert bar.get("value") is None  # queued: indeterminate
    assert doc.xpath("//*[@id=$i]", i=bar.get("aria-describedby"))[0].text_content() == (
        "I kø – eksporten starter straks."
    )
    poller = doc.xpath("//*[@hx-trigger]")[0]
    assert poller.get("hx-trigger") == "every 1s"
    assert poller.get("hx-get") == reverse("issues:export_job_progress", args=[log.pk]) + "?tier=1"
    assert doc.xpath("//*[@id='export-announce']")[0].get("role") == "status"
    assert not doc.xpath("//a[contains(@href, '/fil/')]")


def test_a_json_client_still_gets_202_with_the_job_status(manager: User, reporter: User) -> None:
    _defects(reporter, 3)
    client = _client(manager)
    for accept in ("application/json", "application/json, text/html;q=0.9", "*/*"):
        response = client.get(reverse("issues:export", args=["csv"]), headers={"accept": accept})
        assert response.status_code == 202, accept
        body = response.json()
        assert response["Location"] == body["status_url"]
        assert (body["state"], body["rows"]) == ("queued", 3)


def test_the_bar_shows_the_rows_written_so_far(manager: User, reporter: User) -> None:
    _defects(reporter, 7)
    client = _client(manager)
    log, url = _start_in_browser(client)
    ExportLog.objects.filter(pk=log.pk).update(state=ExportState.RUNNING)
    cache.set(f"export-progress-{log.pk}", 3, 60)
    doc = _page(client, url.replace("/side/", "/framdrift/"))
    bar = doc.xpath("//progress")[0]
    assert (bar.get("value"), bar.get("max")) == ("3", "7")
    assert _text(bar) == "42 %"  # 3/7 rounded down
    assert _text(doc.get_element_by_id("export-progress-text")) == "3 av 7 saker skrevet (42 %)."
    assert doc.xpath("//*[@hx-trigger='every 1s']")
    assert not doc.xpath("//*[@id='export-announce']")  # nothing to announce yet


def test_a_finished_job_offers_its_file_and_stops_polling(manager: User, reporter: User) -> None:
    _defects(reporter, 5)
    client = _client(manager)
    log, url = _start_in_browser(client)
    assert export_job_run(export_id=log.pk, params={}, language="nb") == ExportState.DONE
    for doc in (_page(client, url), _page(client, url.replace("/side/", "/framdrift/"))):
        link = doc.xpath("//a[@download]")[0]
        assert _text(link) == "Last ned fila (5 saker)"
        assert link.get("href") == reverse("issues:export_job_file", args=[log.pk])
        assert doc.xpath("//progress")[0].get("value") == "5"
        assert not doc.xpath("//*[@hx-trigger]")
    # The polled fragment tells the live region, which stays in place (innerHTML), once done.
    announce = doc.get_element_by_id("export-announce")
    assert announce.get("hx-swap-oob") == "innerHTML"
    assert _text(announce) == "Eksporten er klar. Last ned fila (5 saker)."
    assert client.get(link.get("href")).status_code == 200


def test_a_failed_job_says_so_and_leads_back_to_the_same_filter(
    manager: User, reporter: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    _defects(reporter, 4, blocks_pay=True)
    client = _client(manager)
    log, url = _start_in_browser(client, tier="1")
    real_write = export_services._write
    monkeypatch.setattr(export_services, "_write", lambda *a: real_write(*a) - 1)
    assert export_job_run(export_id=log.pk, params={"tier": ["1"]}, language="nb") == "failed"
    doc = _page(client, url)
    alert = doc.xpath("//*[contains(@class, 'ds-alert')]")[0]
    assert _text(alert.xpath(".//h2")[0]) == "Eksporten feilet"
    assert "Det ble skrevet 3 rader, men filteret ga 4 saker." in _text(alert)
    back = alert.xpath(".//a")[0]
    assert back.get("href") == reverse("issues:escalation") + "?tier=1"
    assert not doc.xpath("//a[@download]")
    assert not doc.xpath("//*[@hx-trigger]")
    fragment = _page(client, url.replace("/side/", "/framdrift/"))
    assert _text(fragment.get_element_by_id("export-announce")) == (
        "Eksporten feilet, og ingen fil ble laget."
    )


def test_a_job_that_raised_says_it_failed_without_a_row_count(
    manager: User, reporter: User
) -> None:
    _defects(reporter, 3)
    client = _client(manager)
    log, url = _start_in_browser(client)
    ExportLog.objects.filter(pk=log.pk).update(state=ExportState.FAILED, error="exception")
    alert = _page(client, url).xpath("//*[contains(@class, 'ds-alert')]")[0]
    assert "Noe gikk galt mens fila ble laget" in _text(alert)
    assert alert.xpath(".//a")[0].get("href") == reverse("issues:escalation")


def test_only_the_owner_sees_the_progress_page(manager: User, reporter: User) -> None:
    _defects(reporter, 3)
    log, url = _start_in_browser(_client(manager))
    fragment = reverse("issues:export_job_progress", args=[log.pk])
    for other in (make_user("management"), make_user("liaison")):
        assert _client(other).get(url).status_code == 404
        assert _client(other).get(fragment).status_code == 404
    assert _client(reporter).get(url).status_code == 403
    assert Client().get(url).status_code == 302  # to the login page
    # A streamed export has no job and no page.
    streamed = ExportLog.objects.create(user=manager, format="csv", row_count=1)
    page = reverse("issues:export_job_page", args=[streamed.pk])
    assert _client(manager).get(page).status_code == 404


def test_the_page_speaks_english_to_those_who_chose_it(manager: User, reporter: User) -> None:
    _defects(reporter, 3)
    client = _client(manager)
    log, url = _start_in_browser(client)
    export_job_run(export_id=log.pk, params={}, language="en")
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    doc = _page(client, url)
    assert _text(doc.xpath("//h1")[0]) == "Export of defects"
    assert _text(doc.xpath("//a[@download]")[0]) == "Download the file (3 defects)"
