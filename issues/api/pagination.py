"""Cursor pagination for the API: strict ``page_size`` and stable orders ending in a unique column."""

import re
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request


class StrictCursorPagination(CursorPagination):
    """A bad ``page_size`` is a 400, not silently the default size."""

    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request: Request) -> int | None:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not re.fullmatch(r"[0-9]{1,4}", raw) or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {"page_size": [_("Må være et heltall fra 1 til %d.") % self.max_page_size]}
            )
        return int(raw)

    def paginate_queryset(
        self, queryset: QuerySet[Any], request: Request, view: Any = None
    ) -> list[Any] | None:
        # DRF checks that a cursor decodes, not that its position fits the ordering column: a
        # crafted ``p=abc`` on a date column (or a NUL, which PostgreSQL refuses) failed in the
        # query. Such a cursor is as invalid as one that does not decode.
        try:
            return super().paginate_queryset(queryset, request, view)
        except (DjangoValidationError, ValueError, TypeError, DataError) as exc:
            raise NotFound(self.invalid_cursor_message) from exc

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": 100}
        return parameters


class RankCursorPagination(StrictCursorPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> tuple[str, ...]:
        return tuple(view.ordering_for(request))


class CreatedCursorPagination(StrictCursorPagination):
    page_size = 50
    max_page_size = 100
    page_size_query_param = "page_size"
    ordering = ("created_at", "id")


class MeetingCursorPagination(CreatedCursorPagination):
    ordering = ("-starts_at", "-id")
