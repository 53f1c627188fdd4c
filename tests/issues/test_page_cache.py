"""Cached page parts (issues.page_cache) are never older than the data: every kind of write
bumps the data version, and a page read after a write shows the write.

These tests commit (transaction=True): inside a transaction nothing is cached at all."""

import re

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from issues import page_cache
from issues.models import Area, Defect, Release, User
from issues.services.defects import defect_transition
from issues.services.merge import defect_merge
from issues.services.participation import affects_us_add
from issues.workflow import OPEN_STATUSES
from tests.factories import make_defect, make_user
from tests.issues.pd_numbers import first_national_id

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _queue(client: Client, query: str = "") -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/triage/{query}")
    assert response.status_code == 200
    return response.content.decode(), len(queries.captured_queries)


def _bumps(write: object) -> bool:
    before = page_cache.data_version()
    write() if callable(write) else None
    after = page_cache.data_version()
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
        assert client.cookies["csrftoken"].value  # the token belongs to this client's cookie
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
