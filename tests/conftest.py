import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.apps import apps as django_apps
from django.conf import settings as django_settings
from django.test.utils import override_settings
from hypothesis import settings as hypothesis_settings
from pytest_django.fixtures import Settings as SettingsWrapper
from pytest_django.plugin import blocking_manager_key

from bott_tracker.celery import app as celery_app
from issues.models import User
from issues.reference_data import load_feide_realms, load_reference_data
from tests.factories import UserFactory
from tests.mail_sink import MailSink

# Hypothesis profiles, chosen with --hypothesis-profile=NAME (registered here, before the plugin
# loads the chosen one). Only the oracle (tests/issues/oracle) reads the name: "ci" runs its 200
# histories (.ci/run passes it), anything else a bounded local number. The profiles leave
# max_examples alone, so no other property test grows or shrinks with them.
hypothesis_settings.register_profile("ci")
hypothesis_settings.register_profile("dev")


@pytest.fixture(scope="session", autouse=True)
def _media_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Uploads go to this test process's own temporary folder, never to the checkout's var/."""
    root = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=root):
        yield root


@pytest.fixture(scope="session", autouse=True)
def _redis_namespace_cleanup() -> Iterator[None]:
    """Drop what this test process left in Redis: queued tasks nobody ran, cache keys.

    Its Celery queue is named after its namespace (bott_tracker/settings_test.py), and so are
    its cache keys' prefix and the kombu bindings.
    """
    yield
    if django_settings.REDIS_URL:
        namespace = celery_app.conf.task_default_queue
        client = redis.Redis.from_url(django_settings.REDIS_URL)
        for key in client.scan_iter(match=f"*{namespace}*"):
            client.delete(key)


def _transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction"))


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request: pytest.FixtureRequest) -> None:
    """Transactional tests flush every table, including the data migration's reference data."""
    if _transactional(request.node):
        request.getfixturevalue("transactional_db")
        load_reference_data(django_apps)
        load_feide_realms(django_apps)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """Put the reference data back after a transactional test's flush, for the tests after it.

    pytest-django runs plain ``db`` tests before transactional ones, but pytest-xdist's work
    stealing can hand a process a plain test after a transactional one.
    """
    result = yield
    if nextitem is not None and _transactional(item):
        with item.config.stash[blocking_manager_key].unblock():
            load_reference_data(django_apps)
            load_feide_realms(django_apps)
    return result


@pytest.fixture(autouse=True)
def _fresh_login_throttle(settings: SettingsWrapper) -> None:
    """Each test counts login failures from zero, without flushing the shared Redis database."""
    settings.LOGIN_THROTTLE_NAMESPACE = uuid.uuid4().hex


@pytest.fixture
def reporter(db: None) -> User:
    return UserFactory.create(reporter=True, institution_code="UiO")


@pytest.fixture
def other_reporter(db: None) -> User:
    return UserFactory.create(reporter=True, institution_code="UiB")


@pytest.fixture
def manager(db: None) -> User:
    return UserFactory.create(management=True, institution_code="NTNU")


@pytest.fixture
def liaison(db: None) -> User:
    return UserFactory.create(liaison=True, institution_code="UiO")


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


@pytest.fixture
def eager_celery() -> Iterator[None]:
    """Tasks run in-process, in the request's on_commit; tests/issues/test_tasks.py and the other
    worker tests start a real worker."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = before
