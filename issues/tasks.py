"""Thin Celery tasks: take ids, call a service. Queued with transaction.on_commit by services."""

from celery import Task, shared_task
from django.conf import settings

from issues.services.digests import (
    DigestSendError,
    digest_meeting_tick,
    digest_resume_unfinished,
    digest_send,
    digest_weekly_tick,
)
from issues.services.exports import export_job_run
from issues.services.notifications import status_change_notify


def _backoff(retries: int) -> int:
    return int(min(settings.DIGEST_RETRY_BASE_SECONDS * 2**retries, 3600))


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def send_digest_run(self: Task, run_id: int) -> int:
    try:
        return digest_send(run_id=run_id)
    except DigestSendError as exc:
        raise self.retry(
            exc=exc,
            countdown=_backoff(self.request.retries),
            max_retries=settings.DIGEST_MAX_RETRIES,
        ) from exc


@shared_task(acks_late=True, reject_on_worker_lost=True)
def weekly_digest() -> int:
    return digest_weekly_tick().pk


@shared_task(acks_late=True, reject_on_worker_lost=True)
def meeting_digests() -> list[int]:
    runs = digest_meeting_tick()
    digest_resume_unfinished()
    return [run.pk for run in runs]


@shared_task(
    autoretry_for=(OSError,), retry_backoff=True, max_retries=5, name="issues.notify_status_change"
)
def notify_status_change(status_change_id: int) -> int:
    return status_change_notify(status_change_id=status_change_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, name="issues.export_build")
def export_build(export_id: int, params: dict[str, list[str]], language: str) -> str:
    return export_job_run(export_id=export_id, params=params, language=language)
