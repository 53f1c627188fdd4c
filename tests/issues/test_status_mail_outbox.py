"""Issue 16: a status e-mail is not lost when the broker is down.

The fast tests run everywhere (eager Celery, the broker's failure simulated); the last one stops a
real Redis broker of its own (never the shared one on 6379), makes a change, starts the broker
and a real worker, and sees the mail sent once.
"""

import datetime as dt
import os
import subprocess
import time
from pathlib import Path
from typing import Any

import kombu.pools
import pytest
import redis
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from bott_tracker.celery import app as celery_app
from issues.models import DeliveryState, StatusMail, User
from issues.services.defects import defect_transition
from issues.services.outbox import status_mail_sweep
from issues.tasks import notify_status_change
from tests.factories import make_defect, make_user
from tests.issues.test_tasks import ROOT, Worker, _test_database_url, wait_for
from tests.mail_sink import MailSink, free_port

LATER = dt.timedelta(minutes=5)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("eager_celery")
def test_mail_rows_commit_with_the_change_and_the_sweep_sends_what_the_broker_lost(
    mail_sink: MailSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    reporter = make_user("reporter")
    manager = make_user("management", institution="NTNU")
    defect = make_defect(reporter)

    def broker_down(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(notify_status_change, "delay", broker_down)
    defect_transition(defect=defect, actor=manager, to_status="triaged")
    row = StatusMail.objects.get()
    assert (row.state, row.email) == (DeliveryState.PENDING, reporter.email)
    assert mail_sink.messages == []

    monkeypatch.undo()
    assert status_mail_sweep() == 0  # too fresh: its own commit hook may still be on the way
    assert status_mail_sweep(now=timezone.now() + LATER) == 1
    status_mail_sweep(now=timezone.now() + LATER)  # a second tick sends nothing twice
    assert len(mail_sink.to(reporter.email)) == 1
    message = mail_sink.to(reporter.email)[0].message
    assert message["Message-ID"] == f"<status-{row.status_change_id}-{reporter.pk}@bott-tracker>"
    assert StatusMail.objects.get().state == DeliveryState.SENT


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("eager_celery")
def test_a_row_left_sending_by_a_dead_worker_is_sent_again_by_the_sweep(
    mail_sink: MailSink,
) -> None:
    reporter = make_user("reporter")
    manager = make_user("management", institution="NTNU")
    defect = make_defect(reporter)
    mail_sink.stop()  # SMTP down: the row stays pending after its failed attempts
    defect_transition(defect=defect, actor=manager, to_status="triaged")
    assert StatusMail.objects.get().state == DeliveryState.PENDING
    mail_sink.start()
    # As a worker killed between its claim and SMTP's answer leaves it.
    StatusMail.objects.update(state=DeliveryState.SENDING, claimed_at=timezone.now())
    status_mail_sweep(now=timezone.now() + LATER)
    assert mail_sink.messages == []  # not stale yet: that worker may still be talking to SMTP
    status_mail_sweep(now=timezone.now() + dt.timedelta(minutes=30))
    assert len(mail_sink.to(reporter.email)) == 1


class OwnRedis:
    """A throw-away redis-server on a free port, so the test can stop "the broker"."""

    def __init__(self, tmp_path: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.dir = tmp_path
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> "OwnRedis":
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--save", "", "--appendonly", "no"],
            cwd=self.dir,
            stdout=subprocess.DEVNULL,
        )
        wait_for(self._answers, 10, "redis-server to start")
        return self

    def _answers(self) -> bool:
        try:
            return bool(redis.Redis.from_url(self.url).ping())
        except redis.exceptions.ConnectionError:
            return False

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(10)


def _use_broker(url: str) -> None:
    """Point this process's Celery producer at ``url`` (its pools are built lazily)."""
    celery_app.conf.broker_url = url  # type: ignore[misc]
    # Empties kombu's global pool registry too, or the old URL's closed pool would come back.
    kombu.pools.reset()
    celery_app._pool = None  # type: ignore[attr-defined]
    celery_app.amqp._producer_pool = None  # type: ignore[attr-defined]


@pytest.mark.services
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_broker_stopped_change_made_broker_started_mail_sent_once(
    tmp_path: Path, settings: SettingsWrapper
) -> None:
    sink = MailSink().start()
    broker = OwnRedis(tmp_path).start()
    original = celery_app.conf.broker_url
    _use_broker(broker.url)
    worker = Worker(
        {
            **os.environ,
            "DATABASE_URL": _test_database_url(),
            "REDIS_URL": broker.url,
            "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
            # The test settings, on this test process's queue (as tests/issues/test_tasks.py).
            "DJANGO_SETTINGS_MODULE": "bott_tracker.settings_test",
            "BOTT_TEST_NAMESPACE": celery_app.conf.task_default_queue,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        },
        tmp_path / "worker.log",
    )
    try:
        reporter: User = make_user("reporter")
        manager = make_user("management", institution="NTNU")
        defect = make_defect(reporter)
        broker.stop()
        defect_transition(defect=defect, actor=manager, to_status="triaged")  # saved, not queued
        assert StatusMail.objects.get().state == DeliveryState.PENDING
        broker.start()
        worker.start()
        status_mail_sweep(now=timezone.now() + LATER)  # what beat does every few minutes
        wait_for(lambda: len(sink.messages) == 1, 30, "the status mail")
        status_mail_sweep(now=timezone.now() + LATER)
        time.sleep(1)
        assert len(sink.to(reporter.email)) == 1
        assert StatusMail.objects.get().state == DeliveryState.SENT
    finally:
        worker.stop()
        broker.stop()
        _use_broker(original)
        sink.stop()
