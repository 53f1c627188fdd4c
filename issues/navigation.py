"""The header's navigation: grouped by what the role does, the current section marked.

A context processor, so every page (error pages too) gets the same header without each view
building it. It reads only the user's groups, which ``permissions`` caches on the user.
"""

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from issues import permissions

INSTITUTION_SESSION_KEY = "bott_institution"


@dataclass(frozen=True)
class Link:
    label: str | Promise
    url_name: str
    # Other pages that belong to this entry, so a defect opened from the queue marks "Triagekø".
    also: frozenset[str] = frozenset()


@dataclass
class Group:
    label: str | Promise
    links: list[dict[str, Any]] = field(default_factory=list)


REPORT = (
    Link(_("Kjente feil"), "home"),
    Link(_("Meld feil"), "report_new", frozenset({"report_done"})),
    Link(_("Mine saker"), "my_defects"),
    Link(_("Saker jeg følger"), "followed_defects"),
)
FOLLOW_UP = (
    Link(
        _("Rutiner"), "routine_list", frozenset({"routine_new", "routine_detail", "routine_edit"})
    ),
    Link(_("Releaser"), "release_list", frozenset({"release_detail"})),
)
TRIAGE = (
    Link(_("Triagekø"), "triage_queue", frozenset({"triage_defect", "triage_merge"})),
    Link(_("Oversikt"), "dashboard"),
)
ESCALATE = (
    Link(_("Møteforberedelse"), "triage_meeting"),
    Link(
        _("Eskalering til DFØ"),
        "escalation",
        frozenset({"digest_preview", "digest_archive", "digest_detail", "dfo_answers_upload"}),
    ),
)


def role_label(user: Any) -> str | Promise:
    if permissions.is_management(user):
        return _("Forvaltning")
    if permissions.is_liaison(user):
        return _("DFØ-kontakt")
    return _("Melder")


@lru_cache(maxsize=256)
def _reverse(url_name: str, prefix: str, urlconf: str | None) -> str:
    return reverse(f"issues:{url_name}", urlconf=urlconf)


def _url(url_name: str) -> str:
    """The header's links on every page: ten reverse() calls per request, always the same
    answer for the same URL configuration and script prefix (the cache's key)."""
    return _reverse(url_name, get_script_prefix(), get_urlconf())


def _group(label: str | Promise, links: tuple[Link, ...], current: str) -> Group:
    group = Group(label)
    for link in links:
        selected = current == link.url_name or current in link.also
        group.links.append({"label": link.label, "url": _url(link.url_name), "current": selected})
    return group


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    match = getattr(request, "resolver_match", None)
    current = match.url_name if match else ""
    groups = [_group(_("Melde"), REPORT, current), _group(_("Følge opp"), FOLLOW_UP, current)]
    if permissions.can_triage(user):
        groups.append(_group(_("Triage"), TRIAGE, current))
    if permissions.sees_everything(user):
        groups.append(_group(_("Eskalering"), ESCALATE, current))
    elif not permissions.can_triage(user):
        groups[0].links.append(
            {
                "label": _("Oversikt"),
                "url": _url("dashboard"),
                "current": current == "dashboard",
            }
        )
    session = getattr(request, "session", None)
    institution = session.get(INSTITUTION_SESSION_KEY, "") if session is not None else ""
    return {"nav_groups": groups, "nav_role": role_label(user), "nav_institution": institution}
