"""What the services raise, turned into what a page shows: the one place for the server-rendered
views, as ``issues/api/errors.py`` is for the API.

A view wraps its service call and renders the page again when something was refused::

    with domain_errors(request, form=form) as failure:
        defect_update(...)
        return redirect(...)
    return render(request, template, context, status=failure.status or 400)

- ``ConcurrentEdit``: 409 and ``failure.conflict``. Nothing goes to the messages: the page shows
  the conflict itself, beside the current values.
- ``ValidationError`` (``TransitionNotAllowed`` too): 400. An error about a field goes onto that
  field of ``form``, or onto the form as a whole if it has no such field; an error about no field
  goes to the messages.
- ``PermissionDenied`` with a reason (which fields may not be changed, say): 400, the reason
  shown like an error about no field. A bare one means the user may not do this at all and
  stays Django's 403, unless the view gives its own ``denied`` text for it.
- ``ObjectDoesNotExist``: 404, because a service refuses someone else's object by not finding it.

With ``flash=False`` the text for the messages is left in ``failure.message`` for the page (or an
htmx fragment) to show instead.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext

from issues.errors import ConcurrentEdit


@dataclass
class Failure:
    """What went wrong inside ``domain_errors``; false while nothing has."""

    status: int = 0
    message: str = ""
    conflict: ConcurrentEdit | None = None

    def __bool__(self) -> bool:
        return self.status != 0


def add_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Each field's errors onto that field of ``form``, or onto the form as a whole."""
    for field, field_messages in exc.message_dict.items():
        target = field if field in form.fields else None
        for message in field_messages:
            form.add_error(target, message)


@contextmanager
def domain_errors(
    request: HttpRequest,
    *,
    form: forms.BaseForm | None = None,
    flash: bool = True,
    denied: str | None = None,
) -> Iterator[Failure]:
    failure = Failure()

    def refuse(message: str) -> None:
        failure.status, failure.message = 400, message
        if flash:
            messages.error(request, message)

    try:
        yield failure
    except ConcurrentEdit as exc:
        failure.status, failure.message, failure.conflict = 409, str(exc), exc
    except ValidationError as exc:
        if form is not None and hasattr(exc, "error_dict"):
            failure.status = 400
            add_errors(form, exc)
        else:
            refuse(" ".join(exc.messages))
    except PermissionDenied as exc:
        reason = str(exc) or denied
        if not reason:
            raise
        refuse(str(reason))
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def bad_request(request: HttpRequest, message: str, *, status: int = 400) -> HttpResponseBase:
    """An error as JSON under /api/ (the API's error shape), else a page in the user's language.

    For input refused before any view runs (``bott_tracker.middleware.HostileInputMiddleware``).
    """
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": "invalid"}, status=status)
    return render(request, "error.html", {"status": status, "message": message}, status=status)


# How long a client should wait before retrying while the login throttle's cache is down.
RETRY_AFTER_SECONDS = 60


def login_unavailable(request: HttpRequest) -> HttpResponseBase:
    """503 with ``Retry-After``: the login throttle cannot count (Redis down), and a login must not
    go ahead unthrottled (issue 16). Password and Feide login alike."""
    response = bad_request(
        request,
        gettext("Innloggingen er midlertidig utilgjengelig. Prøv igjen om et par minutter."),
        status=503,
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
