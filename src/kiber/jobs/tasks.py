"""The Celery task that runs any job in production (``KIBER_JOBS_BACKEND=celery``)."""

from __future__ import annotations

from celery import shared_task

from kiber.jobs.runner import run


@shared_task(name="kiber.jobs.run", acks_late=True)
def run_job(name: str, *args: object) -> None:
    run(name, *args)
