import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pytest_django.fixtures import Settings as SettingsWrapper

from issues import digests
from issues.digests import DigestData, DigestItem
from issues.models import (
    Defect,
    DeliveryState,
    DigestDelivery,
    DigestKind,
    DigestRecipient,
    DigestRun,
    Meeting,
    MeetingKind,
    User,
)
from issues.selectors.digests import collect_digest_data, digest_recipients
from issues.services import digests as digest_services
from issues.services.defects import defect_override_tier, defect_transition
from issues.services.digests import (
    DigestSendError,
    digest_attachment,
    digest_meeting_tick,
    digest_run_create,
    digest_send,
    digest_send_now,
    weekly_period,
)
from issues.services.releases import release_create
from tests.factories import make_defect
from tests.issues.pd_numbers import first_national_id
from tests.mail_sink import MailSink
from tests.readers import attachment_names, body


def _item(key: str = "BOTT-1", title: str = "Lønn utebl", **kw: object) -> DigestItem:
    return DigestItem(key=key, title=title, tier=1, status="Ny", area="TOA", url="http://x/1", **kw)  # type: ignore[arg-type]


def test_build_digest_is_pure_and_masks_text() -> None:
    number = first_national_id("010190")
    start = dt.datetime(2026, 11, 16, 6, tzinfo=dt.UTC)
    data = DigestData(
        period_start=start,
        period_end=start + dt.timedelta(days=7),
        new_tier1=[_item(title=f"Lønn for {number}")],
        overdue_promises=[_item("BOTT-2", "Release 2026.3 kom ikke", note="2026.3: 01.10.2026")],
    )
    content = digests.build_digest(data)
    assert content.subject == "BOTT-sammendrag 16.11.2026–23.11.2026"
    for rendered in (content.text, content.html):
        assert number not in rendered
        assert "BOTT-1" in rendered
        assert "Nye saker på nivå 1" in rendered
        assert "Ingen nivåendringer." in rendered
        assert "Forsinkede løfter fra DFØ" in rendered
    assert digests.defect_keys(data) == ["BOTT-1", "BOTT-2"]


@pytest.mark.django_db
def test_collect_finds_each_kind_of_news(manager: User, liaison: User, reporter: User) -> None:
    start = timezone.now() - dt.timedelta(minutes=1)
    tier1 = make_defect(reporter, title="Lønn stopper", facts={"blocks_pay": True})
    changed = make_defect(reporter, title="Merarbeid", facts={"extra_work_local": True})
    Defect.objects.filter(pk=changed.pk).update(created_at=start - dt.timedelta(days=30))
    defect_override_tier(
        defect=changed, actor=manager, tier=1, reason="Rammer alle", expected_version=None
    )
    reported = make_defect(reporter, title="Meldes DFØ")
    defect_transition(defect=reported, actor=manager, to_status="triaged")
    defect_transition(defect=reported, actor=liaison, to_status="reported_to_dfo")
    release = release_create(
        name="2026.2", expected_date=timezone.localdate() - dt.timedelta(days=3)
    )
    late = make_defect(
        reporter, title="Lovet i 2026.2", workaround="Manuelt", workaround_hours_per_week=Decimal(9)
    )
    late.target_release = release
    late.save()
    data = collect_digest_data(period_start=start, period_end=timezone.now())
    assert [i.key for i in data.new_tier1] == [tier1.key]
    assert [(i.key, i.note) for i in data.tier_changes] == [(changed.key, "2 → 1")]
    assert [i.key for i in data.reported_to_dfo] == [reported.key]
    assert [i.key for i in data.overdue_promises] == [late.key]
    assert [i.key for i in data.costly_workarounds] == [late.key]
    workbook = load_workbook(io.BytesIO(digest_attachment(data)))
    keys = {row[0].value for row in workbook.active.iter_rows(min_row=2)}
    assert keys == {tier1.key, changed.key, reported.key, late.key}


