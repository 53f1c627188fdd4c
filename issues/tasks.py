"""Celery tasks: take ids, call a service, nothing else."""

from celery import shared_task

from . import services_reporting


@shared_task(
    autoretry_for=(OSError,), retry_backoff=True, max_retries=5, name="issues.notify_status_change"
)
def notify_status_change(status_change_id: int) -> int:
    return services_reporting.status_change_notify(status_change_id=status_change_id)
