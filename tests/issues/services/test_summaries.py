"""Notification choices, daily/weekly summaries once per person and period, and unsubscribe."""

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from issues.models import (
    DeliveryState,
    DigestRecipient,
    Frequency,
    NotificationPreference,
    SummaryDelivery,
    User,
)
from issues.selectors.digests import digest_recipients, digest_subscribed
from issues.services.defects import defect_transition
from issues.services.notifications import status_change_message, status_change_recipients
from issues.services.participation import follow_set
from issues.services.preferences import (
    frequencies_for,
    preferences_set,
    unsubscribe_token,
    unsubscribe_url,
)
from issues.services.summaries import summaries_make, summaries_send, summary_period
from tests.factories import make_defect, make_user

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 2, 7, 0, tzinfo=dt.UTC)  # Wednesday morning in Oslo


def test_periods_are_whole_local_days_and_weeks() -> None:
    start, end = summary_period("daily", NOW)
    assert (timezone.localtime(start).isoformat(), timezone.localtime(end).isoformat()) == (
        "2026-12-01T00:00:00+01:00",
        "2026-12-02T00:00:00+01:00",
    )
    start, end = summary_period("weekly", NOW)
    assert timezone.localtime(start).date() == dt.date(2026, 11, 23)  # Monday a week before
    assert timezone.localtime(end).date() == dt.date(2026, 11, 30)


@pytest.fixture
def follower_daily(reporter: User, manager: User) -> dict[str, Any]:
    """A defect a follower (who wants a daily summary) saw change yesterday."""
    follower = make_user("reporter", institution="UiB")
    preferences_set(user=follower, choices={"followed": Frequency.DAILY})
    defect = make_defect(reporter, title="Kontering feiler")
    follow_set(defect=defect, user=follower, follow=True)
    defect = defect_transition(defect=defect, actor=manager, to_status="triaged")
    yesterday = NOW - dt.timedelta(hours=12)
    defect.status_changes.update(at=yesterday)
    return {"follower": follower, "defect": defect}


def test_a_daily_follower_gets_no_immediate_mail_but_the_reporter_does(
    follower_daily: dict[str, Any], reporter: User
) -> None:
    change = follower_daily["defect"].status_changes.order_by("-id").first()
    assert status_change_recipients(change) == [reporter]
    message = status_change_message(change, reporter, message_id="<t@bott-tracker>")
    headers = message.extra_headers
    assert headers["List-Unsubscribe"].startswith("<http")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/varsler/avmeld/" in message.body


