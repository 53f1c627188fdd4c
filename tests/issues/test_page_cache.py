"""Cached page parts (issues.page_cache) are never older than the data: every kind of write
bumps the data version, and a page read after a write shows the write.

These tests commit (transaction=True): inside a transaction nothing is cached at all."""

import re
from collections.abc import Callable
from importlib import import_module

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django.fixtures import Settings as SettingsWrapper

from issues import page_cache
from issues.models import Area, Defect, Release, User
from issues.services.defects import defect_transition
from issues.services.merge import defect_merge
from issues.services.participation import affects_us_add
from issues.workflow import OPEN_STATUSES
from tests.factories import make_defect, make_user
from tests.issues.pd_numbers import first_national_id

# A table named in FROM/JOIN, or as the qualifier of a column.
TABLE_NAME = re.compile(r'(?:FROM|JOIN)\s+"(\w+)"|"(\w+)"\.')
DATA_TABLES = (
    *import_module("issues.migrations.0011_data_version").TABLES,
    *import_module("issues.migrations.0014_dashboard_counts").TABLES,
    *import_module("issues.migrations.0016_dashboard_weeks_affects").TABLES,
)


pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _queue(client: Client, query: str = "") -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/triage/{query}")
    assert response.status_code == 200
    return response.content.decode(), len(queries.captured_queries)


def _bumps(write: object, version: Callable[[], int | None] = page_cache.data_version) -> bool:
    before = version()
    write() if callable(write) else None
    after = version()
    assert before is not None
    assert after is not None
    return after > before


def test_every_kind_of_write_bumps_the_version() -> None:
    reporter = make_user("reporter", institution="UiO")
    defect = make_defect(reporter, title="Faktura stopper")
    other = make_user("reporter", institution="UiB")
    assert _bumps(lambda: make_defect(reporter))
    assert _bumps(lambda: Defect.objects.filter(pk=defect.pk).update(title="Endret"))
    assert _bumps(lambda: affects_us_add(defect=defect, user=other))
    assert _bumps(lambda: Area.objects.filter(code="BTB").update(name_nb="Behov til betaling!"))
    assert _bumps(lambda: Release.objects.create(name="2026.12"))

    def raw_sql() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE issues_defect SET people_affected = 3 WHERE id = %s", [defect.pk]
            )

    assert _bumps(raw_sql)
    # Reading changes nothing.
    assert not _bumps(lambda: list(Defect.objects.all()))


def test_nothing_is_cached_inside_a_transaction() -> None:
    with transaction.atomic():
        assert page_cache.data_version() is None


def _sequence_value() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value FROM issues_data_version")
        return int(cursor.fetchone()[0])


def test_the_version_moves_when_the_write_commits_not_before() -> None:
    # Bumped at the statement, a page rendered before the commit could keep the old rows under
    # the new version. The sequence is outside transactions, so it can be read from inside one.
    reporter = make_user("reporter")
    before = _sequence_value()
    with transaction.atomic():
        make_defect(reporter, title="Faktura stopper")
        Defect.objects.update(people_affected=2)
        assert _sequence_value() == before
    assert _sequence_value() == before + 1  # one bump for the whole transaction
    with transaction.atomic():
        make_defect(reporter, title="Rulles tilbake")
        transaction.set_rollback(True)
    assert _sequence_value() == before + 1  # a rolled-back write changes nothing


