"""Escalation digest runs and their exactly-once delivery.

Delivery protocol (why a recipient gets one digest even when a worker dies mid-run):

* A run is unique per period or meeting (database constraints), so two beat ticks make one run.
* Each recipient has a DigestDelivery row with a deterministic Message-ID. Sending a row is three
  committed steps: mark ``sending`` → SMTP → mark ``sent``. A re-run skips ``sent`` rows.
* Only one process sends a run at a time: a PostgreSQL session advisory lock on the run id. The
  lock dies with the connection, so a SIGKILLed worker frees it at once and the lock holder knows
  that any ``sending`` row it finds belongs to a dead attempt.
* The crash window is between the SMTP server's "250 OK" after DATA and our ``sent`` commit (a few
  milliseconds). A row found in ``sending`` is re-sent with the *same* Message-ID: at-least-once,
  chosen over at-most-once because a silently missing pre-meeting digest is worse than a rare
  duplicate that mail clients can collapse by Message-ID and that the archive page explains
  (``attempts`` > 1). A kill anywhere else (including the pause between recipients) loses nothing
  and duplicates nothing.
"""

import datetime as dt
import logging
import smtplib
import time
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from issues import digests, exports, permissions
from issues.digests import DigestData
from issues.locks import try_advisory_lock
from issues.models import (
    Defect,
    DeliveryState,
    DigestDelivery,
    DigestKind,
    DigestRun,
    Meeting,
    User,
)
from issues.personal_data import mask
from issues.selectors.defects import RANK_ORDER
from issues.selectors.digests import (
    collect_digest_data,
    digest_defects,
    digest_recipients,
    may_receive_digest,
)
from issues.services.preferences import DIGEST_TARGET, mail_headers, unsubscribe_url

log = logging.getLogger(__name__)


MANUAL_DEBOUNCE_MINUTES = 5


# Namespace for pg advisory locks taken here (two-int form: namespace, run id).
DIGEST_LOCK_NAMESPACE = 6_006


class DigestSendError(Exception):
    """SMTP refused or was unreachable; the task retries with backoff."""


def digest_attachment(data: DigestData) -> bytes:
    ids = [Defect.pk_from_key(k) for k in digests.defect_keys(data)]
    queryset = digest_defects().filter(pk__in=[i for i in ids if i]).order_by(*RANK_ORDER)
    return exports.xlsx_bytes(exports.export_rows(queryset), title="Sammendrag")


