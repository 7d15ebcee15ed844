from __future__ import annotations

import os
import sys

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "kiber.jobs"
    label = "jobs"

    def ready(self) -> None:
        # Embedded default: under runserver (in the reloader's child process) the worker starts at once, so
        # the periodic jobs (the hourly deadline sweep) run without waiting for a first job.
        if "runserver" in sys.argv and os.environ.get("RUN_MAIN") == "true":
            from kiber.jobs import backend, worker

            if backend() == "thread":
                worker.start()
