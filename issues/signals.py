"""Signal receivers: logins, failed logins and logouts go to the audit log (a login also notes
the user's institution for the header); SQLite connections get the stemming function their
search triggers call."""

from typing import Any

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.http import HttpRequest

from issues import search_sqlite
from issues.models import User
from issues.navigation import INSTITUTION_SESSION_KEY
from issues.oidc import FEIDE_BACKEND
from issues.services.audit import LOGIN_FAILURE, LOGIN_SUCCESS, LOGOUT, audit_record


@receiver(user_logged_in, dispatch_uid="audit_login_success")
def _on_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    # login() has stored the backend in the session: it tells the way in ("feide" or "password").
    backend = request.session.get(BACKEND_SESSION_KEY) if request is not None else None
    method = "feide" if backend == FEIDE_BACKEND else "password"
    audit_record(actor=user, action=LOGIN_SUCCESS, details={"method": method}, request=request)
    if request is not None and hasattr(request, "session"):
        # The header shows the university on every page; kept in the session so no page pays
        # a query for it.
        request.session[INSTITUTION_SESSION_KEY] = str(user.institution or "")


@receiver(user_login_failed, dispatch_uid="audit_login_failure")
def _on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    reason = "credentials"
    if request is not None and getattr(request, "login_throttled", False):
        reason = "throttled"
    elif request is not None and getattr(request, "local_login_refused", False):
        reason = "local_login_disabled"
    username = str(credentials.get("username") or "")
    audit_record(
        actor=None,
        actor_name=username,
        action=LOGIN_FAILURE,
        details={"reason": reason, "method": "password"},
        request=request,
    )


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _on_logout(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, action=LOGOUT, request=request)


@receiver(connection_created, dispatch_uid="sqlite_search_functions")
def _on_connection(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        search_sqlite.register_functions(connection.connection)
