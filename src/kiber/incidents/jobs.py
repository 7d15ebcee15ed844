"""Incident jobs: thin wrappers around service functions (run by kiber.jobs: its worker thread or Celery)."""

from __future__ import annotations

import logging

from kiber.incidents import delivery
from kiber.incidents.models import Report

log = logging.getLogger(__name__)


def after_submit(report_id: int) -> None:
    """Render the frozen version's PDF, then deliver it over e-mail and webhook."""
    from kiber.incidents.services import store_pdf

    report = Report.objects.select_related("incident", "incident__organisation").get(pk=report_id)
    try:
        store_pdf(report)
    except Exception:  # the PDF is rendered again by the sweep; the deliveries must not wait for it
        log.exception("PDF of report %s failed", report_id)
    delivery.process_due(report_id=report_id)


def sweep() -> None:
    from kiber.incidents.sweep import run_sweep

    run_sweep()
