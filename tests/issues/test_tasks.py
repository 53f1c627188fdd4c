"""Digests through the real parts: Redis broker, a Celery worker subprocess, SMTP on loopback.

The worker is pointed at pytest's test database (committed data: transactional tests), at this
test process's own Celery queue in the shared Redis database (``TEST_NAMESPACE``: pytest-xdist
runs several test processes at once) and at a MailSink on a fixed port, so the sink can be
stopped and restarted under it.
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from django.conf import settings
from django.db import connection

from bott_tracker.celery import app as celery_app
from issues.models import DeliveryState, DigestDelivery, DigestRun, User
from issues.services.digests import digest_send_now
from issues.tasks import meeting_digests, weekly_digest
from tests.factories import make_defect, make_user
from tests.mail_sink import MailSink, free_port
from tests.readers import attachment_names

pytestmark = [
    pytest.mark.services,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))


def wait_for(condition: Callable[[], Any], timeout: float = 30, what: str = "") -> Any:
    """Poll until ``condition()`` is truthy; fail with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        time.sleep(0.02)


def _test_database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Worker:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env = env
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> "Worker":
        self.log.write_text("")
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [
                    CELERY,
                    "-A",
                    "bott_tracker",
                    "worker",
                    "--pool=solo",
                    "--loglevel=INFO",
                    "--without-mingle",
                    "--without-gossip",
                    "--without-heartbeat",
                    "--hostname",
                    f"test-{os.getpid()}-{time.monotonic_ns()}@localhost",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        wait_for(lambda: " ready." in self.log.read_text(), 60, "the worker to be ready")
        return self

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


@pytest.fixture
def sink() -> Iterator[MailSink]:
    mail = MailSink(port=free_port()).start()
    try:
        yield mail
    finally:
        mail.stop()


def _drop_queued_tasks() -> None:
    """Empty this test process's Celery queue: tasks earlier tests queued with no worker running.

    Only this process's keys: other test processes share the Redis database.
    """
    queue = celery_app.conf.task_default_queue
    client = redis.Redis.from_url(settings.REDIS_URL)
    # Kombu keeps a queue as a list under its name, plus one list per priority step.
    client.delete(queue, *client.scan_iter(match=f"{queue}\x06\x16*"))


@pytest.fixture
def make_worker(
    transactional_db: None, sink: MailSink, tmp_path: Path
) -> Iterator[Callable[..., Worker]]:
    _drop_queued_tasks()
    workers: list[Worker] = []

    def start(**extra_env: str) -> Worker:
        env = {
            **os.environ,
            "DATABASE_URL": _test_database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
            "DIGEST_RETRY_BASE_SECONDS": "0.5",
            # The test settings, on this test process's queue and cache keys.
            "DJANGO_SETTINGS_MODULE": "bott_tracker.settings_test",
            "BOTT_TEST_NAMESPACE": celery_app.conf.task_default_queue,
            # The code under test: the worker's script directory is .venv/bin, not the checkout.
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
            **extra_env,
        }
        worker = Worker(env, tmp_path / f"worker-{len(workers)}.log").start()
        workers.append(worker)
        return worker

    try:
        yield start
    finally:
        for worker in workers:
            worker.stop()
        _drop_queued_tasks()


def _recipients(n: int) -> list[User]:
    return [make_user("management" if i % 2 else "liaison") for i in range(n)]


def _sent(run: DigestRun) -> int:
    return DigestDelivery.objects.filter(run=run, state=DeliveryState.SENT).count()


def _assert_one_each(sink: MailSink, users: list[User], run: DigestRun) -> None:
    for user in users:
        received = sink.to(user.email)
        assert len(received) == 1, (user.email, len(received))
        message = received[0].message
        assert message["Message-ID"] == f"<digest-{run.pk}-{user.pk}@bott-tracker>"
        assert [n[-5:] for n in attachment_names(message)] == [".xlsx"]
    assert len(sink.messages) == len(users)


def test_digest_arrives_once_per_recipient_with_attachment(
    make_worker: Callable[..., Worker], sink: MailSink
) -> None:
    users = _recipients(3)
    make_defect(users[0], title="Lønn stopper", facts={"blocks_pay": True})
    make_worker()
    run = digest_send_now(actor=users[1])  # queued on commit
    # The run is marked finished after its last delivery is marked sent: wait for that too,
    # or a busy machine shows the moment in between.
    wait_for(
        lambda: (
            len(sink.messages) == 3
            and _sent(run) == 3
            and DigestRun.objects.filter(pk=run.pk, finished_at__isnull=False).exists()
        ),
        30,
        "three deliveries and the run marked finished",
    )
    _assert_one_each(sink, users, run)
    run.refresh_from_db()
    assert run.finished_at is not None


def test_worker_killed_mid_run_each_recipient_gets_exactly_one(
    make_worker: Callable[..., Worker], sink: MailSink
) -> None:
    users = _recipients(8)
    worker = make_worker(DIGEST_DELAY_BETWEEN_RECIPIENTS="0.6")
    run = digest_send_now(actor=users[1])

    def between_recipients() -> bool:
        # Kill in the pause after a recipient is marked sent, i.e. between two recipients.
        sent = _sent(run)
        return sent >= 3 and len(sink.messages) == sent

    wait_for(between_recipients, 30, "three recipients sent")
    worker.kill()
    left = DigestDelivery.objects.filter(run=run).exclude(state=DeliveryState.SENT).count()
    assert 0 < left < len(users), "the kill must land mid-run"

    make_worker()
    meeting_digests.delay()  # what beat does every few minutes: resume unfinished runs
    wait_for(lambda: _sent(run) == len(users), 60, "all recipients after restart")
    _assert_one_each(sink, users, run)


def test_smtp_down_then_back_is_delivered_once(
    make_worker: Callable[..., Worker], sink: MailSink
) -> None:
    users = _recipients(2)
    sink.stop()
    make_worker()
    run = digest_send_now(actor=users[1])
    # A failed delivery goes back to pending with its error and is retried. Wait for that state
    # itself: a bare "attempts >= 2" can be caught mid-retry, when the row is "sending" again.
    wait_for(
        lambda: (
            DigestDelivery.objects.filter(run=run, attempts__gte=2, state=DeliveryState.PENDING)
            .exclude(last_error="")
            .exists()
        ),
        30,
        "a retried SMTP failure waiting in pending",
    )
    assert _sent(run) == 0
    sink.start()
    wait_for(lambda: _sent(run) == len(users), 30, "delivery after SMTP came back")
    _assert_one_each(sink, users, run)


def test_two_beat_ticks_for_the_same_period_make_one_run(
    make_worker: Callable[..., Worker], sink: MailSink
) -> None:
    users = _recipients(2)
    make_worker()
    weekly_digest.delay()
    weekly_digest.delay()
    wait_for(
        lambda: DigestRun.objects.exists() and _sent(DigestRun.objects.get()) == len(users),
        30,
        "the weekly run",
    )
    run = DigestRun.objects.get()
    assert run.kind == "weekly"
    _assert_one_each(sink, users, run)
