"""Thin Celery tasks: take ids, call a service. Queued with transaction.on_commit by services."""

from celery import Task, shared_task
from django.conf import settings

from issues.services.attachments import attachment_staging_cleanup
from issues.services.confirmations import confirmations_expire
from issues.services.digests import (
    DigestSendError,
    digest_meeting_tick,
    digest_resume_unfinished,
    digest_send,
    digest_weekly_tick,
)
from issues.services.exports import export_job_run
from issues.services.held_uploads import held_uploads_cleanup
from issues.services.notifications import (
    confirmation_round_notify,
    routine_review_notify,
)
from issues.services.outbox import StatusMailError, status_mail_send, status_mail_sweep
from issues.services.summaries import SummarySendError, summaries_make, summaries_send


def _backoff(retries: int) -> int:
    return int(min(settings.DIGEST_RETRY_BASE_SECONDS * 2**retries, 3600))


def _retry(task: Task, exc: Exception) -> Exception:
    """A mail that could not go out is tried again later, backing off, as the digests are."""
    return task.retry(
        exc=exc, countdown=_backoff(task.request.retries), max_retries=settings.DIGEST_MAX_RETRIES
    )


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def send_digest_run(self: Task, run_id: int) -> int:
    try:
        return digest_send(run_id=run_id)
    except DigestSendError as exc:
        raise _retry(self, exc) from exc


@shared_task(acks_late=True, reject_on_worker_lost=True)
def weekly_digest() -> int:
    return digest_weekly_tick().pk


@shared_task(acks_late=True, reject_on_worker_lost=True)
def meeting_digests() -> list[int]:
    runs = digest_meeting_tick()
    digest_resume_unfinished()
    return [run.pk for run in runs]


@shared_task(
    bind=True, acks_late=True, reject_on_worker_lost=True, name="issues.notify_status_change"
)
def notify_status_change(self: Task, status_change_id: int) -> int:
    try:
        return status_mail_send(status_change_id=status_change_id)
    except StatusMailError as exc:
        raise _retry(self, exc) from exc


@shared_task(acks_late=True, name="issues.tasks.expire_fix_confirmations")
def expire_fix_confirmations() -> list[int]:
    return confirmations_expire()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_routine_review(routine_id: int) -> int:
    return routine_review_notify(routine_id=routine_id)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def send_summaries(self: Task, frequency: str) -> int:
    """Beat's daily/weekly job: make the period's summaries, then send what is unsent."""
    summaries_make(frequency=frequency)
    try:
        return summaries_send()
    except SummarySendError as exc:
        raise _retry(self, exc) from exc


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_confirmation_round(fixed_change_id: int) -> int:
    return confirmation_round_notify(fixed_change_id=fixed_change_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def sweep_status_mail() -> int:
    return status_mail_sweep()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def cleanup_staging_uploads() -> int:
    return attachment_staging_cleanup() + held_uploads_cleanup()


@shared_task(acks_late=True, reject_on_worker_lost=True, name="issues.export_build")
def export_build(export_id: int, params: dict[str, list[str]], language: str) -> str:
    return export_job_run(export_id=export_id, params=params, language=language)
