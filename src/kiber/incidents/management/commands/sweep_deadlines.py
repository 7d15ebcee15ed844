"""``kiber sweep_deadlines``: reminders, overdue notices, delivery retries (idempotent; run hourly)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from kiber.incidents.sweep import run_sweep


class Command(BaseCommand):
    help = "Send incident report reminders and overdue notices, retry deliveries (idempotent)."

    def handle(self, *args, **options) -> None:
        r = run_sweep()
        self.stdout.write(
            f"incidents checked: {r.incidents}; notices sent: {r.sent}; already sent: {r.skipped}; "
            f"deliveries: {r.delivered} delivered, {r.failed} failed; PDFs rendered: {r.pdfs}"
        )
