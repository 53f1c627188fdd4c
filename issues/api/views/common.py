"""Helpers every API view uses: the acting user, ETag/If-Match, the defect a child belongs to."""

import re
from typing import Any, Protocol

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from issues.api.errors import PreconditionFailed, PreconditionRequired
from issues.models import (
    Defect,
    User,
)
from issues.selectors.defects import defect_detail

_ETAG_RE = re.compile(r'^(?:W/)?"(\d+)-(\d+)"$')


class Versioned(Protocol):
    """A defect or a routine: anything saved with a version the client must match."""

    pk: Any
    version: int


def etag(defect: Versioned) -> str:
    return f'"{defect.pk}-{defect.version}"'


def expected_version(request: Request, defect: Versioned, *, required: bool) -> int | None:
    """The version the client last saw, from If-Match.

    Absent: 428 when required. Present but not a list of our ETags -- empty, or ``*``, which
    would match any version and so protect nothing: 400, as the schema's pattern says. None of
    them the current version: 412.
    """
    raw = request.headers.get("If-Match")
    if raw is None:
        if required:
            raise PreconditionRequired()
        return None
    header = raw.strip()
    matches = [_ETAG_RE.match(candidate.strip()) for candidate in header.split(",")]
    if not header or not all(matches):
        raise ValidationError({"If-Match": [_("Ugyldig ETag. Bruk verdien fra ETag-headeren.")]})
    for match in matches:
        assert match is not None
        if int(match[1]) == defect.pk and int(match[2]) == defect.version:
            return defect.version
    raise PreconditionFailed()


def actor(request: Request) -> User:
    """The authenticated user; every view here requires authentication before it runs."""
    user = request.user
    assert isinstance(user, User)
    return user


def with_etag(response: Response, defect: Versioned) -> Response:
    response["ETag"] = etag(defect)
    return response


class SelectorFilterBackend(DjangoFilterBackend):
    """Documents DefectFilter's parameters; the filtering itself already ran in the selector."""

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        return queryset


class DefectChildMixin(generics.GenericAPIView[Any]):
    """Views under /defects/{defect_pk}/: the defect is fetched through the permissions module."""

    def get_defect(self) -> Defect:
        return defect_detail(user=self.request.user, pk=self.kwargs["defect_pk"])
