"""``kiber rebuild_compliance_rollup``: recompute the heat map's sector rollup from the stored scores."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from kiber.compliance.services import rebuild_rollup


class Command(BaseCommand):
    help = "Recompute the per-sector requirement score rollup (e.g. after subjects changed sector)."

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(f"{rebuild_rollup()} rollup rows")
