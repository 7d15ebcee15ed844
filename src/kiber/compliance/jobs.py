"""Compliance background jobs: thin wrappers around service functions.

Run nightly by Celery beat in production (tasks.py) and by the incidents background worker's periodic
jobs in the embedded default (``kiber.incidents.background.PERIODIC``); by hand: ``kiber refresh_self_assessments``.
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
