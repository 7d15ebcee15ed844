"""``kiber import_plans``: import the 2014-2018 action plan (with its 2019 round) and the 2024-2029 roadmap."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from kiber.plans.importers import ImportError_, import_all


class Command(BaseCommand):
    help = "Import the published action plan 2014-2018 (seed 000) and the ICT roadmap 2024-2029 (seed 002)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--replace", action="store_true", help="delete and re-import plans that exist")

    def handle(self, *args: object, **options: object) -> None:
        try:
            plans = import_all(replace=bool(options["replace"]))
        except ImportError_ as exc:
            raise CommandError(str(exc)) from exc
        for plan in plans:
            self.stdout.write(f"{plan.code}: {plan.tasks.count()} tasks, {plan.rounds.count()} rounds")
