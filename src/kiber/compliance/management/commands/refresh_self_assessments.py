"""``kiber refresh_self_assessments``: schedules and campaigns from the ``self-assessment-due`` rule (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kiber.compliance.services import refresh_campaigns


class Command(BaseCommand):
    help = (
        "Re-compute every subject's self-assessment due date and open the campaign for its next due year "
        "(idempotent; run nightly)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = refresh_campaigns()
        self.stdout.write(
            f"subjects: {result.subjects}; campaigns opened: {result.created}; "
            f"rescheduled: {result.realigned}; failed: {result.failed}"
        )
