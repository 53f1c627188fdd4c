"""Every API error as JSON ``{"detail", "code", "errors"?}`` in the request's language.

Services raise Django's exceptions (ValidationError, PermissionDenied, Http404) and the domain's
(ConcurrentEdit, TransitionNotAllowed); they are mapped here so views stay thin.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from issues.errors import ConcurrentEdit, TransitionNotAllowed


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_code = "precondition_required"
    default_detail = gettext_lazy(
        "Mangler If-Match-header. Hent saken først og send ETag-verdien i If-Match."
    )


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"
    default_detail = gettext_lazy(
        "Saken er endret siden du hentet den. Hent den på nytt og prøv igjen."
    )


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def _messages(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {str(k): _messages(v) for k, v in detail.items()}
    if isinstance(detail, list):
        flat: list[str] = []
        for item in detail:
            value = _messages(item)
            flat.extend(value if isinstance(value, list) else [str(value)])
        return flat
    return [str(detail)]


def _django_validation_to_drf(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(
            {field: list(messages) for field, messages in exc.message_dict.items()}
        )
    return exceptions.ValidationError({"non_field_errors": exc.messages})


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ConcurrentEdit):
        exc = PreconditionFailed(str(exc))
    elif isinstance(exc, TransitionNotAllowed):
        exc = Conflict(" ".join(exc.messages), code="transition_not_allowed")
    elif isinstance(exc, DjangoValidationError):
        exc = _django_validation_to_drf(exc)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc.args[0]) if exc.args else None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        errors = _messages(exc.detail)
        if not isinstance(errors, dict):
            errors = {"non_field_errors": errors}
        first = next((m for msgs in errors.values() for m in msgs), "")
        response.data = {
            "detail": _("Ugyldige data: %(first)s") % {"first": first}
            if first
            else _("Ugyldige data."),
            "code": "invalid",
            "errors": errors,
        }
    else:
        codes = exc.get_codes()
        response.data = {
            "detail": str(exc.detail),
            "code": codes if isinstance(codes, str) else exc.default_code,
        }
    return response