def test_weekly_period_is_the_same_for_every_tick_in_the_week(settings: SettingsWrapper) -> None:
    settings.DIGEST_WEEKLY_DAY = 1  # Monday
    settings.DIGEST_WEEKLY_TIME = "07:00"
    oslo = timezone.get_current_timezone()
    monday_7 = dt.datetime(2026, 11, 23, 7, 0, tzinfo=oslo)
    for tick in (monday_7, monday_7 + dt.timedelta(minutes=1), monday_7 + dt.timedelta(days=6)):
        assert weekly_period(tick) == (
            monday_7 - dt.timedelta(days=7),
            monday_7,
        )
    before = weekly_period(monday_7 - dt.timedelta(seconds=1))
    assert before[1] == monday_7 - dt.timedelta(days=7)


@pytest.mark.django_db
def test_recipients_default_to_management_and_liaison(
    manager: User, liaison: User, reporter: User
) -> None:
    assert set(digest_recipients()) == {manager, liaison}
    DigestRecipient.objects.create(user=liaison)
    DigestRecipient.objects.create(user=reporter)  # may not see confidential defects: left out
    assert digest_recipients() == [liaison]


@pytest.mark.django_db
def test_one_run_per_period_even_past_the_check(manager: User) -> None:
    now = timezone.now()
    run, created = digest_run_create(
        kind=DigestKind.WEEKLY, period_start=now - dt.timedelta(days=7), period_end=now
    )
    again, created_again = digest_run_create(
        kind=DigestKind.WEEKLY, period_start=now - dt.timedelta(days=7), period_end=now
    )
    assert created
    assert not created_again
    assert again == run
    with pytest.raises(IntegrityError), transaction.atomic():
        DigestRun.objects.create(
            kind=DigestKind.WEEKLY,
            period_start=run.period_start,
            period_end=run.period_end,
            subject="x",
            body_text="x",
            body_html="x",
            attachment=b"",
            attachment_name="x.xlsx",
        )
    assert run.deliveries.get().message_id == f"<digest-{run.pk}-{manager.pk}@bott-tracker>"


