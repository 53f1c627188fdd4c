"""Status-change e-mail through an outbox, so a broker outage cannot lose one.

Protocol (the digest deliveries', ``services/digests.py``, applied to status mail):

* ``status_mail_enqueue`` writes one ``StatusMail`` row per recipient *inside* the transaction
  that records the status change: the change and its mail are committed together or not at all.
* After commit the send task is queued. If the broker is down that fails (logged, nothing else):
  the rows stay ``pending``, and the beat sweep (``status_mail_sweep``) queues them later.
* Sending a row is three committed steps: claim (``pending`` → ``sending``, a conditional UPDATE
  that only one process can win) → SMTP → ``sent``. A second task for the same change finds
  nothing to claim, so a mail queued twice (by the commit hook and the sweep) is sent once.
* A row left in ``sending`` by a killed worker is put back to ``pending`` by the sweep after
  ``STATUS_MAIL_STALE_MINUTES`` and sent again with the same Message-ID (at-least-once in that
  few-millisecond window after SMTP's "250 OK", as for digests).
"""

import datetime as dt
import logging
import smtplib
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from issues.models import DeliveryState, StatusChange, StatusMail, User
from issues.personal_data import mask
from issues.services.notifications import status_change_message, status_change_recipients

log = logging.getLogger(__name__)

# A pending row older than this was never queued (broker down): the sweep queues it.
STATUS_MAIL_UNQUEUED_MINUTES = 1
# A row this long in ``sending`` belongs to a dead worker.
STATUS_MAIL_STALE_MINUTES = 15


class StatusMailError(Exception):
    """SMTP refused or was unreachable; the row is pending again and the task retries."""


def status_mail_enqueue(*, change: StatusChange) -> int:
    """Write the change's mail rows (call inside the change's transaction); queue on commit."""
    recipients: Iterable[User] = status_change_recipients(change)
    now = timezone.now()
    rows = StatusMail.objects.bulk_create(
        StatusMail(
            status_change=change,
            user=user,
            email=user.email,
            message_id=f"<status-{change.pk}-{user.pk}@bott-tracker>",
            created_at=now,
        )
        for user in recipients
    )
    if rows:
        change_id = change.pk
        transaction.on_commit(lambda: _queue_send(change_id))
    return len(rows)


def _queue_send(status_change_id: int) -> None:
    from issues.tasks import notify_status_change  # noqa: PLC0415 - tasks imports the services

    try:
        notify_status_change.delay(status_change_id)
    except Exception:
        # The rows are committed; the beat sweep queues them once the broker is back.
        log.exception("could not queue status mail %s; the sweep will", status_change_id)


def _claim(row_id: int) -> bool:
    claimed = StatusMail.objects.filter(pk=row_id, state=DeliveryState.PENDING).update(
        state=DeliveryState.SENDING, attempts=F("attempts") + 1, claimed_at=timezone.now()
    )
    return claimed == 1


def status_mail_send(*, status_change_id: int) -> int:
    """Send the change's pending mails; returns how many were sent now.

    Raises StatusMailError when SMTP fails (that row is back to ``pending``).
    """
    change = StatusChange.objects.select_related("defect", "actor").filter(pk=status_change_id)
    first = change.first()
    if first is None:
        return 0
    sent = 0
    pending = StatusMail.objects.filter(status_change=first, state=DeliveryState.PENDING)
    for row in list(pending.select_related("user")):
        if not _claim(row.pk):
            continue  # another task has it
        message = status_change_message(first, row.user, message_id=row.message_id)
        try:
            with get_connection(fail_silently=False) as smtp:
                smtp.send_messages([message])
        except (smtplib.SMTPException, OSError) as exc:
            StatusMail.objects.filter(pk=row.pk).update(
                state=DeliveryState.PENDING, last_error=mask(str(exc))[:1000]
            )
            raise StatusMailError(str(exc)) from exc
        StatusMail.objects.filter(pk=row.pk).update(
            state=DeliveryState.SENT, sent_at=timezone.now(), last_error=""
        )
        sent += 1
    return sent


def status_mail_sweep(*, now: dt.datetime | None = None) -> int:
    """Queue changes whose mail the broker never got; free rows a dead worker left. Returns how
    many changes were queued."""
    now = now or timezone.now()
    StatusMail.objects.filter(
        state=DeliveryState.SENDING,
        claimed_at__lt=now - dt.timedelta(minutes=STATUS_MAIL_STALE_MINUTES),
    ).update(state=DeliveryState.PENDING)
    change_ids = list(
        StatusMail.objects.filter(
            state=DeliveryState.PENDING,
            created_at__lt=now - dt.timedelta(minutes=STATUS_MAIL_UNQUEUED_MINUTES),
            created_at__gte=now - dt.timedelta(days=settings.STATUS_MAIL_MAX_AGE_DAYS),
        )
        .values_list("status_change_id", flat=True)
        .distinct()
    )
    for change_id in change_ids:
        _queue_send(change_id)
    return len(change_ids)
