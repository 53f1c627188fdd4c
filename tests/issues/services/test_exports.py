import pytest
from django.test import Client
from django.urls import reverse

from issues.models import AuditEvent, ExportLog, User
from tests.factories import make_defect
from tests.issues.pd_numbers import first_national_id
from tests.readers import streamed

pytestmark = pytest.mark.django_db


def test_an_export_is_logged_and_audited_without_personal_data(
    reporter: User, manager: User
) -> None:
    make_defect(reporter, title="Faktura henger")
    fnr = first_national_id("010190")
    client = Client()
    client.force_login(manager)
    response = client.get(reverse("issues:export", args=["csv"]), {"q": f"faktura {fnr}"})
    assert response.status_code == 200
    streamed(response)
    log = ExportLog.objects.get()
    event = AuditEvent.objects.get(action="export")
    assert event.actor == manager
    assert event.target == f"export-{log.pk}"
    assert event.details["format"] == "csv"
    assert event.details["rows"] == log.row_count
    assert fnr not in str(event.details)
    assert fnr not in str(log.filters)
    assert "faktura" in str(log.filters)
