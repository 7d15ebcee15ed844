"""``kiber audit verify``: recompute the hash chains, compare them with the signed checkpoints and report
any tampering (exit status 1)."""

import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from kiber.audit.services import read_checkpoints, verify


class Command(BaseCommand):
    help = "Verify the audit log's hash chains against the checkpoints; exit status 1 if anything was altered."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoints", type=Path, default=None,
            help="checkpoint file (default settings.AUDIT_CHECKPOINTS, KIBER_AUDIT_CHECKPOINTS)",
        )

    def handle(self, *args: object, **options: object) -> None:
        checkpoints = read_checkpoints(options["checkpoints"] or settings.AUDIT_CHECKPOINTS)  # type: ignore[arg-type]
        checked, problems = verify(checkpoints)
        report = {
            "checked": checked,
            "checkpoints": len(checkpoints),
            "ok": not problems,
            "problems": [p.__dict__ for p in problems],
        }
        self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        if problems:
            sys.exit(1)
