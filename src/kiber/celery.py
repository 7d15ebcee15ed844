"""Celery app for production: the broker is Redis; jobs are thin wrappers around service functions."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kiber.settings")
app = Celery("kiber")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
