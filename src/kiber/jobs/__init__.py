"""The platform's one job runner: work that runs after a commit or on a schedule, for every app.

A job is a dotted function name and plain arguments (``"kiber.incidents.jobs.after_submit", report_id``).
The database is the truth, the runner only executes: each job finds what to do in the database (a delivery
still ``pending``, a frozen version without its PDF), so a job lost with its process is not lost work. The
hourly deadline sweep sends what is still pending, and a PDF not rendered yet is rendered on its first
download.

``KIBER_JOBS_BACKEND`` (settings) chooses how jobs run:

- ``thread`` (embedded default): one daemon worker thread per process fed by an in-memory queue, which also
  runs ``worker.PERIODIC``; it starts from ``JobsConfig.ready()`` under runserver, otherwise on the first job.
- ``celery`` (production): each job is the Celery task ``kiber.jobs.run``; celery beat runs the periodic
  jobs (the apps' ``tasks.py``).
- ``inline``: at once, in the caller (tests).
- ``off``: not now; the sweep or the first download does the work (benchmarks of a request path alone).

A library queue such as django-tasks' database backend was weighed: it would add a second durable record
of work the domain tables already hold, and a separate worker process that ``make run`` would have to start.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction

from kiber.jobs import worker
from kiber.jobs.runner import run

BACKENDS = ("thread", "celery", "inline", "off")


def backend() -> str:
    return settings.KIBER_JOBS_BACKEND


def enqueue(name: str, *args: Any) -> None:
    """Run the job ``name(*args)`` the way the backend says."""
    current = backend()
    if current == "off":
        return
    if current == "inline":
        run(name, *args)
    elif current == "celery":
        from kiber.jobs.tasks import run_job

        run_job.delay(name, *args)
    else:
        worker.submit(name, args)


def enqueue_after_commit(name: str, *args: Any) -> None:
    """Queue the job once the current transaction commits (never, if it rolls back)."""
    transaction.on_commit(lambda: enqueue(name, *args))
