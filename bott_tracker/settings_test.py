"""The app's settings plus what only a test run wants; pytest uses this module (pyproject.toml).

A process a test starts (the Celery worker, ``manage.py check --deploy``, a settings check) names
its settings module explicitly; nothing else reads this one.
"""

import os
import uuid

from bott_tracker.settings import *  # noqa: F403
from bott_tracker.settings import CACHES, REDIS_URL, env

# Django's default hasher runs a million PBKDF2 rounds per password: about 0.3 s for every user
# a test makes. Tests prove who may log in, not how strong the hash is.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Mail stays in memory (django.core.mail.outbox) unless EMAIL_URL says otherwise: the Celery
# worker a test starts is given the address of that test's SMTP sink.
if not env.str("EMAIL_URL", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# One namespace per test process (each pytest-xdist worker has its own), so parallel processes
# sharing one Redis database neither take each other's Celery tasks nor count in each other's
# cache keys (login and API throttles). A worker subprocess is handed its test process's
# namespace in BOTT_TEST_NAMESPACE.
TEST_NAMESPACE = env.str("BOTT_TEST_NAMESPACE", default="") or (
    f"bott-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{uuid.uuid4().hex[:8]}"
)
CELERY_TASK_DEFAULT_QUEUE = TEST_NAMESPACE
if REDIS_URL:
    CACHES = {"default": {**CACHES["default"], "KEY_PREFIX": TEST_NAMESPACE}}
