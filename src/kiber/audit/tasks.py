"""Celery beat (production): an hourly signed checkpoint of the audit chain heads (issue 10, finding 6)."""

from __future__ import annotations

from celery import shared_task
from celery.schedules import crontab

from kiber.celery import app


@shared_task(name="kiber.audit.checkpoint", acks_late=True)
def checkpoint() -> None:
    from django.conf import settings

    from kiber.audit.services import take_checkpoint

    _record, problems = take_checkpoint(settings.AUDIT_CHECKPOINTS)
    if problems:  # the task fails visibly; `kiber audit verify` lists the problems
        raise RuntimeError(f"audit chain does not verify ({len(problems)} problems); no checkpoint written")


app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    "audit-checkpoint-hourly": {"task": "kiber.audit.checkpoint", "schedule": crontab(minute=7)},
}
