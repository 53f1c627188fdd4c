"""The Celery beat schedule, built from the settings' values (kept out of settings.py for its size).

Every periodic task in one table: the escalation digests (issue 6) and the sweeps that make a
broker outage or a killed worker lose nothing (issue 16).
"""

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

# Minute past the hour of the staging-file cleanup: away from the digests' round minutes.
STAGING_CLEANUP_MINUTE = "17"


def beat_schedule(
    *,
    weekly_day: int,
    weekly_time: str,
    meeting_check_minutes: int,
    status_mail_sweep_minutes: int,
) -> dict[str, dict[str, object]]:
    try:
        hour, minute = (str(int(p)) for p in weekly_time.split(":"))
    except ValueError as exc:
        raise ImproperlyConfigured("DIGEST_WEEKLY_TIME must be HH:MM, e.g. 07:00.") from exc
    return {
        "escalation-weekly-digest": {
            "task": "issues.tasks.weekly_digest",
            "schedule": crontab(day_of_week=str(weekly_day), hour=hour, minute=minute),
        },
        "escalation-meeting-digests": {
            "task": "issues.tasks.meeting_digests",
            "schedule": crontab(minute=f"*/{meeting_check_minutes}"),
        },
        # Queues status-mail outbox rows the broker never got.
        "status-mail-sweep": {
            "task": "issues.tasks.sweep_status_mail",
            "schedule": crontab(minute=f"*/{status_mail_sweep_minutes}"),
        },
        # Removes upload staging files whose report never committed, once they are a day old.
        "cleanup-staging-uploads": {
            "task": "issues.tasks.cleanup_staging_uploads",
            "schedule": crontab(minute=STAGING_CLEANUP_MINUTE),
        },
    }
