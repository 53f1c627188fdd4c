import threading
import uuid

import pytest
from django.db import connection

from issues.models import Area, Defect, ReportSubmission, User
from issues.services.reporting import ReportResult, report_submit
from tests.factories import make_user


def _submit(user: User, token: str) -> ReportResult:
    return report_submit(
        reporter=user, token=token, title="Fakturaen avvises", area=Area.objects.get(code="BTB")
    )


@pytest.mark.django_db
def test_the_same_token_twice_returns_the_first_defect(reporter: User) -> None:
    token = uuid.uuid4().hex
    first, second = _submit(reporter, token), _submit(reporter, token)
    assert first.created
    assert not second.created
    assert first.defect.pk == second.defect.pk
    assert Defect.objects.count() == 1


@pytest.mark.django_db
def test_tokens_are_per_user(reporter: User, other_reporter: User) -> None:
    token = uuid.uuid4().hex
    assert _submit(reporter, token).created
    assert _submit(other_reporter, token).created
    assert Defect.objects.count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_with_one_token_create_one_defect() -> None:
    user = make_user("reporter")
    token = uuid.uuid4().hex
    barrier = threading.Barrier(2)
    results: list[ReportResult] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(_submit(user, token))
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert sorted(r.created for r in results) == [False, True]
    assert len({r.defect.pk for r in results}) == 1
    assert Defect.objects.count() == 1
    assert ReportSubmission.objects.count() == 1
