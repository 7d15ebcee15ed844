"""``kiber demo``: load the realistic demo, app by app (each app's ``demo.load(out)``), once."""

from __future__ import annotations

import importlib

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from kiber.registry.models import Organisation

# Order matters: later apps build on the subjects and users of the registry.
DEMO_APPS = ("registry", "assets", "compliance", "incidents", "plans", "supervision", "governance")
DEMO_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


class Command(BaseCommand):
    help = "Load the demo data (subjects, users, systems, assessments, incidents, plans); prints passwords once."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--if-empty", action="store_true", help="do nothing when subjects already exist")

    def handle(self, *args: object, **options: object) -> None:
        if options["if_empty"] and Organisation.objects.exists():
            self.stdout.write("Demo data already loaded; nothing to do.")
            return
        # The demo's own notifications (report deliveries, feedback) go to an in-memory mailbox so the
        # console shows the accounts table rather than e-mails nobody sent.
        with override_settings(EMAIL_BACKEND=DEMO_EMAIL_BACKEND), transaction.atomic():
            for app in DEMO_APPS:
                importlib.import_module(f"kiber.{app}.demo").load(self.stdout)