def test_cached_parts_read_only_tables_that_move_the_version(settings: SettingsWrapper) -> None:
    """A cold render of each cached part reads no table whose writes would not bump the data
    version: otherwise a change there would be shown late."""
    settings.PAGE_CACHE = False
    manager = make_user("management", username="leder")
    make_defect(make_user("reporter"), title="Faktura stopper")
    client = Client()
    client.force_login(manager)
    outside = {"django_session", "issues_user", "auth_group", "issues_user_groups"}
    for url in ("/triage/", "/triage/?q=faktura&status=new", "/triage/mote/", "/oversikt/"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        read = tables_read(queries)
        # The queue's saved filters are rendered outside the cached part.
        unexpected = read - set(DATA_TABLES) - outside - {"issues_savedfilter"}
        assert not unexpected, f"{url} reads {unexpected}, which do not move the version"


def tables_read(queries: CaptureQueriesContext) -> set[str]:
    """Every table the captured queries name in FROM or JOIN or as a column's qualifier."""
    return {
        name
        for q in queries.captured_queries
        for pair in TABLE_NAME.findall(q["sql"])
        for name in pair
        if name
    }


def tables_with_trigger(name_like: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT event_object_table FROM information_schema.triggers WHERE trigger_name LIKE %s",
            [name_like],
        )
        return {row[0] for row in cursor.fetchall()}


def test_every_listed_table_has_its_trigger() -> None:
    assert tables_with_trigger("%_data_version%") == set(DATA_TABLES)


def test_the_queue_is_served_from_the_cache_until_the_data_changes() -> None:
    manager = make_user("management", institution="NTNU", username="leder")
    reporter = make_user("reporter", institution="UiO")
    first = make_defect(reporter, title="Faktura stopper i arbeidsflyt")
    client = Client()
    client.force_login(manager)

    _cold, cold_queries = _queue(client)
    warm, warm_queries = _queue(client)
    assert "Faktura stopper i arbeidsflyt" in warm
    assert warm_queries < cold_queries  # the rows, counts and choice lists came from the cache

    make_defect(reporter, title="Timeliste låst")
    page, _n = _queue(client)
    assert "Timeliste låst" in page

    Defect.objects.filter(pk=first.pk).update(
        title="Faktura avvist av DFØ"
    )  # no service, no signal
    page, _n = _queue(client)
    assert "Faktura avvist av DFØ" in page
    assert "Faktura stopper i arbeidsflyt" not in page

    defect_transition(defect=first, actor=manager, to_status="triaged")
    affects_us_add(defect=first, user=make_user("reporter", institution="UiT"))
    page, _n = _queue(client, "?status=triaged")
    assert "Faktura avvist av DFØ" in page
    assert "Timeliste låst" not in page
    assert "<td>UiO, UiT</td>" in page  # the new "affects us too" shows at once


def test_each_user_gets_their_own_csrf_token_from_a_cached_queue() -> None:
    make_defect(make_user("reporter"), title="Faktura stopper")
    tokens = []
    for name in ("leder1", "leder2"):
        client = Client(enforce_csrf_checks=True)
        client.force_login(make_user("management", username=name))
        page, _n = _queue(client)
        found = re.search(r'id="bulk-form"><input type="hidden" name="csrfmiddlewaretoken" '
                          r'value="([^"]+)"', page)  # fmt: skip
        assert found, "the bulk form has its CSRF token"
        tokens.append(found.group(1))
        # The token works for this client: the bulk form posts (an empty selection is refused
        # by the view with a message, not by the CSRF check with a 403).
        response = client.post("/triage/masse/", {"csrfmiddlewaretoken": found.group(1)})
        assert response.status_code == 302
    assert tokens[0] != tokens[1]


def test_scope_is_shared_only_by_those_who_see_everything() -> None:
    manager: User = make_user("management")
    liaison: User = make_user("liaison")
    a = make_user("reporter")
    b = make_user("reporter")
    assert page_cache.scope(manager) == page_cache.scope(liaison) == "all"
    assert page_cache.scope(a) != page_cache.scope(b)


def _open_tier_counts(client: Client) -> dict[str, int]:
    data = client.get("/oversikt/").context["data"]
    return {row["area"]: row["tier1"] + row["tier2"] + row["tier3"] for row in data["by_area_tier"]}


def test_dashboard_counts_follow_writes_and_merges() -> None:
    manager = make_user("management", username="leder")
    reporter = make_user("reporter", institution="UiO")
    client = Client()
    client.force_login(manager)
    a = make_defect(reporter, title="Faktura stopper", area_code="BTB")
    b = make_defect(make_user("reporter", institution="UiB"), title="Faktura står", area_code="BTB")
    assert _open_tier_counts(client) == {"BTB": 2}
    assert _open_tier_counts(client) == {"BTB": 2}  # served from the cache
    make_defect(reporter, title="Timeliste låst", area_code="TOA")
    assert _open_tier_counts(client) == {"BTB": 2, "TOA": 1}
    # A merge closes the duplicate: one open defect fewer, at once.
    defect_merge(
        duplicate=Defect.objects.get(pk=b.pk),
        canonical=Defect.objects.get(pk=a.pk),
        actor=manager,
        duplicate_version=Defect.objects.get(pk=b.pk).version,
        canonical_version=Defect.objects.get(pk=a.pk).version,
    )
    assert _open_tier_counts(client) == {"BTB": 1, "TOA": 1}
    # Oracle: the same numbers counted from the rows.
    open_btb = Defect.objects.filter(area__code="BTB", status__in=OPEN_STATUSES).count()
    assert _open_tier_counts(client)["BTB"] == open_btb


def test_meeting_view_shows_a_status_change_made_after_it_was_cached() -> None:
    manager = make_user("management", username="leder")
    defect = make_defect(
        make_user("reporter"), title="Lønn kommer ikke", facts={"blocks_pay": True}
    )
    client = Client()
    client.force_login(manager)
    before = client.get("/triage/mote/").content.decode()
    assert "Lønn kommer ikke" in before
    defect_transition(defect=defect, actor=manager, to_status="triaged", note="Sett på i dag")
    after = client.get("/triage/mote/").content.decode()
    assert "Sett på i dag" in after


def _stored_queue_parts() -> bytes:
    """Every cached queue part as stored in Redis, concatenated (pickles keep text as UTF-8)."""
    client = cache._cache.get_client()  # type: ignore[attr-defined]
    keys = list(client.scan_iter(match="*page:triage-queue:*"))
    return b"".join(client.get(k) or b"" for k in keys)


def test_a_search_for_a_national_id_is_never_kept_in_the_cache() -> None:
    fnr = first_national_id("010190")
    client = Client()
    client.force_login(make_user("management", username="leder"))
    client.get("/triage/", {"q": f"fnr {fnr} i feltet"})
    client.get("/triage/", {"q": "fakturakontroll"})
    stored = _stored_queue_parts()
    assert b"fakturakontroll" in stored  # an ordinary search is kept ...
    assert fnr.encode() not in stored  # ... one with a personal number is not


def test_triage_page_takes_its_choice_lists_from_the_cache_until_they_change() -> None:
    manager = make_user("management", username="leder")
    defect = make_defect(make_user("reporter"), title="Faktura stopper")
    client = Client()
    client.force_login(manager)
    url = f"/triage/feil/{defect.pk}/"

    def page() -> tuple[str, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return response.content.decode(), len(queries.captured_queries)

    cold, cold_queries = page()
    warm, warm_queries = page()
    assert warm_queries == cold_queries - 7  # areas, categories, ... releases: one cached part
    assert _without_tokens(warm) == _without_tokens(cold)

    Area.objects.create(code="NYTT", name_nb="Nytt område", name_en="New area", order=99)
    Release.objects.create(name="2031.1")
    shown, _n = page()
    assert "Nytt område" in shown
    assert '<option value="' in shown
    assert ">2031.1</option>" in shown


def _without_tokens(html: str) -> str:
    """The page without its CSRF tokens, which are masked afresh on every render."""
    return re.sub(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+', r"\1", html)


def test_known_defects_count_follows_writes_for_each_scope() -> None:
    """The known-defects page's count is cached per scope: a reporter never gets the count of
    what only the team sees, and a new known defect counts at once."""
    manager = make_user("management", username="leder")
    reporter = make_user("reporter", institution="UiO")
    other = make_user("reporter", institution="UiB")
    hidden = make_defect(other, title="Faktura hemmelig", confidential=True)
    shown = make_defect(other, title="Faktura synlig")
    for d in (hidden, shown):
        defect_transition(defect=d, actor=manager, to_status="triaged")

    def count(user: User) -> int:
        client = Client()
        client.force_login(user)
        hits = client.get("/", {"q": "faktura"}).context["window"].hits
        return hits.value

    assert count(manager) == 2
    assert count(reporter) == 1  # not the team's cached 2
    assert count(manager) == 2  # from the cache
    defect_transition(
        defect=make_defect(reporter, title="Faktura ny"), actor=manager, to_status="triaged"
    )
    assert count(manager) == 3
    assert count(reporter) == 2
