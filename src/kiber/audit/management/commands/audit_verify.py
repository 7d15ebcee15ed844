"""``kiber audit verify``: recompute the hash chains and report any tampering (exit status 1)."""

import json
import sys

from django.core.management.base import BaseCommand

from kiber.audit.services import verify


class Command(BaseCommand):
    help = "Verify the audit log's hash chains; exit status 1 if any entry was altered or removed."

    def handle(self, *args: object, **options: object) -> None:
        checked, problems = verify()
        report = {"checked": checked, "ok": not problems, "problems": [p.__dict__ for p in problems]}
        self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        if problems:
            sys.exit(1)
