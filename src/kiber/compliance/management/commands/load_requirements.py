"""``kiber load_requirements``: create or upgrade the requirement catalogue in the database (idempotent)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from kiber.compliance.loader import load_catalogue


class Command(BaseCommand):
    help = "Load the 22-TA-3183 requirement catalogue into the database; answers to unchanged texts are kept."

    def handle(self, *args: object, **options: object) -> None:
        result = load_catalogue()
        self.stdout.write(result.summary())
