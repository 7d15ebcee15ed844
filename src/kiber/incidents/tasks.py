"""Celery tasks (production): the hourly deadline sweep on celery beat (other jobs run as kiber.jobs.run)."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from celery.schedules import crontab
from django.conf import settings

from kiber.celery import app


@shared_task(name="kiber.incidents.sweep_deadlines", acks_late=True)
def sweep_deadlines() -> None:
    from kiber.incidents.jobs import sweep

    sweep()


app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    "incidents-sweep-deadlines-hourly": {
        "task": "kiber.incidents.sweep_deadlines",
        "schedule": timedelta(seconds=settings.KIBER_SWEEP_EVERY_SECONDS)
        if settings.KIBER_SWEEP_EVERY_SECONDS
        else crontab(minute=7),
    },
}
