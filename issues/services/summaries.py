"""Daily and weekly summaries: one mail per person and period, sent exactly once.

The escalation digest's protocol (``services/digests.py``), per person: a SummaryDelivery row is
unique per (user, frequency, period start), so two beat ticks make one; its content is frozen
when it is made; sending is three committed steps (``sending`` → SMTP → ``sent``) under a
PostgreSQL session advisory lock on the row, which dies with a SIGKILLed worker. A row found in
``sending`` without a lock holder belongs to a dead attempt and is sent again with the same
Message-ID (the crash window is the milliseconds between SMTP's 250 and our commit).
"""

import datetime as dt
import logging
import smtplib
import time

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from issues.locks import try_advisory_lock
from issues.models import (
    DeliveryState,
    Frequency,
    NotificationKind,
    SummaryDelivery,
    User,
)
from issues.personal_data import mask
from issues.selectors.summaries import SummarySection, summary_sections
from issues.services.preferences import frequencies_for, mail_headers, unsubscribe_url

log = logging.getLogger(__name__)

SUMMARY_LOCK_NAMESPACE = 6_015


class SummarySendError(Exception):
    """SMTP refused or was unreachable; the row is pending again and the task retries."""


def summary_period(frequency: str, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The last whole local day, or the last whole week from Monday, before ``now``."""
    local = timezone.localtime(now)
    end_day = local.date()
    if frequency == Frequency.WEEKLY:
        end_day -= dt.timedelta(days=end_day.weekday())
        start_day = end_day - dt.timedelta(days=7)
    else:
        start_day = end_day - dt.timedelta(days=1)
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime.combine(start_day, dt.time()), tz)
    end = timezone.make_aware(dt.datetime.combine(end_day, dt.time()), tz)
    return start, end


def _body(user: User, frequency: str, sections: list[SummarySection]) -> tuple[str, str]:
    labels = dict(NotificationKind.choices)
    with translation.override(settings.LANGUAGE_CODE):
        subject = (
            _("Daglig sammendrag fra BOTT-sporing")
            if frequency == Frequency.DAILY
            else _("Ukentlig sammendrag fra BOTT-sporing")
        )
        lines: list[str] = []
        for section in sections:
            lines += [str(labels[section.kind]), *[f"- {line}" for line in section.lines]]
            if section.more:
                lines.append(_("… og %(n)s til.") % {"n": section.more})
            lines.append("")
        lines += [
            _("Velg hva du får og hvor ofte: %(url)s")
            % {"url": settings.SITE_URL.rstrip("/") + "/varsler/"},
            _("Meld deg av dette sammendraget: %(url)s")
            % {"url": unsubscribe_url(user, f"summary:{frequency}")},
        ]
    return subject, "\n".join(lines)


def summaries_make(*, frequency: str, now: dt.datetime | None = None) -> int:
    """Make the period's missing summaries (only for people with something to read)."""
    start, end = summary_period(frequency, now or timezone.now())
    done = set(
        SummaryDelivery.objects.filter(frequency=frequency, period_start=start).values_list(
            "user_id", flat=True
        )
    )
    rows = []
    for user in User.objects.filter(is_active=True).exclude(email="").order_by("pk"):
        if user.pk in done:
            continue
        kinds = [k for k, f in frequencies_for(user).items() if f == frequency]
        sections = summary_sections(user=user, kinds=kinds, start=start, end=end) if kinds else []
        if not sections:
            continue
        subject, body = _body(user, frequency, sections)
        stamp = f"{start:%Y%m%d}"
        rows.append(
            SummaryDelivery(
                user=user,
                frequency=frequency,
                period_start=start,
                period_end=end,
                email=user.email,
                subject=subject,
                body_text=body,
                message_id=f"<summary-{frequency}-{stamp}-{user.pk}@bott-tracker>",
            )
        )
    # Another tick may have made some meanwhile: the unique constraint keeps theirs.
    made = SummaryDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    return len(made)


def _send_one(row: SummaryDelivery) -> bool:
    with try_advisory_lock(SUMMARY_LOCK_NAMESPACE, row.pk) as got:
        if not got:
            return False
        fresh = SummaryDelivery.objects.select_related("user").get(pk=row.pk)
        if fresh.state in (DeliveryState.SENT, DeliveryState.SKIPPED):
            return False
        if fresh.state == DeliveryState.SENDING:
            log.warning("summary %s: re-sending interrupted delivery", fresh.message_id)
        if not fresh.user.is_active:
            SummaryDelivery.objects.filter(pk=row.pk).update(state=DeliveryState.SKIPPED)
            return False
        SummaryDelivery.objects.filter(pk=row.pk).update(
            state=DeliveryState.SENDING, attempts=F("attempts") + 1
        )
        headers = {"Message-ID": fresh.message_id}
        headers.update(mail_headers(fresh.user, f"summary:{fresh.frequency}"))
        message = EmailMessage(fresh.subject, fresh.body_text, to=[fresh.email], headers=headers)
        try:
            with get_connection(fail_silently=False) as smtp:
                smtp.send_messages([message])
        except (smtplib.SMTPException, OSError) as exc:
            SummaryDelivery.objects.filter(pk=row.pk).update(
                state=DeliveryState.PENDING, last_error=mask(str(exc))[:1000]
            )
            raise SummarySendError(str(exc)) from exc
        SummaryDelivery.objects.filter(pk=row.pk).update(
            state=DeliveryState.SENT, sent_at=timezone.now(), last_error=""
        )
        return True


def summaries_send(*, frequency: str | None = None) -> int:
    """Send every unsent summary (of ``frequency``, or all); returns how many were sent now."""
    todo = SummaryDelivery.objects.filter(state__in=[DeliveryState.PENDING, DeliveryState.SENDING])
    if frequency:
        todo = todo.filter(frequency=frequency)
    delay = float(settings.DIGEST_DELAY_BETWEEN_RECIPIENTS)
    sent = 0
    for row in list(todo.order_by("id")):
        if _send_one(row):
            sent += 1
            if delay:
                time.sleep(delay)  # throttle; also gives the crash test a window between mails
    return sent
