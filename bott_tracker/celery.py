import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bott_tracker.settings")

app = Celery("bott_tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
