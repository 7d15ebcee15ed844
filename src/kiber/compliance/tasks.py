"""Celery tasks (production): the nightly self-assessment campaign refresh on celery beat."""

from __future__ import annotations

from celery import shared_task
from celery.schedules import crontab

from kiber.celery import app


@shared_task(name="kiber.compliance.refresh_campaigns", acks_late=True)
def refresh_campaigns() -> None:
    from kiber.compliance import jobs

    jobs.refresh_campaigns()


app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    "compliance-refresh-campaigns-nightly": {
        "task": "kiber.compliance.refresh_campaigns",
        "schedule": crontab(hour=2, minute=23),
    },
}