@pytest.mark.django_db
def test_send_delivers_once_and_a_rerun_skips_sent(
    manager: User,
    liaison: User,
    mail_sink: MailSink,
    eager_celery: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    make_defect(manager, title="Lønn stopper", facts={"blocks_pay": True})
    with django_capture_on_commit_callbacks(execute=True):
        run = digest_send_now(actor=manager)
    assert digest_send(run_id=run.pk) == 0  # the eager task sent them all
    for user in (manager, liaison):
        (received,) = mail_sink.to(user.email)
        message = received.message
        assert message["Message-ID"] == f"<digest-{run.pk}-{user.pk}@bott-tracker>"
        assert [n[-5:] for n in attachment_names(message)] == [".xlsx"]
        assert "Lønn stopper" in body(message, "plain")
        assert "<table" in body(message, "html")
    run.refresh_from_db()
    assert run.finished_at is not None
    assert set(run.deliveries.values_list("state", flat=True)) == {DeliveryState.SENT}


@pytest.mark.django_db
def test_interrupted_sending_row_is_resent_with_the_same_message_id(
    manager: User, liaison: User, mail_sink: MailSink
) -> None:
    now = timezone.now()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(digest_services, "digest_enqueue", lambda **kw: False)
        run, _ = digest_run_create(
            kind=DigestKind.MANUAL, period_start=now - dt.timedelta(days=1), period_end=now
        )
    run.deliveries.filter(user=manager).update(state=DeliveryState.SENT)
    run.deliveries.filter(user=liaison).update(state=DeliveryState.SENDING, attempts=1)
    assert digest_send(run_id=run.pk) == 1
    assert mail_sink.to(manager.email) == []
    (received,) = mail_sink.to(liaison.email)
    assert received.message["Message-ID"] == f"<digest-{run.pk}-{liaison.pk}@bott-tracker>"
    assert run.deliveries.get(user=liaison).attempts == 2


@pytest.mark.django_db
def test_smtp_down_leaves_pending_then_sends_once(manager: User, mail_sink: MailSink) -> None:
    now = timezone.now()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(digest_services, "digest_enqueue", lambda **kw: False)
        run, _ = digest_run_create(
            kind=DigestKind.MANUAL, period_start=now - dt.timedelta(days=1), period_end=now
        )
    mail_sink.stop()
    with pytest.raises(DigestSendError):
        digest_send(run_id=run.pk)
    delivery = DigestDelivery.objects.get(run=run)
    assert delivery.state == DeliveryState.PENDING
    assert delivery.last_error
    mail_sink.start()
    assert digest_send(run_id=run.pk) == 1
    assert digest_send(run_id=run.pk) == 0
    assert len(mail_sink.to(manager.email)) == 1


@pytest.mark.django_db
def test_meeting_tick_makes_one_run_per_upcoming_meeting(
    manager: User, settings: SettingsWrapper, django_capture_on_commit_callbacks: Any
) -> None:
    settings.DIGEST_HOURS_BEFORE_MEETING = 24
    now = timezone.now()
    soon = Meeting.objects.create(
        kind=MeetingKind.ESCALATION, starts_at=now + dt.timedelta(hours=5)
    )
    Meeting.objects.create(kind=MeetingKind.OPERATIONS, starts_at=now + dt.timedelta(hours=48))
    with django_capture_on_commit_callbacks() as callbacks:
        first = digest_meeting_tick(now=now)
    assert [r.meeting for r in first] == [soon]
    assert len(callbacks) == 1
    second = digest_meeting_tick(now=now + dt.timedelta(minutes=15))
    assert second == first
    assert DigestRun.objects.count() == 1
    assert "Eskaleringsmøte" in first[0].subject


@pytest.mark.django_db
def test_digest_pages_for_liaison_not_for_reporter(
    liaison: User,
    reporter: User,
    mail_sink: MailSink,
    eager_celery: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    blocked = Client()
    blocked.force_login(reporter)
    for name in ("issues:digest_preview", "issues:digest_archive"):
        assert blocked.get(reverse(name)).status_code == 403
    assert blocked.post(reverse("issues:digest_preview")).status_code == 403
    client = Client()
    client.force_login(liaison)
    preview = client.get(reverse("issues:digest_preview"))
    assert preview.status_code == 200
    assert liaison.email in preview.content.decode()
    # "Send nå" asks first, naming the recipients; nothing is sent until confirmed.
    asked = client.post(reverse("issues:digest_preview"))
    assert asked.status_code == 200
    assert "Sende sammendraget nå til 1 mottaker?" in asked.content.decode()
    assert (liaison.get_full_name() or liaison.username) in asked.content.decode()
    assert DigestRun.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("issues:digest_preview"), {"confirmed": "yes"})
    run = DigestRun.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/{run.pk}/")
    assert len(mail_sink.to(liaison.email)) == 1
    assert "sendes nå til 1 mottaker." in client.get(response["Location"]).content.decode()
    # A second press says honestly that nothing was sent again.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("issues:digest_preview"), {"confirmed": "yes"}, follow=True)
    assert "Ingenting er sendt på nytt" in again.content.decode()
    assert "sendes nå" not in again.content.decode()
    assert DigestRun.objects.count() == 1
    assert len(mail_sink.to(liaison.email)) == 1
    archive = client.get(reverse("issues:digest_archive")).content.decode()
    assert run.subject in archive
    detail = client.get(reverse("issues:digest_detail", args=[run.pk])).content.decode()
    assert liaison.email in detail
    assert "Sendt" in detail
    attachment = client.get(reverse("issues:digest_attachment", args=[run.pk]))
    assert attachment.content.startswith(b"PK")
    assert blocked.get(reverse("issues:digest_detail", args=[run.pk])).status_code == 403


def test_beat_schedule_has_weekly_and_meeting_entries(settings: SettingsWrapper) -> None:
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["escalation-weekly-digest"]["task"] == "issues.tasks.weekly_digest"
    assert schedule["escalation-meeting-digests"]["task"] == "issues.tasks.meeting_digests"


@pytest.mark.django_db
def test_send_now_twice_in_a_row_makes_one_run(
    manager: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        first = digest_send_now(actor=manager)
        second = digest_send_now(actor=manager)
    assert first == second
    assert len(callbacks) == 1
    assert DigestRun.objects.count() == 1


@pytest.mark.django_db
def test_send_now_is_refused_to_reporters(reporter: User) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        digest_send_now(actor=reporter)
