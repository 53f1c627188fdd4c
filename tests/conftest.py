import uuid
from collections.abc import Iterator

import pytest
from django.apps import apps as django_apps
from pytest_django.fixtures import Settings as SettingsWrapper

from issues.models import User
from issues.reference_data import load_feide_realms, load_reference_data
from tests.factories import make_user
from tests.mail_sink import MailSink


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request: pytest.FixtureRequest) -> None:
    """Transactional tests flush every table, including the data migration's reference data."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        load_reference_data(django_apps)
        load_feide_realms(django_apps)


@pytest.fixture(autouse=True)
def _fresh_login_throttle(settings: SettingsWrapper) -> None:
    """Each test counts login failures from zero, without flushing the shared Redis database."""
    settings.LOGIN_THROTTLE_NAMESPACE = uuid.uuid4().hex


@pytest.fixture
def reporter(db: None) -> User:
    return make_user("reporter", institution="UiO")


@pytest.fixture
def other_reporter(db: None) -> User:
    return make_user("reporter", institution="UiB")


@pytest.fixture
def manager(db: None) -> User:
    return make_user("management", institution="NTNU")


@pytest.fixture
def liaison(db: None) -> User:
    return make_user("liaison", institution="UiO")


@pytest.fixture
def mail_sink(settings: SettingsWrapper) -> Iterator[MailSink]:
    """Real SMTP on loopback; Django's SMTP backend is pointed at it for the test."""
    sink = MailSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield sink
    finally:
        sink.stop()
