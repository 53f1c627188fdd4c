"""The oracle's own bookkeeping: what happened, in plain Python, and every number derived from it.

Nothing here reads the database or calls the code under test; the numbers come from the events
the state machine generated. The only shared facts are the domain's definitions (which statuses
are closed, which are "known", the age buckets' bounds), restated here rather than imported, so a
wrong constant in the app is caught too.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

CLOSED = frozenset({"closed", "rejected", "duplicate"})
NOT_KNOWN = frozenset({"new", "rejected", "duplicate"})
# A promised release is kept once its defects reach one of these (rejected and duplicate do not).
FIXED = frozenset({"fixed", "verified", "closed"})
# (label, from days, to days inclusive or None)
AGE_BUCKETS = (("0-7", 0, 7), ("8-30", 8, 30), ("31-90", 31, 90), ("91-365", 91, 365))
OLDEST = (">365", 366, None)
OSLO = ZoneInfo("Europe/Oslo")


@dataclass
class Event:
    at: dt.datetime
    defect: int  # model id (index in Model.defects)
    kind: str  # "transition" or "merged_in"
    from_status: str
    to_status: str


@dataclass
class ModelDefect:
    key: str
    pk: int
    area: str
    rule_tier: int
    institution: str
    reporter: str
    confidential: bool
    created: dt.datetime
    status: str = "new"
    override: int | None = None
    closed_at: dt.datetime | None = None
    affects: dict[str, str] = field(default_factory=dict)  # username -> institution
    release: int | None = None  # index in Model.releases

    @property
    def tier(self) -> int:
        return self.override or self.rule_tier

    @property
    def open(self) -> bool:
        return self.status not in CLOSED


@dataclass
class ModelRelease:
    name: str
    expected: dt.date
    delivered: dt.date | None = None


@dataclass
class Model:
    defects: list[ModelDefect] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    releases: list[ModelRelease] = field(default_factory=list)

    # --- what happened -----------------------------------------------------------------------
    def transition(self, i: int, to_status: str, at: dt.datetime) -> None:
        d = self.defects[i]
        self.events.append(Event(at, i, "transition", d.status, to_status))
        d.status = to_status
        if to_status in CLOSED:
            d.closed_at = at
        elif to_status == "reopened":
            d.closed_at = None

    def merge(self, dup: int, canon: int, at: dt.datetime) -> None:
        d, c = self.defects[dup], self.defects[canon]
        self.transition(dup, "duplicate", at)
        self.events.append(Event(at, canon, "merged_in", c.status, c.status))
        if d.reporter != c.reporter:
            c.affects.setdefault(d.reporter, d.institution)
        for user, inst in d.affects.items():
            if user != c.reporter:
                c.affects.setdefault(user, inst)

    def first_reached(self, i: int, status: str) -> dt.datetime | None:
        times = [
            e.at
            for e in self.events
            if e.defect == i and e.kind == "transition" and e.to_status == status
        ]
        return min(times) if times else None

    # --- what the pages must show ------------------------------------------------------------
    def by_area_tier(self) -> list[dict[str, object]]:
        counts: dict[str, Counter[int]] = {}
        for d in self.defects:
            if d.open:
                counts.setdefault(d.area, Counter())[d.tier] += 1
        return [
            {"area": a, "tier1": c[1], "tier2": c[2], "tier3": c[3]}
            for a, c in sorted(counts.items())
        ]

    def ages(self, now: dt.datetime) -> list[dict[str, object]]:
        # Whole local calendar days, as the dashboard counts them.
        today = now.astimezone(OSLO).date()
        rows = []
        for label, lo, hi in (*AGE_BUCKETS, OLDEST):
            n = 0
            for d in self.defects:
                age = (today - d.created.astimezone(OSLO).date()).days
                if d.open and age >= lo:
                    n += hi is None or age <= hi
            rows.append({"bucket": label, "count": n})
        return rows

    def per_week(self, now: dt.datetime, weeks: int = 12) -> list[dict[str, object]]:
        # From the local midnight of today's local date less ``weeks`` weeks.
        since_day = now.astimezone(OSLO).date() - dt.timedelta(weeks=weeks)
        since = dt.datetime.combine(since_day, dt.time.min, OSLO)

        def week(t: dt.datetime) -> str:
            local = t.astimezone(OSLO).date()
            return (local - dt.timedelta(days=local.weekday())).isoformat()

        opened = Counter(week(d.created) for d in self.defects if d.created >= since)
        closed = Counter(
            week(d.closed_at) for d in self.defects if d.closed_at and d.closed_at >= since
        )
        return [
            {"week": w, "opened": opened[w], "closed": closed[w]}
            for w in sorted({*opened, *closed})
        ]

    def affects_by_institution(self) -> list[dict[str, object]]:
        counts = Counter(inst for d in self.defects for inst in d.affects.values())
        return [{"institution": i, "count": n} for i, n in sorted(counts.items())]

    def reached_in(self, status: str, start: dt.datetime, end: dt.datetime) -> set[str]:
        return {
            d.key
            for i, d in enumerate(self.defects)
            if (t := self.first_reached(i, status)) is not None and start <= t < end
        }

    def new_tier1(self, start: dt.datetime, end: dt.datetime) -> set[str]:
        return {d.key for d in self.defects if d.tier == 1 and start <= d.created < end}

    def history_since(self, since: dt.datetime) -> Counter[tuple[str, str]]:
        """Timeline events since ``since`` (creation excluded), as (key, kind) counts."""
        return Counter(
            (self.defects[e.defect].key, e.kind)
            for e in self.events
            if e.at >= since and e.from_status != ""
        )

    def visible_to(self, username: str) -> list[ModelDefect]:
        return [d for d in self.defects if not d.confidential or d.reporter == username]

    def known_count(self, username: str | None) -> int:
        seen = self.defects if username is None else self.visible_to(username)
        return sum(1 for d in seen if d.status not in NOT_KNOWN)

    def _release_due(self, r: int) -> dt.date:
        """Issue 15's rule: the delivered date if it was delivered, else the expected date."""
        release = self.releases[r]
        return release.delivered or release.expected

    def _awaiting_fix(self, d: ModelDefect) -> bool:
        return d.open and d.status not in FIXED

    def overdue_promises(self, end: dt.datetime) -> set[str]:
        """The digest's broken promises: still awaiting a fix, and the release's date (Oslo's date
        at the period's end) has passed."""
        today = end.astimezone(OSLO).date()
        return {
            d.key
            for d in self.defects
            if d.release is not None
            and self._awaiting_fix(d)
            and self._release_due(d.release) < today
        }

    def missed_releases(self, now: dt.datetime) -> dict[str, int]:
        """The meeting's missed releases: the release's date passed (Oslo's date) and a defect it
        promised still awaits its fix -> how many do."""
        today = now.astimezone(OSLO).date()
        missed = {}
        for r, release in enumerate(self.releases):
            unfixed = sum(1 for d in self.defects if d.release == r and self._awaiting_fix(d))
            if self._release_due(r) < today and unfixed:
                missed[release.name] = unfixed
        return missed
