"""Status-change e-mail to the reporter and followers: who gets it and what it says.

Sending goes through the outbox (``issues.services.outbox``)."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from issues import permissions
from issues.models import (
    ConfirmationState,
    DefectStatus,
    FixConfirmation,
    Frequency,
    NotificationKind,
    Routine,
    StatusChange,
    User,
)
from issues.services.preferences import frequency_for, mail_headers, unsubscribe_url

log = logging.getLogger(__name__)


def _status_label(status: str) -> str:
    return str(dict(DefectStatus.choices).get(status, status)) if status else "–"


def _kind_for(user: User, change: StatusChange) -> str:
    """Which of the user's notification choices a status mail falls under."""
    if user.pk == change.defect.reporter_id:
        return str(NotificationKind.MY_DEFECTS)
    return str(NotificationKind.FOLLOWED)


def status_change_recipients(change: StatusChange) -> list[User]:
    """Reporter and followers who can still see the defect and want it at once (their choice
    in /varsler/), never the one who made the change."""
    defect = change.defect
    candidates = {defect.reporter_id, *defect.follows.values_list("user_id", flat=True)}
    candidates.discard(change.actor_id)
    users = User.objects.filter(pk__in=candidates, is_active=True).exclude(email="")
    return [
        u
        for u in users.order_by("pk")
        if permissions.can_view_defect(u, defect)
        and frequency_for(u, _kind_for(u, change)) == Frequency.IMMEDIATE
    ]


def unsubscribe_footer(user: User, target: str) -> list[str]:
    return [
        "",
        _("Meld deg av denne typen e-post: %(url)s") % {"url": unsubscribe_url(user, target)},
    ]


def status_change_message(change: StatusChange, user: User, *, message_id: str) -> EmailMessage:
    """The e-mail about ``change`` to ``user``.

    Only stored (masked) text goes out: the title and the transition note are masked before
    they are saved (``issues.hygiene``).
    """
    defect = change.defect
    kind = _kind_for(user, change)
    link = settings.SITE_URL.rstrip("/") + defect.get_absolute_url()
    with translation.override(settings.LANGUAGE_CODE):
        params = {
            "key": defect.key,
            "title": defect.title,
            "from": _status_label(change.from_status),
            "to": _status_label(change.to_status),
            "actor": change.actor.display_name,
            "link": link,
        }
        subject = _("[%(key)s] Ny status: %(to)s") % params
        lines = [
            _("%(key)s %(title)s har fått ny status: %(from)s → %(to)s.") % params,
            _("Endret av %(actor)s.") % params,
        ]
        if change.note:
            lines += ["", _("Merknad:"), change.note]
        lines += [
            "",
            _("Se saken: %(link)s") % params,
            "",
            _("Du får denne e-posten fordi du meldte eller følger saken."),
            *unsubscribe_footer(user, kind),
        ]
    return EmailMessage(
        subject,
        "\n".join(lines),
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
        headers={"Message-ID": message_id, **mail_headers(user, kind)},
    )


def routine_review_notify(*, routine_id: int) -> int:
    """Tell a routine's owner that a linked defect was fixed, so the routine needs a review."""
    routine = Routine.objects.select_related("owner").filter(pk=routine_id).first()
    if routine is None or not routine.needs_review:
        return 0
    owner = routine.owner
    kind = NotificationKind.ROUTINES
    if not owner.is_active or not owner.email or frequency_for(owner, kind) != Frequency.IMMEDIATE:
        return 0
    link = settings.SITE_URL.rstrip("/") + reverse("issues:routine_detail", args=[routine.pk])
    with translation.override(settings.LANGUAGE_CODE):
        params = {"title": routine.title, "reason": routine.review_reason, "link": link}
        subject = _("Rutinen «%(title)s» må gjennomgås") % params
        body = "\n".join(
            [
                _("%(reason)s. Rutinen «%(title)s» beskriver en midlertidig løsning for saken.")
                % params,
                _("Se over rutinen: rett den, eller bekreft at den fortsatt stemmer."),
                "",
                link,
                "",
                _("Du får denne e-posten fordi du eier rutinen."),
                *unsubscribe_footer(owner, kind),
            ]
        )
    message = EmailMessage(
        subject, body, settings.DEFAULT_FROM_EMAIL, [owner.email], headers=mail_headers(owner, kind)
    )
    with get_connection() as connection:
        return int(connection.send_messages([message]) or 0)


def confirmation_round_notify(*, fixed_change_id: int) -> int:
    """Tell the people of each affected university who want it at once that a fix awaits their
    confirmation; returns how many messages were sent."""
    rows = list(
        FixConfirmation.objects.filter(
            fixed_change_id=fixed_change_id, state=ConfirmationState.WAITING
        ).select_related("defect", "fixed_change")
    )
    if not rows:
        return 0
    defect = rows[0].defect
    kind = NotificationKind.CONFIRMATIONS
    users = (
        User.objects.filter(institution_id__in=[r.institution_id for r in rows], is_active=True)
        .exclude(email="")
        .exclude(pk=rows[0].fixed_change.actor_id)
        .order_by("pk")
    )
    link = settings.SITE_URL.rstrip("/") + defect.get_absolute_url() + "#bekreftelser"
    messages = []
    for user in users:
        if (
            not permissions.can_view_defect(user, defect)
            or frequency_for(user, kind) != Frequency.IMMEDIATE
        ):
            continue
        with translation.override(settings.LANGUAGE_CODE):
            params = {"key": defect.key, "title": defect.title, "link": link}
            subject = _("[%(key)s] Fungerer rettingen hos dere?") % params
            body = "\n".join(
                [
                    _("DFØ har rettet %(key)s %(title)s.") % params,
                    _("Bekreft at det fungerer hos dere, eller bestrid rettingen: %(link)s")
                    % params,
                    *unsubscribe_footer(user, kind),
                ]
            )
        messages.append(
            EmailMessage(
                subject,
                body,
                settings.DEFAULT_FROM_EMAIL,
                [user.email],
                headers=mail_headers(user, kind),
            )
        )
    if not messages:
        return 0
    with get_connection() as connection:
        return int(connection.send_messages(messages) or 0)
