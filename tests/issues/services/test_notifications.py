from typing import Any

import pytest

from issues.errors import TransitionNotAllowed
from issues.models import User
from issues.services.defects import defect_transition, defect_update
from issues.services.participation import follow_set
from tests.factories import make_defect, make_user
from tests.issues.pd_numbers import first_national_id
from tests.mail_sink import MailSink

pytestmark = pytest.mark.django_db


def test_reporter_and_followers_get_mail_but_not_the_actor(
    reporter: User,
    other_reporter: User,
    manager: User,
    mail_sink: MailSink,
    eager_celery: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    fnr = first_national_id("010190")
    defect = make_defect(reporter, title=f"Lønn feil for {fnr}")
    follow_set(defect=defect, user=other_reporter, follow=True)
    follow_set(defect=defect, user=manager, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        defect_transition(defect=defect, actor=manager, to_status="triaged", note=f"Sjekket {fnr}")
    recipients = sorted(a for m in mail_sink.messages for a in m.envelope_to)
    assert recipients == sorted([reporter.email, other_reporter.email])
    message = mail_sink.to(reporter.email)[0].message
    body = message.get_content()
    assert defect.key in message["Subject"]
    assert "Vurdert" in message["Subject"]
    assert "Ny → Vurdert" in body
    assert fnr not in body
    assert fnr not in message["Subject"]
    assert "***********" in body


def test_followers_who_cannot_see_the_defect_get_nothing(
    reporter: User,
    other_reporter: User,
    manager: User,
    mail_sink: MailSink,
    eager_celery: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    defect = make_defect(reporter)
    follow_set(defect=defect, user=other_reporter, follow=True)
    defect_update(
        defect=defect, actor=reporter, expected_version=defect.version, data={"confidential": True}
    )
    liaison = make_user("liaison")
    follow_set(defect=defect, user=liaison, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        defect_transition(defect=defect, actor=manager, to_status="triaged")
    recipients = sorted(a for m in mail_sink.messages for a in m.envelope_to)
    assert recipients == sorted([reporter.email, liaison.email])


def test_nothing_is_queued_when_the_transition_fails(
    reporter: User, mail_sink: MailSink, eager_celery: None, django_capture_on_commit_callbacks: Any
) -> None:
    defect = make_defect(reporter)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(TransitionNotAllowed),
    ):
        defect_transition(defect=defect, actor=reporter, to_status="triaged")
    assert callbacks == []
    assert mail_sink.messages == []
