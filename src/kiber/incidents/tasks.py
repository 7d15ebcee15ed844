"""Celery tasks (production): thin wrappers around the jobs, and the hourly sweep on celery beat."""

from __future__ import annotations

from celery import shared_task
from celery.schedules import crontab

from kiber.celery import app


@shared_task(name="kiber.incidents.run", acks_late=True)
def run(name: str, *args: object) -> None:
    from kiber.incidents.background import run_job

    run_job(name, *args)


@shared_task(name="kiber.incidents.sweep_deadlines", acks_late=True)
def sweep_deadlines() -> None:
    from kiber.incidents.jobs import sweep

    sweep()


app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    "incidents-sweep-deadlines-hourly": {"task": "kiber.incidents.sweep_deadlines", "schedule": crontab(minute=7)},
}
