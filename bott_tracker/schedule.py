"""The Celery beat schedule, built from the settings' tunables (kept out of settings.py, which
holds only values read from the environment)."""

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured


def _hour_minute(value: str, name: str) -> tuple[str, str]:
    try:
        hour, minute = (str(int(p)) for p in value.split(":"))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be HH:MM, e.g. 07:00.") from exc
    return hour, minute


def beat_schedule(
    *, digest_weekly_day: int, digest_weekly_time: str, digest_meeting_check_minutes: int
) -> dict[str, dict[str, object]]:
    weekly_hour, weekly_minute = _hour_minute(digest_weekly_time, "DIGEST_WEEKLY_TIME")
    return {
        "escalation-weekly-digest": {
            "task": "issues.tasks.weekly_digest",
            "schedule": crontab(
                day_of_week=str(digest_weekly_day), hour=weekly_hour, minute=weekly_minute
            ),
        },
        "escalation-meeting-digests": {
            "task": "issues.tasks.meeting_digests",
            "schedule": crontab(minute=f"*/{digest_meeting_check_minutes}"),
        },
        # Every morning, before people start work: verify fixes whose answer window has passed.
        "fix-confirmations-expire": {
            "task": "issues.tasks.expire_fix_confirmations",
            "schedule": crontab(hour="6", minute="5"),
        },
        # Personal summaries of the day before and of last week (Mondays), before work starts.
        "summaries-daily": {
            "task": "issues.tasks.send_summaries",
            "schedule": crontab(hour="6", minute="30"),
            "args": ("daily",),
        },
        "summaries-weekly": {
            "task": "issues.tasks.send_summaries",
            "schedule": crontab(day_of_week="1", hour="6", minute="45"),
            "args": ("weekly",),
        },
    }