# --- periods -------------------------------------------------------------------------------------
def weekly_period(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The week that ends at the latest scheduled weekly moment at or before ``now`` (Oslo time).

    Every tick in the same week maps to the same period, which the unique constraint relies on.
    """
    local = timezone.localtime(now)
    hour, minute = (int(p) for p in settings.DIGEST_WEEKLY_TIME.split(":"))
    # crontab counts 0 = Sunday; Python's weekday() counts 0 = Monday.
    weekday = (settings.DIGEST_WEEKLY_DAY - 1) % 7
    days_back = (local.weekday() - weekday) % 7
    candidate = (local - dt.timedelta(days=days_back)).replace(
        hour=hour, minute=minute, second=0, microsecond=0
    )
    if candidate > local:
        candidate -= dt.timedelta(days=7)
    tz = timezone.get_current_timezone()
    end = timezone.make_aware(candidate.replace(tzinfo=None), tz)
    start = timezone.make_aware((candidate - dt.timedelta(days=7)).replace(tzinfo=None), tz)
    return start, end


def _since_previous(end: dt.datetime) -> dt.datetime:
    last = DigestRun.objects.filter(period_end__lt=end).order_by("-period_end").first()
    return last.period_end if last else end - dt.timedelta(days=7)


# --- runs ----------------------------------------------------------------------------------------
def digest_preview() -> tuple[DigestData, digests.DigestContent]:
    now = timezone.now()
    data = collect_digest_data(period_start=_since_previous(now), period_end=now)
    return data, digests.build_digest(data)


def digest_run_create(
    *,
    kind: str,
    period_start: dt.datetime,
    period_end: dt.datetime,
    meeting: Meeting | None = None,
    actor: User | None = None,
) -> tuple[DigestRun, bool]:
    """The run for this period or meeting, made (content frozen, deliveries pending) if missing."""
    existing = _existing_run(kind, period_start, period_end, meeting)
    if existing is not None:
        return existing, False
    data = collect_digest_data(period_start=period_start, period_end=period_end, meeting=meeting)
    content = digests.build_digest(data)
    attachment = digest_attachment(data)
    stamp = timezone.localtime(period_end).strftime("%Y%m%d-%H%M")
    try:
        with transaction.atomic():
            run = DigestRun.objects.create(
                kind=kind,
                period_start=period_start,
                period_end=period_end,
                meeting=meeting,
                created_by=actor,
                subject=content.subject[:200],
                body_text=content.text,
                body_html=content.html,
                attachment=attachment,
                attachment_name=f"bott-sammendrag-{stamp}.xlsx",
            )
            DigestDelivery.objects.bulk_create(
                DigestDelivery(
                    run=run,
                    user=user,
                    email=user.email,
                    message_id=f"<digest-{run.pk}-{user.pk}@bott-tracker>",
                )
                for user in digest_recipients()
            )
    except IntegrityError:
        # Another tick made it between our check and insert: theirs is the one.
        again = _existing_run(kind, period_start, period_end, meeting)
        if again is None:
            raise
        return again, False
    digest_enqueue(run=run)
    return run, True


def _existing_run(
    kind: str, start: dt.datetime, end: dt.datetime, meeting: Meeting | None
) -> DigestRun | None:
    if meeting is not None:
        return DigestRun.objects.filter(meeting=meeting).first()
    return DigestRun.objects.filter(
        kind=kind, period_start=start, period_end=end, meeting__isnull=True
    ).first()


def digest_enqueue(*, run: DigestRun) -> bool:
    """Queue sending once the surrounding transaction commits; False if nothing is left to send."""
    unsent = run.deliveries.exclude(state__in=[DeliveryState.SENT, DeliveryState.SKIPPED])
    if not unsent.exists():
        return False
    run_id = run.pk
    transaction.on_commit(lambda: _queue_send(run_id))
    return True


def _queue_send(run_id: int) -> None:
    from issues.tasks import send_digest_run  # noqa: PLC0415 - tasks imports the services

    try:
        send_digest_run.delay(run_id)
    except Exception:
        # The run and its pending rows are committed; the next beat tick queues them again.
        log.exception("could not queue digest run %s; beat will resume it", run_id)


def digest_weekly_tick(*, now: dt.datetime | None = None) -> DigestRun:
    start, end = weekly_period(now or timezone.now())
    run, created = digest_run_create(kind=DigestKind.WEEKLY, period_start=start, period_end=end)
    if not created:
        digest_enqueue(run=run)  # resumes a run a dead worker left unfinished
    return run


def digest_meeting_tick(*, now: dt.datetime | None = None) -> list[DigestRun]:
    """Runs for meetings starting within DIGEST_HOURS_BEFORE_MEETING hours; resumes unfinished."""
    now = now or timezone.now()
    horizon = now + dt.timedelta(hours=settings.DIGEST_HOURS_BEFORE_MEETING)
    runs = []
    for meeting in Meeting.objects.filter(starts_at__gt=now, starts_at__lte=horizon):
        run, created = digest_run_create(
            kind=DigestKind.MEETING,
            period_start=_since_previous(now),
            period_end=now,
            meeting=meeting,
        )
        if not created:
            digest_enqueue(run=run)
        runs.append(run)
    return runs


def digest_resume_unfinished(*, now: dt.datetime | None = None) -> int:
    """Re-queue recent runs that still have unsent deliveries (e.g. after a worker died)."""
    since = (now or timezone.now()) - dt.timedelta(days=2)
    runs = DigestRun.objects.filter(
        created_at__gte=since,
        deliveries__state__in=[DeliveryState.PENDING, DeliveryState.SENDING],
    ).distinct()
    return sum(digest_enqueue(run=run) for run in runs)


def digest_send_now(*, actor: User) -> DigestRun:
    if not permissions.can_manage_digests(actor):
        raise PermissionDenied
    now = timezone.now()
    # A double click (or two people in the same meeting) must not send two digests.
    recent = DigestRun.objects.filter(
        kind=DigestKind.MANUAL, created_at__gte=now - dt.timedelta(minutes=MANUAL_DEBOUNCE_MINUTES)
    ).first()
    if recent is not None:
        return recent
    run, _created = digest_run_create(
        kind=DigestKind.MANUAL, period_start=_since_previous(now), period_end=now, actor=actor
    )
    return run


# --- sending -------------------------------------------------------------------------------------
def _message(run: DigestRun, delivery: DigestDelivery) -> EmailMultiAlternatives:
    # The body is the run's; the unsubscribe link is each recipient's own (signed for them).
    link = unsubscribe_url(delivery.user, DIGEST_TARGET)
    with translation.override(settings.LANGUAGE_CODE):
        footer = _("Meld deg av dette sammendraget: %(url)s") % {"url": link}
    message = EmailMultiAlternatives(
        subject=run.subject,
        body=f"{run.body_text}\n\n{footer}",
        to=[delivery.email],
        headers={
            "Message-ID": delivery.message_id,
            **mail_headers(delivery.user, DIGEST_TARGET),
        },
    )
    html = f"{run.body_html}<p>{escape(footer)}</p>"
    message.attach_alternative(digests.email_html(run.subject, html), "text/html")
    message.attach(
        run.attachment_name,
        bytes(run.attachment),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return message


def _set(delivery_id: int, **values: Any) -> None:
    DigestDelivery.objects.filter(pk=delivery_id).update(**values)


def digest_send(*, run_id: int) -> int:
    """Send every unsent delivery of the run; returns how many were sent now.

    Raises DigestSendError when SMTP fails (that row is back to ``pending``; the caller retries).
    Returns 0 at once if another process holds the run.
    """
    run = DigestRun.objects.get(pk=run_id)
    sent = 0
    with try_advisory_lock(DIGEST_LOCK_NAMESPACE, run_id) as got:
        if not got:
            log.info("digest run %s is being sent by another worker", run_id)
            return 0
        todo = list(
            run.deliveries.filter(state__in=[DeliveryState.PENDING, DeliveryState.SENDING])
            .select_related("user")
            .order_by("id")
        )
        delay = float(settings.DIGEST_DELAY_BETWEEN_RECIPIENTS)
        for delivery in todo:
            if delivery.state == DeliveryState.SENDING:
                log.warning("digest %s: re-sending interrupted delivery", delivery.message_id)
            if not may_receive_digest(delivery.user):
                _set(delivery.pk, state=DeliveryState.SKIPPED)
                continue
            _set(delivery.pk, state=DeliveryState.SENDING, attempts=F("attempts") + 1)
            try:
                with get_connection(fail_silently=False) as smtp:
                    smtp.send_messages([_message(run, delivery)])
            except (smtplib.SMTPException, OSError) as exc:
                _set(delivery.pk, state=DeliveryState.PENDING, last_error=mask(str(exc))[:1000])
                raise DigestSendError(str(exc)) from exc
            _set(delivery.pk, state=DeliveryState.SENT, sent_at=timezone.now(), last_error="")
            sent += 1
            if delay:
                time.sleep(delay)  # throttle; also gives the crash tests a window between mails
        if not run.deliveries.filter(
            Q(state=DeliveryState.PENDING) | Q(state=DeliveryState.SENDING)
        ).exists():
            DigestRun.objects.filter(pk=run_id, finished_at__isnull=True).update(
                finished_at=timezone.now()
            )
    return sent
