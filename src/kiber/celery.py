"""Celery app for production: the broker is Redis; jobs are thin wrappers around service functions."""

import os

from celery import Celery
from celery.signals import before_task_publish, task_prerun

from kiber.observability import adopt_request_id, attach_request_id

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kiber.settings")
app = Celery("kiber")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# A task's log lines carry the id of the request that enqueued it.
before_task_publish.connect(attach_request_id, weak=False)
task_prerun.connect(adopt_request_id, weak=False)
