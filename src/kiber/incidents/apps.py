from __future__ import annotations

import os
import sys

from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "kiber.incidents"
    label = "incidents"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Embedded default: under runserver (in the reloader's child process) the background thread
        # starts at once, so the hourly deadline sweep runs without waiting for a submission.
        if "runserver" in sys.argv and os.environ.get("RUN_MAIN") == "true":
            from kiber.incidents import background

            if background.mode() == "thread":
                background.start_worker()
