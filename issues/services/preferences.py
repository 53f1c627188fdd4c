"""Notification choices per person and kind, and the signed one-click unsubscribe.

The unsubscribe link carries a signature (Django's signing with the secret key and its own salt)
of the user and what to stop, so it works without logging in and cannot be made for someone
else. It never expires: a link in an old e-mail must still work (RFC 8058 one-click).
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from issues.models import (
    DigestRecipient,
    Frequency,
    NotificationKind,
    NotificationPreference,
    User,
)
from issues.models.notifications import DEFAULT_FREQUENCY
from issues.selectors.digests import digest_subscribed, may_receive_digest

UNSUBSCRIBE_SALT = "bott.notifications.unsubscribe"
# What an unsubscribe link can stop: one kind, or every kind sent in a daily/weekly summary.
SUMMARY_TARGETS = {"summary:daily": Frequency.DAILY, "summary:weekly": Frequency.WEEKLY}
# The escalation digest to the management team and the DFØ liaison. It comes weekly (and before
# meetings) or not at all: the two choices a person has for it.
DIGEST_TARGET = "digest"
DIGEST_FREQUENCIES = (Frequency.WEEKLY, Frequency.OFF)


def frequencies_for(user: User) -> dict[str, str]:
    saved = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "frequency"))
    return {
        kind: saved.get(kind, str(DEFAULT_FREQUENCY[NotificationKind(kind)]))
        for kind in NotificationKind.values
    }


def choices_for(user: User) -> dict[str, str]:
    """Every kind's frequency and, for those who may receive the digest, the digest's (weekly
    or off): what the preferences page and the API show."""
    choices = frequencies_for(user)
    subscribed = digest_subscribed(user)
    if subscribed is not None:
        choices[DIGEST_TARGET] = str(Frequency.WEEKLY if subscribed else Frequency.OFF)
    return choices


def frequency_for(user: User, kind: str) -> str:
    return frequencies_for(user)[kind]


def preferences_set(
    *, user: User, choices: Mapping[str, str], digest: bool | None = None
) -> dict[str, str]:
    """Save the user's choice per kind, and for the digest unless ``digest`` is None; unknown
    kinds or frequencies, or the digest for someone who may not receive it, change nothing."""
    errors = {
        k: [_("Ugyldig valg.")]
        for k, v in choices.items()
        if k not in NotificationKind.values or v not in Frequency.values
    }
    if digest is not None and not may_receive_digest(user):
        errors[DIGEST_TARGET] = [_("Ugyldig valg.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for kind, frequency in choices.items():
            NotificationPreference.objects.update_or_create(
                user=user, kind=kind, defaults={"frequency": frequency}
            )
        if digest is not None:
            _digest_set(user, active=digest)
    return frequencies_for(user)


def _digest_set(user: User, *, active: bool) -> None:
    # While nobody is on a kept list, the management team and the liaison receive the digest
    # unless they opted out (an inactive row). Turning it back on then removes the opt-out: an
    # active row would start a kept list with this one person on it, and everyone else would
    # silently stop receiving it.
    if active and not DigestRecipient.objects.filter(active=True).exists():
        DigestRecipient.objects.filter(user=user).delete()
    else:
        DigestRecipient.objects.update_or_create(user=user, defaults={"active": active})


def unsubscribe_token(user: User, target: str) -> str:
    return signing.dumps({"u": user.pk, "t": target}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(user: User, target: str) -> str:
    path = reverse("issues:unsubscribe", args=[unsubscribe_token(user, target)])
    return settings.SITE_URL.rstrip("/") + path


def mail_headers(user: User, target: str) -> dict[str, str]:
    """RFC 2369 / RFC 8058 headers: mail clients show an "unsubscribe" button that POSTs."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user, target)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


@dataclass(frozen=True)
class Unsubscribe:
    user: User
    target: str

    @property
    def kinds(self) -> list[str]:
        if self.target == DIGEST_TARGET:
            return []
        if self.target in SUMMARY_TARGETS:
            wanted = SUMMARY_TARGETS[self.target]
            return [k for k, f in frequencies_for(self.user).items() if f == wanted]
        return [self.target]


def unsubscribe_read(token: str) -> Unsubscribe:
    """The user and target of a link; ValidationError if the signature or content is wrong."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user = User.objects.get(pk=int(data["u"]), is_active=True)
        target = str(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError, User.DoesNotExist) as exc:
        raise ValidationError(_("Lenken for å melde seg av er ugyldig.")) from exc
    if target not in {*NotificationKind.values, *SUMMARY_TARGETS, DIGEST_TARGET}:
        raise ValidationError(_("Lenken for å melde seg av er ugyldig."))
    return Unsubscribe(user, target)


def unsubscribe_apply(token: str) -> Unsubscribe:
    found = unsubscribe_read(token)
    if found.target == DIGEST_TARGET:
        _digest_set(found.user, active=False)
    else:
        preferences_set(user=found.user, choices=dict.fromkeys(found.kinds, Frequency.OFF))
    return found
