"""Daily summaries through the real parts: a Celery worker subprocess, Redis, SMTP on loopback.
Each person gets one summary per period, also when the worker is SIGKILLed mid-run."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from issues.models import DeliveryState, Frequency, SummaryDelivery, User
from issues.services.defects import defect_transition
from issues.services.participation import follow_set
from issues.services.preferences import preferences_set
from issues.tasks import send_summaries
from tests.factories import make_defect, make_user
from tests.issues.test_tasks import Worker, make_worker, sink, wait_for  # noqa: F401 - fixtures
from tests.mail_sink import MailSink

pytestmark = [
    pytest.mark.services,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def _followers(n: int) -> list[User]:
    """``n`` people who follow a defect that changed yesterday, each wanting a daily summary."""
    manager = make_user("management", institution="NTNU")
    reporter = make_user("reporter")
    # The reporter would get the status mail at once; only summaries should reach the sink.
    preferences_set(user=reporter, choices={"my_defects": Frequency.OFF})
    defect = make_defect(reporter, title="Lønnsarter mangler")
    users = [make_user("reporter", institution="UiB") for _ in range(n)]
    for user in users:
        preferences_set(user=user, choices={"followed": Frequency.DAILY})
        follow_set(defect=defect, user=user, follow=True)
    defect_transition(defect=defect, actor=manager, to_status="triaged")
    defect.status_changes.update(at=timezone.now() - dt.timedelta(days=1))
    return users


def _sent() -> int:
    return SummaryDelivery.objects.filter(state=DeliveryState.SENT).count()


def _assert_one_each(mails: MailSink, users: list[User]) -> None:
    for user in users:
        received = mails.to(user.email)
        assert len(received) == 1, (user.email, len(received))
        assert received[0].message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert len(mails.messages) == len(users)


# The fixtures are imported from test_tasks; pytest injects them by these parameter names.
def test_daily_summaries_once_per_person_even_after_sigkill(
    make_worker: Callable[..., Worker],  # noqa: F811
    sink: MailSink,  # noqa: F811
) -> None:
    users = _followers(6)
    worker = make_worker(DIGEST_DELAY_BETWEEN_RECIPIENTS="0.6")
    send_summaries.delay("daily")

    def between_people() -> bool:
        sent = _sent()
        return sent >= 2 and len(sink.messages) == sent

    wait_for(between_people, 30, "two summaries sent")
    worker.kill()
    left = SummaryDelivery.objects.exclude(state=DeliveryState.SENT).count()
    assert 0 < left < len(users), "the kill must land mid-run"

    make_worker()
    send_summaries.delay("daily")  # the next beat tick (or the redelivered task) resumes
    send_summaries.delay("daily")  # and a second tick for the same period sends nothing twice
    wait_for(lambda: _sent() == len(users), 60, "every summary after the restart")
    assert SummaryDelivery.objects.count() == len(users)
    _assert_one_each(sink, users)
