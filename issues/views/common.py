"""Small helpers the pages share: the signed-in user, paging without a count, htmx detection."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import Promise

from issues import permissions
from issues.errors import RoleRequired
from issues.models import Defect, User
from issues.selectors.defects import HitCount, match_count

PER_PAGE = 25


@dataclass
class Window:
    """One page of rows without counting everything: fetch one row more to know if there is a next."""

    rows: list[Defect]
    number: int
    has_next: bool
    hits: HitCount | None = None

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def page_window(
    request: HttpRequest,
    queryset: QuerySet[Defect],
    per_page: int = PER_PAGE,
    hits: HitCount | None = None,
) -> Window:
    """One page of ``queryset`` and the (capped) number of matches, counted unless ``hits``."""
    try:
        number = max(1, min(int(request.GET.get("side", "1")), 10_000))
    except ValueError:
        number = 1
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    count = match_count(queryset) if hits is None else hits
    return Window(rows[:per_page], number, len(rows) > per_page, count)


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("side", None)
    return params.urlencode()


def current_user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def require_role(
    request: HttpRequest, allowed: Callable[[User], bool], role: str | Promise
) -> User:
    """The signed-in user if ``allowed`` says yes; else the 403 page naming the role needed."""
    user = request.user
    if not isinstance(user, User) or not allowed(user):
        raise RoleRequired(role)
    return user


def require_triager(request: HttpRequest) -> User:
    return require_role(request, permissions.can_triage, permissions.NEEDS_MANAGEMENT)


def int_param(value: str | None, default: int) -> int:
    try:
        return int(value or default)
    except ValueError:
        return default
