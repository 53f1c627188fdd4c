"""Issue 16: no national ID or account number in the application log or gunicorn's access log."""

import datetime as dt
import io
import logging
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from django.test import Client
from gunicorn.config import Config

from bott_tracker.log_filters import MaskingGunicornLogger, MaskPersonalData
from tests.issues.pd_numbers import first_national_id

FNR = first_national_id("010190")


class _Person:
    def __str__(self) -> str:
        return f"Person {FNR[:6]}\t{FNR[6:]}"


@pytest.fixture
def console() -> Iterator[io.StringIO]:
    """What the configured console handler writes (pytest's capture handlers have no filter)."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, MaskPersonalData) for f in h.filters)
    )
    assert isinstance(handler, logging.StreamHandler)
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        yield buffer
    finally:
        handler.setStream(previous)


@pytest.mark.django_db
def test_a_failed_login_with_a_national_id_as_username_is_masked_in_the_log(
    console: io.StringIO,
) -> None:
    Client().post("/login/", {"username": FNR, "password": "wrong"})
    Client().get(f"/ingen-side/{FNR}/")  # Django logs "Not Found: <path>"
    written = console.getvalue()
    assert "login.failure" in written
    assert "Not Found" in written
    assert FNR not in written


def test_arguments_exceptions_and_objects_are_masked(console: io.StringIO) -> None:
    log = logging.getLogger("bott.test")
    log.warning("konto %s", f"1234.56.{78903}")
    log.warning("obj %s", _Person())
    try:
        raise ValueError(f"bad {FNR}")
    except ValueError:
        log.exception("failed")
    written = console.getvalue()
    assert "78903" not in written
    assert FNR[6:] not in written
    assert "ValueError: bad ***" in written


def test_the_access_log_masks_paths_and_query_strings_also_url_encoded() -> None:
    logger = MaskingGunicornLogger(Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/triage/?q={FNR[:6]}%C2%A0{FNR[6:]}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": f"/feil/{FNR}/",
        "QUERY_STRING": f"q={FNR[:6]}+{FNR[6:]}",
        "HTTP_REFERER": f"https://bott.example/triage/?q={FNR}",
    }
    resp = SimpleNamespace(status="200 OK", sent=10, headers=[])
    atoms = logger.atoms(resp, SimpleNamespace(headers=[]), environ, dt.timedelta(seconds=1))
    line = " ".join(str(atoms[k]) for k in ("r", "U", "q", "f"))
    assert FNR[6:] not in line
    assert FNR[:6] not in line