def test_daily_summary_once_per_person_and_period(follower_daily: dict[str, Any]) -> None:
    follower = follower_daily["follower"]
    assert summaries_make(frequency="daily", now=NOW) >= 1
    assert summaries_make(frequency="daily", now=NOW + dt.timedelta(minutes=5)) == 0
    row = SummaryDelivery.objects.get(user=follower)
    assert follower_daily["defect"].key in row.body_text
    mail.outbox.clear()
    summaries_send()
    summaries_send()
    received = [m for m in mail.outbox if m.to == [follower.email]]
    assert len(received) == 1
    assert received[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert SummaryDelivery.objects.get(pk=row.pk).state == DeliveryState.SENT
    # The next day is another period; nothing happened in it, so nothing is made.
    assert summaries_make(frequency="daily", now=NOW + dt.timedelta(days=1)) == 0


def test_weekly_choice_is_not_in_the_daily_summary(follower_daily: dict[str, Any]) -> None:
    follower = follower_daily["follower"]
    preferences_set(user=follower, choices={"followed": Frequency.WEEKLY})
    summaries_make(frequency="daily", now=NOW)
    assert not SummaryDelivery.objects.filter(user=follower).exists()


def test_one_click_unsubscribe_and_tampered_signature(follower_daily: dict[str, Any]) -> None:
    follower = follower_daily["follower"]
    token = unsubscribe_token(follower, "followed")
    client = Client(enforce_csrf_checks=True)  # mail clients POST without a session or token
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    response = client.post(f"/varsler/avmeld/{tampered}/")
    assert response.status_code == 400
    assert "ugyldig" in response.content.decode()
    assert frequencies_for(follower)["followed"] == Frequency.DAILY
    # A link for someone else cannot be made without the server's key and salt.
    forged = signing.dumps({"u": follower.pk, "t": "followed"}, salt="guessed", compress=True)
    assert client.post(f"/varsler/avmeld/{forged}/").status_code == 400
    assert client.get(f"/varsler/avmeld/{token}/").status_code == 200  # GET changes nothing
    assert frequencies_for(follower)["followed"] == Frequency.DAILY
    assert client.post(f"/varsler/avmeld/{token}/").status_code == 200
    assert frequencies_for(follower)["followed"] == Frequency.OFF


def test_summary_link_turns_off_everything_in_that_summary(reporter: User) -> None:
    preferences_set(user=reporter, choices={"followed": "daily", "my_defects": "weekly"})
    url = unsubscribe_url(reporter, "summary:daily")
    Client().post(urlsplit(url).path)
    prefs = frequencies_for(reporter)
    assert prefs["followed"] == "off"
    assert prefs["confirmations"] == "off"  # daily by default
    assert prefs["my_defects"] == "weekly"


def test_preferences_page_saves_and_refuses_bad_input(reporter: User) -> None:
    client = Client()
    client.force_login(reporter)
    assert client.get("/varsler/").status_code == 200
    data = {"my_defects": "weekly", "followed": "off", "confirmations": "daily", "routines": "x"}
    response = client.post("/varsler/", data)
    assert response.status_code == 400
    assert not NotificationPreference.objects.filter(user=reporter).exists()
    data["routines"] = "immediate"
    assert client.post("/varsler/", data).status_code == 302
    assert frequencies_for(reporter)["my_defects"] == "weekly"


def test_immediate_confirmation_mail_goes_to_those_who_chose_it(
    reporter: User, manager: User
) -> None:
    from issues.services.notifications import confirmation_round_notify

    colleague = make_user("reporter", institution="UiO")
    preferences_set(user=colleague, choices={"confirmations": Frequency.IMMEDIATE})
    defect = make_defect(reporter, title="Feriepenger feil")
    for status in ("triaged", "reported_to_dfo", "fixed"):
        defect = defect_transition(defect=defect, actor=manager, to_status=status)
    change = defect.status_changes.get(to_status="fixed")
    mail.outbox.clear()
    assert confirmation_round_notify(fixed_change_id=change.pk) == 1  # the reporter: daily
    assert mail.outbox[0].to == [colleague.email]
    assert "List-Unsubscribe" in mail.outbox[0].extra_headers


def test_digest_mail_has_an_unsubscribe_that_only_drops_that_person(
    manager: User, liaison: User
) -> None:
    from issues.selectors.digests import digest_recipients
    from issues.services.digests import _message, digest_send_now

    run = digest_send_now(actor=manager)
    delivery = run.deliveries.get(user=manager)
    message = _message(run, delivery)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert Client().post(urlsplit(url).path).status_code == 200
    assert set(digest_recipients()) == {liaison}


def _page(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


ALL_WEEKLY = dict.fromkeys(["my_defects", "followed", "confirmations", "routines"], "weekly")


def test_digest_unsubscribed_by_link_is_turned_back_on_from_the_page(
    manager: User, liaison: User
) -> None:
    client = _page(manager)
    assert client.get("/varsler/").context["form"]["digest"].value() == "weekly"
    Client().post(f"/varsler/avmeld/{unsubscribe_token(manager, 'digest')}/")
    assert set(digest_recipients()) == {liaison}
    page = client.get("/varsler/")
    assert page.context["form"]["digest"].value() == "off"
    assert "Sammendrag til forvaltningsteamet og DFØ-kontakten" in page.content.decode()

    assert client.post("/varsler/", {**ALL_WEEKLY, "digest": "weekly"}).status_code == 302
    # Back on without starting a kept list that would leave the liaison out.
    assert set(digest_recipients()) == {manager, liaison}
    assert not DigestRecipient.objects.exists()
    assert client.post("/varsler/", {**ALL_WEEKLY, "digest": "off"}).status_code == 302
    assert set(digest_recipients()) == {liaison}


def test_digest_back_on_joins_a_kept_list(manager: User, liaison: User) -> None:
    DigestRecipient.objects.create(user=liaison)
    DigestRecipient.objects.create(user=manager, active=False)
    assert set(digest_recipients()) == {liaison}
    preferences_set(user=manager, choices={}, digest=True)
    assert set(digest_recipients()) == {manager, liaison}


def test_digest_choice_is_absent_for_reporters(reporter: User) -> None:
    client = _page(reporter)
    page = client.get("/varsler/")
    assert "digest" not in page.context["form"].fields
    assert 'name="digest"' not in page.content.decode()
    assert client.post("/varsler/", {**ALL_WEEKLY, "digest": "weekly"}).status_code == 302
    with pytest.raises(ValidationError):
        preferences_set(user=reporter, choices={}, digest=True)
    assert not DigestRecipient.objects.exists()


def test_bad_input_keeps_what_was_typed_including_the_digest(manager: User) -> None:
    data = {**ALL_WEEKLY, "followed": "off", "routines": "hourly", "digest": "off"}
    response = _page(manager).post("/varsler/", data)
    assert response.status_code == 400
    form = response.context["form"]
    assert (form["followed"].value(), form["digest"].value()) == ("off", "off")
    assert "Velg et gyldig valg" in response.content.decode()
    assert not NotificationPreference.objects.filter(user=manager).exists()
    assert digest_subscribed(manager) is True
    bad_digest = _page(manager).post("/varsler/", {**ALL_WEEKLY, "digest": "daily"})
    assert bad_digest.status_code == 400
    assert digest_subscribed(manager) is True
