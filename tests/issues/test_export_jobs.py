"""Exports too large to stream are built by a job: complete, with the counted rows, or failed."""

import csv
import io
from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from issues.models import ExportLog, ExportState, User
from issues.services import exports as export_services
from issues.services.exports import export_job_run
from tests.factories import make_defect, make_user
from tests.issues.test_tasks import Worker, sink, wait_for  # noqa: F401 - a fixture
from tests.issues.test_tasks import make_worker as make_worker  # noqa: PLC0414 - a fixture
from tests.readers import streamed


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def small_limit(settings: SettingsWrapper) -> None:
    settings.EXPORT_SYNC_MAX_ROWS = {"csv": 2, "xlsx": 2}


def _start(client: Client, fmt: str = "csv", **params: str) -> ExportLog:
    response = client.get(reverse("issues:export", args=[fmt]), params)
    assert response.status_code == 202
    body = response.json()
    assert response["Location"] == body["status_url"]
    assert body["download_url"] is None
    return ExportLog.objects.get(pk=body["id"])


def _rows(raw: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))[1:]


@pytest.mark.django_db
def test_a_large_export_is_queued_built_and_downloaded_by_its_owner(
    small_limit: None, manager: User, reporter: User
) -> None:
    titles = {f"Feil {i}" for i in range(5)}
    for title in titles:
        make_defect(reporter, title=title)
    client = _client(manager)
    log = _start(client)
    assert (log.state, log.row_count) == (ExportState.QUEUED, 5)
    assert export_job_run(export_id=log.pk, params={}, language="nb") == ExportState.DONE
    status = client.get(reverse("issues:export_job", args=[log.pk])).json()
    assert (status["state"], status["rows"], status["rows_written"]) == ("done", 5, 5)
    response = client.get(status["download_url"])
    assert response.status_code == 200
    assert {r[1] for r in _rows(streamed(response))} == titles
    # Someone else's export is not there, even for another manager.
    other = _client(make_user("management"))
    assert other.get(status["status_url"]).status_code == 404
    assert other.get(status["download_url"]).status_code == 404


@pytest.mark.django_db
def test_a_job_follows_the_filter_and_small_exports_still_stream(
    small_limit: None, liaison: User, reporter: User
) -> None:
    for i in range(3):
        make_defect(reporter, title=f"Lønn {i}", facts={"blocks_pay": True})
    make_defect(reporter, title="Frustrerende", facts={"frustration": True})
    client = _client(liaison)
    log = _start(client, "xlsx", tier="1")
    assert log.row_count == 3
    assert export_job_run(export_id=log.pk, params={"tier": ["1"]}, language="nb") == "done"
    log.refresh_from_db()
    assert log.rows_written == 3
    assert log.file.name.endswith(".xlsx")
    response = client.get(reverse("issues:export", args=["csv"]), {"tier": "3"})
    assert response.status_code == 200  # one row: streamed at once
    assert [r[1] for r in _rows(streamed(response))] == ["Frustrerende"]


@pytest.mark.django_db
def test_a_row_count_that_differs_from_the_query_fails_the_export(
    small_limit: None, manager: User, reporter: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(3):
        make_defect(reporter, title=f"Feil {i}")
    client = _client(manager)
    log = _start(client)
    real_write = export_services._write
    monkeypatch.setattr(export_services, "_write", lambda *a: real_write(*a) - 1)
    assert export_job_run(export_id=log.pk, params={}, language="nb") == ExportState.FAILED
    status = client.get(reverse("issues:export_job", args=[log.pk])).json()
    assert (status["state"], status["rows_written"], status["download_url"]) == ("failed", 2, None)
    assert client.get(reverse("issues:export_job_file", args=[log.pk])).status_code == 404


@pytest.mark.services
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_export(
    small_limit: None, make_worker: Callable[..., Worker], reporter: User, manager: User
) -> None:
    for i in range(7):
        make_defect(reporter, title=f"Feil {i}")
    make_worker(MEDIA_ROOT=str(settings.MEDIA_ROOT))
    client = _client(manager)
    log = _start(client)
    status = wait_for(
        lambda: (
            (s := client.get(reverse("issues:export_job", args=[log.pk])).json())["state"]
            in ("done", "failed")
            and s
        ),
        60,
        "the export job to finish",
    )
    assert (status["state"], status["rows_written"]) == ("done", 7)
    rows = _rows(streamed(client.get(status["download_url"])))
    assert sorted(r[1] for r in rows) == [f"Feil {i}" for i in range(7)]
