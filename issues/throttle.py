"""Login throttling per account and per client address, safe under parallel attempts.

Every attempt first *takes a slot*: an atomic increment of the account's and the address's
counters in the shared cache (Redis INCR in production). Only an attempt whose slot number is
within the limit gets its password checked; the others are refused without looking at the
password, so once the limit is reached even the right password is refused until the window
ends. A refused attempt gives its slot back, so the counters hold exactly the failed attempts
that were checked. A successful login clears the account's counter and gives back its address
slot. The window is fixed: it starts at the first counted failure.

When the cache (Redis) is unreachable the throttle cannot count, and logging in without it would
open the door to password guessing: the login page then answers 503 with Retry-After
(``ThrottleUnavailable``), a clear "try again shortly", instead of a 500.
"""

import contextlib
import hashlib
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from redis.exceptions import RedisError

from issues import permissions
from issues.services.audit import client_ip

log = logging.getLogger(__name__)

# What an unreachable or failing cache raises (redis-py's errors, or the socket's own).
CACHE_ERRORS = (RedisError, OSError)


class ThrottleUnavailable(Exception):
    """The throttle's cache cannot be reached; the login must not go ahead unthrottled."""


def _keys(username: str, request: HttpRequest | None) -> list[tuple[str, int]]:
    ns = settings.LOGIN_THROTTLE_NAMESPACE
    account = hashlib.sha256(username.strip().casefold().encode()).hexdigest()[:32]
    address = client_ip(request) or "unknown"
    return [
        (f"login-throttle:{ns}:account:{account}", settings.LOGIN_THROTTLE_ACCOUNT_LIMIT),
        (f"login-throttle:{ns}:address:{address}", settings.LOGIN_THROTTLE_ADDRESS_LIMIT),
    ]


def _increment(key: str) -> int:
    window = settings.LOGIN_THROTTLE_WINDOW_SECONDS
    for _attempt in range(5):
        cache.add(key, 0, timeout=window)
        try:
            return int(cache.incr(key))
        except ValueError:  # expired between add and incr: start a new window
            continue
    raise RuntimeError("login throttle: cache refuses to count")


def _decrement(key: str) -> None:
    # ValueError: the window ended meanwhile; there is nothing to give back.
    with contextlib.suppress(ValueError):
        cache.decr(key)


def take_slots(username: str, request: HttpRequest | None) -> bool:
    """Count one attempt; False (and nothing counted) when the account or address is locked."""
    taken: list[str] = []
    for key, limit in _keys(username, request):
        taken.append(key)
        if _increment(key) > limit:
            for k in taken:
                _decrement(k)
            return False
    return True


def record_success(username: str, request: HttpRequest | None) -> None:
    account_key, address_key = (key for key, _limit in _keys(username, request))
    cache.delete(account_key)
    _decrement(address_key)


def failures(username: str, request: HttpRequest | None) -> dict[str, int]:
    """Current counts (for tests and operators): ``{"account": n, "address": m}``."""
    account_key, address_key = (key for key, _limit in _keys(username, request))
    return {"account": int(cache.get(account_key, 0)), "address": int(cache.get(address_key, 0))}


def unlock(username: str, request: HttpRequest | None = None) -> None:
    """Clear an account's counter (an administrator after checking with the user)."""
    account_key, _address_key = (key for key, _limit in _keys(username, request))
    cache.delete(account_key)


def _address_key(request: HttpRequest | None) -> tuple[str, int]:
    return _keys("", request)[1]


def address_locked(request: HttpRequest | None) -> bool:
    """True when the client's address has used up its failures (for logins without a password).

    Raises ThrottleUnavailable when the cache cannot be reached."""
    key, limit = _address_key(request)
    try:
        return int(cache.get(key, 0)) >= limit
    except CACHE_ERRORS as exc:
        log.warning("login throttle unavailable: %s", exc)
        raise ThrottleUnavailable from exc


def record_address_failure(request: HttpRequest | None) -> None:
    """Count a failed login that had no username to count against (a refused Feide callback)."""
    try:
        _increment(_address_key(request)[0])
    except CACHE_ERRORS as exc:
        log.warning("login throttle unavailable: %s", exc)
        raise ThrottleUnavailable from exc


class ThrottledModelBackend(ModelBackend):
    """Django's ModelBackend behind the throttle.

    Raising PermissionDenied makes ``django.contrib.auth.authenticate`` stop, send
    ``user_login_failed`` and return None; ``request.login_throttled`` tells the login view (and
    the audit log) why.
    """

    def get_user(self, user_id: Any) -> Any:
        # The groups come with the user (one query instead of two on every request).
        user = permissions.user_with_groups(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        try:
            allowed = take_slots(username, request)
        except CACHE_ERRORS as exc:
            log.warning("login throttle unavailable: %s", exc)
            raise ThrottleUnavailable from exc
        if not allowed:
            if request is not None:
                request.login_throttled = True  # type: ignore[attr-defined]
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and not (settings.LOCAL_LOGIN or user.is_superuser):
            # LOCAL_LOGIN=false: passwords are for break-glass superusers only. Counted as a
            # failure like a wrong password, so this path cannot be used to test passwords freely.
            if request is not None:
                request.local_login_refused = True  # type: ignore[attr-defined]
            return None
        if user is not None:
            try:
                record_success(username, request)
            except CACHE_ERRORS as exc:  # the password was right; the counter just stays
                log.warning("login throttle could not record a success: %s", exc)
        return user
