"""``kiber audit checkpoint``: verify the chains, then append a signed checkpoint of their heads to a file
outside the database (run it on a schedule: celery beat does hourly; copy the file off the machine)."""

import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from kiber.audit.services import take_checkpoint


class Command(BaseCommand):
    help = "Append a signed checkpoint of the audit chain heads; refused (exit 1) if the chains do not verify."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--path", type=Path, default=None,
            help="checkpoint file (default settings.AUDIT_CHECKPOINTS, KIBER_AUDIT_CHECKPOINTS)",
        )

    def handle(self, *args: object, **options: object) -> None:
        path = options["path"] or settings.AUDIT_CHECKPOINTS
        record, problems = take_checkpoint(path)  # type: ignore[arg-type]
        if record is None:
            report = {"ok": False, "problems": [p.__dict__ for p in problems]}
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            sys.exit(1)
        self.stdout.write(json.dumps({"ok": True, "path": str(path), **record}, ensure_ascii=False, indent=2))
