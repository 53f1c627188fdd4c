"""The escalation digest as content: data in, subject / plain text / HTML out. No ORM, no I/O.

``issues.services_escalation`` gathers the data and sends; this module only decides what the
digest says, so the preview page, the e-mail and the archive show the same thing.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from issues.personal_data import mask
from issues.text import clean_text


@dataclass(frozen=True)
class DigestItem:
    key: str
    title: str
    tier: int
    status: str
    area: str
    url: str
    dfo_reference: str = ""
    target_release: str = ""
    weekly_cost: Decimal = Decimal(0)
    workaround_hours: Decimal | None = None
    confidential: bool = False
    # What makes the item news in its section: "nivå 2 → 1", "lovet 2026-10-01", ...
    note: str = ""


@dataclass(frozen=True)
class DigestSection:
    slug: str
    heading: str
    items: list[DigestItem]
    empty: str


@dataclass(frozen=True)
class DigestData:
    period_start: dt.datetime
    period_end: dt.datetime
    new_tier1: list[DigestItem] = field(default_factory=list)
    tier_changes: list[DigestItem] = field(default_factory=list)
    reported_to_dfo: list[DigestItem] = field(default_factory=list)
    fixed: list[DigestItem] = field(default_factory=list)
    verified: list[DigestItem] = field(default_factory=list)
    overdue_promises: list[DigestItem] = field(default_factory=list)
    costly_workarounds: list[DigestItem] = field(default_factory=list)
    meeting_title: str = ""
    meeting_starts_at: dt.datetime | None = None
    site_url: str = ""


@dataclass(frozen=True)
class DigestContent:
    subject: str
    text: str
    # The body as an HTML fragment: shown on the preview and archive pages, wrapped for e-mail.
    html: str


def sections(data: DigestData) -> list[DigestSection]:
    return [
        DigestSection(
            "new-tier1", _("Nye saker på nivå 1"), data.new_tier1, _("Ingen nye saker på nivå 1.")
        ),
        DigestSection(
            "tier-changes", _("Endret nivå"), data.tier_changes, _("Ingen nivåendringer.")
        ),
        DigestSection(
            "reported",
            _("Nylig meldt til DFØ"),
            data.reported_to_dfo,
            _("Ingen saker meldt til DFØ i perioden."),
        ),
        DigestSection(
            "fixed", _("Rettet i release"), data.fixed, _("Ingen saker rettet i perioden.")
        ),
        DigestSection("verified", _("Verifisert"), data.verified, _("Ingen saker verifisert.")),
        DigestSection(
            "overdue",
            _("Forsinkede løfter fra DFØ"),
            data.overdue_promises,
            _("Ingen forsinkede løfter."),
        ),
        DigestSection(
            "costly",
            _("Dyreste midlertidige løsninger (timer per uke)"),
            data.costly_workarounds,
            _("Ingen midlertidige løsninger med oppgitt kostnad."),
        ),
    ]


def subject(data: DigestData) -> str:
    if data.meeting_title:
        when = timezone.localtime(data.meeting_starts_at) if data.meeting_starts_at else None
        # A subject is one header line: no line breaks or control characters, whatever was stored.
        meeting = " ".join(mask(clean_text(data.meeting_title)).split())
        return _("BOTT-sammendrag før %(meeting)s %(date)s") % {
            "meeting": meeting,
            "date": f"{when:%d.%m.%Y}" if when else "",
        }
    start = timezone.localtime(data.period_start)
    end = timezone.localtime(data.period_end)
    return _("BOTT-sammendrag %(start)s–%(end)s") % {
        "start": f"{start:%d.%m.%Y}",
        "end": f"{end:%d.%m.%Y}",
    }


def _clean(item: DigestItem) -> DigestItem:
    # Stored text is clean and masked already (issues.hygiene); doing it again is cheap insurance
    # for rows stored before that, before anything leaves for DFØ.
    cleaned = {
        name: mask(clean_text(getattr(item, name)))
        for name in ("title", "note", "area", "dfo_reference", "target_release")
    }
    return DigestItem(**{**item.__dict__, **cleaned})


def build_digest(data: DigestData) -> DigestContent:
    cleaned = [
        DigestSection(s.slug, s.heading, [_clean(i) for i in s.items], s.empty)
        for s in sections(data)
    ]
    context = {
        "subject": subject(data),
        "data": data,
        "sections": cleaned,
        "period_start": timezone.localtime(data.period_start),
        "period_end": timezone.localtime(data.period_end),
    }
    return DigestContent(
        subject=context["subject"],  # type: ignore[arg-type]
        text=render_to_string("issues/escalation/digest_email.txt", context),
        html=render_to_string("issues/escalation/_digest_body.html", context),
    )


def email_html(subject: str, fragment: str) -> str:
    """The HTML e-mail around a stored body fragment."""
    return render_to_string(
        "issues/escalation/digest_email.html", {"subject": subject, "fragment": fragment}
    )


def defect_keys(data: DigestData) -> list[str]:
    """Every defect the digest mentions, in section order, once each (for the XLSX)."""
    seen: dict[str, None] = {}
    for section in sections(data):
        for item in section.items:
            seen.setdefault(item.key, None)
    return list(seen)
