"""The demo calendar: DFØ releases (past and upcoming) and the recurring meetings."""

import datetime as dt

from django.utils import timezone

from issues.models import Meeting, MeetingKind, Release

RELEASES = [
    ("2021.2 høst", dt.date(2021, 11, 15), dt.date(2021, 11, 29)),
    ("2022.1 vår", dt.date(2022, 4, 1), dt.date(2022, 4, 20)),
    ("2022.2 høst", dt.date(2022, 10, 15), dt.date(2022, 10, 15)),
    ("2023.1", dt.date(2023, 5, 1), dt.date(2023, 6, 2)),
    ("2024.1", dt.date(2024, 3, 1), dt.date(2024, 3, 1)),
    ("2025.1", dt.date(2025, 4, 1), dt.date(2025, 5, 12)),
    ("2026.2 høst", dt.date(2026, 10, 1), None),
    ("2027.1 vår", dt.date(2027, 3, 15), None),
]
FIRST_MEETING = dt.date(2021, 6, 3)
MEETINGS_DAYS_AHEAD = 60
# An operations meeting every other week; an escalation meeting with every other one. The
# directors meet when the week count is a multiple of 13; meetings fall on even weeks, so that
# is every 26 weeks.
OPERATIONS_EVERY_WEEKS = 2
ESCALATION_EVERY_WEEKS = 4
DIRECTORS_EVERY_WEEKS = 13


def demo_releases() -> list[Release]:
    """The releases in RELEASES, created once (by name); delivered_date None means upcoming."""
    releases = []
    for name, expected, delivered in RELEASES:
        release, _created = Release.objects.get_or_create(
            name=name, defaults={"expected_date": expected, "delivered_date": delivered}
        )
        releases.append(release)
    return releases


def demo_meetings() -> None:
    """Meetings from FIRST_MEETING until two months ahead, unless there are meetings already."""
    if Meeting.objects.exists():
        return
    tz = timezone.get_default_timezone()
    meetings = []
    day = FIRST_MEETING
    end = timezone.localdate() + dt.timedelta(days=MEETINGS_DAYS_AHEAD)
    week = 0
    while day <= end:
        at = dt.datetime.combine(day, dt.time(10, 0), tzinfo=tz)
        meetings.append(
            Meeting(kind=MeetingKind.OPERATIONS, starts_at=at, title="Driftsmøte UiO–DFØ")
        )
        if week % ESCALATION_EVERY_WEEKS == 0:
            meetings.append(
                Meeting(
                    kind=MeetingKind.ESCALATION,
                    starts_at=at + dt.timedelta(hours=3),
                    title="Eskaleringsmøte BOTT–DFØ",
                )
            )
        if week % DIRECTORS_EVERY_WEEKS == 0:
            meetings.append(
                Meeting(
                    kind=MeetingKind.DIRECTORS,
                    starts_at=at + dt.timedelta(days=1),
                    title="Økonomidirektørene og DFØs ledelse",
                )
            )
        day += dt.timedelta(weeks=OPERATIONS_EVERY_WEEKS)
        week += OPERATIONS_EVERY_WEEKS
    Meeting.objects.bulk_create(meetings)
