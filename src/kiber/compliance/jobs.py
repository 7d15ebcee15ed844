"""Compliance background jobs: thin wrappers around service functions.

``render_version_pdf`` runs after a submission commits. ``refresh_campaigns`` runs nightly by Celery beat
in production (tasks.py) and by the embedded default's job worker (``kiber.jobs.worker.PERIODIC``);
by hand: ``kiber refresh_self_assessments``.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def refresh_campaigns() -> None:
    from kiber.compliance.services import refresh_campaigns as refresh

    result = refresh()
    log.info(
        "self-assessment campaigns: %d subjects, %d opened, %d rescheduled, %d failed",
        result.subjects,
        result.created,
        result.realigned,
        result.failed,
    )


def render_version_pdf(version_id: int) -> None:
    from kiber.compliance.models import AssessmentVersion
    from kiber.compliance.services import version_pdf

    version_pdf(AssessmentVersion.objects.select_related("assessment", "organisation").get(pk=version_id))
