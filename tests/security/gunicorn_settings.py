"""Production settings for a test gunicorn, except static files are served from the finders:
``collectstatic`` with compression takes minutes and has nothing to do with what is logged."""

from bott_tracker.settings import *  # noqa: F403

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
