"""The triage pages through the test client: who gets in, what they see, how many queries."""

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from issues.models import Defect, Meeting, Release, SavedFilter, User
from issues.services.comments import comment_create
from issues.services.defects import defect_override_tier, defect_transition, defect_update
from issues.services.participation import affects_us_add
from tests.factories import make_defect, make_user, session_queries

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


TEAM_GETS = [
    ("issues:triage_queue", False),
    ("issues:triage_owner_search", False),
    ("issues:triage_defect", True),
    ("issues:triage_merge", True),
]


@pytest.mark.parametrize(("name", "with_pk"), TEAM_GETS)
def test_non_management_users_get_nothing(
    name: str, with_pk: bool, reporter: User, liaison: User
) -> None:
    defect = make_defect(reporter, title="Hemmelig tittel")
    url = reverse(name, kwargs={"pk": defect.pk} if with_pk else None)
    for user in (reporter, liaison):
        response = _client(user).get(url + "?q=Hem")
        assert response.status_code == 403
        assert b"Hemmelig tittel" not in response.content
    anonymous = Client().get(url)
    assert anonymous.status_code == 302


def test_non_management_posts_are_refused(reporter: User) -> None:
    defect = make_defect(reporter)
    client = _client(reporter)
    posts = [
        (reverse("issues:triage_bulk"), {"ids": [defect.pk], "action": "reported_to_dfo"}),
        (reverse("issues:triage_filter_save"), {"name": "x", "query": ""}),
        (reverse("issues:triage_defect", args=[defect.pk]), {"action": "override"}),
        (reverse("issues:triage_merge", args=[defect.pk]), {"canonical": defect.pk}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403
    assert not SavedFilter.objects.exists()
    assert Defect.objects.get().version == 1


def test_meeting_view_for_management_and_liaison_only(reporter: User, liaison: User) -> None:
    make_defect(reporter, facts={"blocks_pay": True}, title="Lønn feil")
    assert _client(reporter).get(reverse("issues:triage_meeting")).status_code == 403
    response = _client(liaison).get(reverse("issues:triage_meeting"))
    assert response.status_code == 200
    assert "Lønn feil" in response.content.decode()


def test_queue_shows_untriaged_first_then_by_tier(reporter: User, manager: User) -> None:
    triaged_t1 = make_defect(reporter, facts={"blocks_pay": True}, title="Triagert nivå 1")
    defect_transition(defect=triaged_t1, actor=manager, to_status="triaged")
    new_t3 = make_defect(reporter, title="Ny nivå 3")
    new_t1 = make_defect(reporter, facts={"blocks_reporting": True}, title="Ny nivå 1")
    response = _client(manager).get(reverse("issues:triage_queue"))
    assert response.status_code == 200
    rows = [d.pk for d in response.context["page"].rows]
    assert rows == [new_t1.pk, new_t3.pk, triaged_t1.pk]
    html = response.content.decode()
    assert "Hindrer" in html or "lønn" in html.lower()  # the rule's reason is shown
    # "lønn" is on every page ("SAP lønn" in the filters): the reasons themselves, per row.
    assert (
        '<div class="reason">Hindrer interne rapporter eller myndighetsrapportering</div>' in html
    )
    assert '<div class="reason">Hindrer rett lønn til rett person til rett tid</div>' in html


def test_queue_filters_and_sorting(reporter: User, other_reporter: User, manager: User) -> None:
    a = make_defect(reporter, area_code="BTB", extra_hours_per_week=1, people_affected=1)
    b = make_defect(other_reporter, area_code="TOA", extra_hours_per_week=5, people_affected=2)
    affects_us_add(defect=a, user=make_user("reporter", institution="UiT"))
    client = _client(manager)
    url = reverse("issues:triage_queue")
    toa = client.get(url, {"area": b.area_id}).context["page"].rows
    assert [d.pk for d in toa] == [b.pk]
    uit = client.get(url, {"institution": a.affects.get().institution_id}).context["page"].rows
    assert [d.pk for d in uit] == [a.pk]
    assert uit[0].codes_text == "UiO, UiT"
    by_cost = client.get(url, {"sort": "cost"}).context["page"].rows
    assert [d.pk for d in by_cost] == [a.pk, b.pk]
    by_cost_desc = client.get(url, {"sort": "-cost"}).context["page"].rows
    assert [d.pk for d in by_cost_desc] == [b.pk, a.pk]
    # An unknown sort column falls back to the rank order instead of reaching the database.
    assert client.get(url, {"sort": "reporter__password"}).status_code == 200
    bad = client.get(url, {"min_age_days": "mange"})
    assert bad.status_code == 200
    assert bad.context["page"] is None


def test_queue_queries_do_not_grow_with_page_size(
    reporter: User, manager: User, django_assert_max_num_queries: Any
) -> None:
    release = Release.objects.create(name="R1")
    for i in range(60):
        d = make_defect(reporter, title=f"Feil {i}")
        Defect.objects.filter(pk=d.pk).update(target_release=release)
    client = _client(manager)
    url = reverse("issues:triage_queue")
    client.get(url)  # warm caches (content types, groups)
    for size in (25, 100):
        # The session's queries + 9 + the capped count of matches (one bounded query, whatever
        # the page size), + 2 for the deadline highlight: the next meeting and the recurring
        # deadlines, + 2 on PostgreSQL where the page's ids come in three index-ordered parts
        # (issues/selectors/queue_order.py).
        parts = 2 if connection.vendor == "postgresql" else 0
        with django_assert_max_num_queries(session_queries() + 12 + parts):
            response = client.get(url, {"size": size})
        assert len(response.context["page"].rows) == min(size, 60)


def test_triage_page_queries_do_not_grow_with_comments(
    reporter: User, manager: User, django_assert_max_num_queries: Any
) -> None:
    defect = make_defect(reporter)
    for i in range(30):
        comment_create(defect=defect, author=reporter, body=f"k{i}")
    client = _client(manager)
    url = reverse("issues:triage_defect", args=[defect.pk])
    client.get(url)
    # The session's queries, the defect and its people, the timeline, the duplicates and the
    # seven choice lists of the edit form.
    with django_assert_max_num_queries(session_queries() + 11):
        assert client.get(url).status_code == 200


def test_saved_filters_are_per_user_and_shared(manager: User) -> None:
    colleague = make_user("management", institution="UiB")
    client = _client(manager)
    client.post(
        reverse("issues:triage_filter_save"),
        {"name": "Nivå 1", "query": "tier=1", "shared": "on"},
    )
    client.post(reverse("issues:triage_filter_save"), {"name": "Privat", "query": "tier=3"})
    names = [
        f.name
        for f in _client(colleague).get(reverse("issues:triage_queue")).context["saved_filters"]
    ]
    assert names == ["Nivå 1"]


def test_edit_then_concurrent_edit_is_refused_and_input_kept(reporter: User, manager: User) -> None:
    defect = make_defect(reporter)
    other = make_user("management", institution="UiB")
    url = reverse("issues:triage_defect", args=[defect.pk])
    form = _client(manager).get(url).context["form"]
    data = {
        **{f: form[f].value() for f in form.fields if form[f].value() is not None},
        "action": "edit",
    }
    for fact in [f for f in form.fields if form[f].value() is False]:
        data.pop(fact)
    first = _client(other).post(url, {**data, "dfo_reference": "DFØ-100"})
    assert first.status_code == 302
    second = _client(manager).post(url, {**data, "dfo_reference": "DFØ-200"})
    assert second.status_code == 409
    html = second.content.decode()
    assert "endret av noen andre" in html
    assert "DFØ-200" in html  # the user's input is still in the form
    assert "DFØ-100" in html  # and the current value is shown
    assert Defect.objects.get(pk=defect.pk).dfo_reference == "DFØ-100"
    # Submitting again (now carrying the current version) applies the change.
    resubmit = second.context["form"].data.copy()
    third = _client(manager).post(url, resubmit)
    assert third.status_code == 302
    assert Defect.objects.get(pk=defect.pk).dfo_reference == "DFØ-200"


def test_override_needs_reason_and_rule_tier_stays_visible(reporter: User, manager: User) -> None:
    defect = make_defect(reporter)
    url = reverse("issues:triage_defect", args=[defect.pk])
    client = _client(manager)
    refused = client.post(url, {"action": "override", "version": 1, "tier": "1", "reason": ""})
    assert refused.status_code == 400
    assert "Skriv en begrunnelse" in refused.content.decode()
    ok = client.post(
        url, {"action": "override", "version": 1, "tier": "1", "reason": "Stopper lønn i mai"}
    )
    assert ok.status_code == 302
    defect.refresh_from_db()
    assert (defect.tier, defect.rule_tier, defect.tier_override) == (1, 3, 1)
    page = client.get(url).content.decode()
    assert "Stopper lønn i mai" in page
    assert "Nivå etter regelen" in page


def test_bulk_view_lists_refused_rows(reporter: User, manager: User) -> None:
    ok = make_defect(reporter)
    stale = make_defect(reporter)
    defect_update(defect=stale, actor=manager, expected_version=1, data={"title": "Ny"})
    response = _client(manager).post(
        reverse("issues:triage_bulk"),
        {
            "ids": [ok.pk, stale.pk],
            f"v{ok.pk}": 1,
            f"v{stale.pk}": 1,
            "action": "transition",
            "to_status": "triaged",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert stale.key in html
    assert "endret av noen andre" in html
    assert Defect.objects.get(pk=ok.pk).status == "triaged"
    assert Defect.objects.get(pk=stale.pk).status == "new"


def test_merge_page_searches_and_merges(
    reporter: User, other_reporter: User, manager: User
) -> None:
    canonical = make_defect(reporter, title="Leverandørfaktura avvist")
    duplicate = make_defect(other_reporter, title="Faktura avvist hos UiB")
    client = _client(manager)
    url = reverse("issues:triage_merge", args=[duplicate.pk])
    found = client.get(url, {"q": canonical.key})
    assert [d.pk for d in found.context["candidates"]] == [canonical.pk]
    response = client.post(
        f"{url}?canonical={canonical.pk}",
        {"canonical": canonical.pk, "duplicate_version": 1, "canonical_version": 1},
    )
    assert response.status_code == 302
    assert Defect.objects.get(pk=duplicate.pk).duplicate_of_id == canonical.pk


def test_admin_refuses_a_stale_save(reporter: User) -> None:
    admin_user = make_user(None, is_staff=True, is_superuser=True)
    defect = make_defect(reporter, title="Opprinnelig")
    client = _client(admin_user)
    url = reverse("admin:issues_defect_change", args=[defect.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: form[name].value() for name in form.fields if form[name].value() not in (None, False)
    }
    for prefix in ("status_changes", "comments"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    data["seen_version"] = 1
    defect_update(
        defect=defect, actor=admin_user, expected_version=1, data={"title": "Endret først"}
    )
    response = client.post(url, {**data, "title": "Endret i admin"})
    assert response.status_code == 200
    assert "endret av noen andre" in response.content.decode()
    assert Defect.objects.get(pk=defect.pk).title == "Endret først"


def test_meeting_agenda_sections(reporter: User, manager: User) -> None:
    now = timezone.now()
    Meeting.objects.create(kind="driftsmote", starts_at=now - dt.timedelta(days=7))
    Meeting.objects.create(kind="driftsmote", starts_at=now + dt.timedelta(days=7))
    d = make_defect(reporter, title="Rapport mangler")
    d = defect_transition(defect=d, actor=manager, to_status="triaged")
    d = defect_transition(defect=d, actor=manager, to_status="reported_to_dfo")
    d = defect_override_tier(
        defect=d, actor=manager, tier=1, reason="Frist mot staten", expected_version=d.version
    )
    past = Release.objects.create(name="2026.09", expected_date=(now - dt.timedelta(days=3)).date())
    Defect.objects.filter(pk=d.pk).update(target_release=past)
    agenda = _client(manager).get(reverse("issues:triage_meeting")).context["agenda"]
    assert [x.pk for x in agenda.tier1] == [d.pk]
    assert [x.pk for x in agenda.newly_reported] == [d.pk]
    assert {c.to_status for c in agenda.status_changes} == {"triaged", "reported_to_dfo"}
    assert [(c["previous_tier"], c["tier"]) for c in agenda.tier_changes] == [(3, 1)]
    assert [(r.name, r.unfixed) for r in agenda.missed_releases] == [("2026.09", 1)]


def test_dashboard_counts_only_visible_defects(
    reporter: User, other_reporter: User, manager: User
) -> None:
    make_defect(reporter, facts={"blocks_pay": True})
    make_defect(other_reporter, confidential=True, facts={"blocks_pay": True})
    own = _client(reporter).get(reverse("issues:dashboard")).context["data"]
    team = _client(manager).get(reverse("issues:dashboard")).context["data"]
    assert sum(r["tier1"] for r in own["by_area_tier"]) == 1
    assert sum(r["tier1"] for r in team["by_area_tier"]) == 2
    assert sum(r["count"] for r in team["age"]) == 2
    assert sum(r["opened"] for r in own["per_week"]) == 1


def test_owner_search_offers_only_matching_team_members(manager: User) -> None:
    make_user("management", institution="UiB", username="kari.nordmann")
    make_user("reporter", institution="UiB", username="kari.melder")
    response = _client(manager).get(reverse("issues:triage_owner_search"), {"q": "kari"})
    html = response.content.decode()
    assert 'value="kari.nordmann"' in html
    assert "kari.melder" not in html
    empty = _client(manager).get(reverse("issues:triage_owner_search"), {"q": ""})
    assert empty.status_code == 200
    assert "<option" not in empty.content.decode()


def test_filter_selection_is_kept_in_the_form(reporter: User, manager: User) -> None:
    defect = make_defect(reporter)
    response = _client(manager).get(
        reverse("issues:triage_queue"), {"area": str(defect.area_id), "has_workaround": "false"}
    )
    html = response.content.decode()
    assert f'<option value="{defect.area_id}" selected>' in html
    assert '<option value="false" selected>' in html


def test_owner_is_assigned_by_user_name_and_unknown_names_are_refused(
    reporter: User, manager: User
) -> None:
    defect = make_defect(reporter)
    url = reverse("issues:triage_defect", args=[defect.pk])
    client = _client(manager)
    form = client.get(url).context["form"]
    values = {f: form[f].value() for f in form.fields}
    data = {f: v for f, v in values.items() if v is not None and v is not False}
    bad = client.post(url, {**data, "action": "edit", "owner_username": "finnes.ikke"})
    assert bad.status_code == 400
    assert "Fant ingen i forvaltningsteamet" in bad.content.decode()
    ok = client.post(url, {**data, "action": "edit", "owner_username": manager.username})
    assert ok.status_code == 302, ok.context["form"].errors
    assert Defect.objects.get(pk=defect.pk).owner == manager
