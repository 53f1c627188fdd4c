"""Production settings for a test gunicorn, except static files are served from the finders:
``collectstatic`` with compression takes minutes and has nothing to do with what is logged."""

from django.conf import global_settings

from bott_tracker.settings import *  # noqa: F403

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
# Test users' passwords are hashed with the test settings' fast hasher; accept it for logging in.
PASSWORD_HASHERS = [
    *global_settings.PASSWORD_HASHERS,
    "django.contrib.auth.hashers.MD5PasswordHasher",
]
