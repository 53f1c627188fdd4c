"""Status-change e-mail to the reporter and followers: who gets it and what it says.

Sending goes through the outbox (``issues.services.outbox``)."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _

from issues import permissions
from issues.models import DefectStatus, StatusChange, User

log = logging.getLogger(__name__)


def _status_label(status: str) -> str:
    return str(dict(DefectStatus.choices).get(status, status)) if status else "–"


def status_change_recipients(change: StatusChange) -> list[User]:
    """Reporter and followers who can still see the defect, never the one who made the change."""
    defect = change.defect
    candidates = {defect.reporter_id, *defect.follows.values_list("user_id", flat=True)}
    candidates.discard(change.actor_id)
    users = User.objects.filter(pk__in=candidates, is_active=True).exclude(email="")
    return [u for u in users.order_by("pk") if permissions.can_view_defect(u, defect)]


def status_change_message(change: StatusChange, user: User, *, message_id: str) -> EmailMessage:
    """The e-mail about ``change`` to ``user``.

    Only stored (masked) text goes out: the title and the transition note are masked before
    they are saved (``issues.hygiene``).
    """
    defect = change.defect
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
        ]
    return EmailMessage(
        subject,
        "\n".join(lines),
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
        headers={"Message-ID": message_id},
    )
