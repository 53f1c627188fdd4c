"""The audit log: one call, ``audit_record``, from every place that does something worth auditing.

Action names (keep them stable: the admin filters on them and operators search for them):

==========================  ===========================================================
``login.success``           a user logged in (auth signal ``user_logged_in``);
                            ``details.method`` is ``password`` or ``feide``
``login.failure``           a login failed; ``details.method`` as above; ``details.reason``
                            for passwords is ``credentials``, ``throttled`` (refused without
                            checking the password) or ``local_login_disabled``; for Feide
                            e.g. ``state``, ``provider:invalid_grant``, ``id_token:aud``,
                            ``realm`` (see ``issues/views/feide.py``)
``logout``                  a user logged out
``defect.tier_override``    the management team set or cleared a tier override
                            (``details``: ``tier``, ``previous_tier``, ``reason``)
``defect.merge``            a duplicate was merged into the kept defect (``target`` = the kept
                            defect; ``details``: ``merged`` and ``into``, both keys)
``export``                  a user downloaded an export; call with ``target`` = what was
                            exported (e.g. ``"defects"``) and ``details`` = ``{"format": "csv",
                            "filters": {...}, "rows": 123}``
``digest.sent``             an escalation digest was sent (``details``: recipients, defects)
==========================  ===========================================================

The details must never hold free text that was not masked (``personal_data.mask``) first: the
log is kept longer than the defects."""

import ipaddress
import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from issues.models import AuditEvent, User
from issues.personal_data import mask

logger = logging.getLogger("bott.audit")


LOGIN_SUCCESS = "login.success"


LOGIN_FAILURE = "login.failure"


LOGOUT = "logout"


TIER_OVERRIDE = "defect.tier_override"


MERGE = "defect.merge"


EXPORT = "export"


DIGEST_SENT = "digest.sent"


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: the socket peer, or the entry our own proxies appended.

    Only the last ``TRUSTED_PROXY_COUNT`` entries of X-Forwarded-For were written by proxies we
    run; anything before them came from the client and may be forged.
    """
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_COUNT
    if hops > 0:
        forwarded = [a.strip() for a in request.headers.get("x-forwarded-for", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= hops:
            address = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def audit_record(
    *,
    actor: Any,
    action: str,
    target: object | None = None,
    details: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    actor_name: str = "",
) -> AuditEvent:
    """Store one audit event. ``actor`` may be a User, an anonymous user or None.

    ``target`` is stored as text: a defect becomes its key (``BOTT-12``), anything else ``str()``.
    """
    user = actor if isinstance(actor, User) and actor.pk else None
    name = actor_name or (user.get_username() if user else "")
    target_text = ""
    if target is not None:
        target_text = str(getattr(target, "key", None) or target)
    event = AuditEvent.objects.create(
        actor=user,
        actor_name=mask(name)[:150],
        action=action,
        target=target_text[:200],
        details=details or {},
        ip=client_ip(request),
        at=timezone.now(),
    )
    logger.info("audit %s actor=%s target=%s ip=%s", action, name, target_text, event.ip)
    return event
