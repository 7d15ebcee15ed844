"""Work after a submission (deliveries, PDF) and the hourly deadline sweep, outside the request.

``KIBER_INCIDENTS_BACKGROUND`` chooses how:

- ``thread`` (embedded default): one daemon worker thread per process, fed by an in-memory queue;
  it also runs the periodic jobs of ``PERIODIC``: the deadline sweep every hour and the compliance
  self-assessment campaign refresh every day (each once shortly after start: both are idempotent).
  It is started lazily on the first job, and from ``IncidentsConfig.ready()`` under ``runserver`` so
  reminders go out without any request.
  A job lost with its process (e.g. SIGKILL) is not lost work: deliveries stay ``pending`` in the
  database and the next sweep picks them up.
- ``celery`` (production): jobs are Celery tasks; celery beat runs the same periodic jobs (incidents
  and compliance ``tasks.py``).
- ``inline``: run the job at once in the caller (tests).
- ``off``: do nothing now; the next sweep does it (benchmarks of the intake path alone).
"""

from __future__ import annotations

import importlib
import logging
import os
import queue
import threading
import time
from typing import Any

from django.conf import settings
from django.db import close_old_connections

log = logging.getLogger(__name__)
SWEEP_INTERVAL = 3600.0
# (job, seconds between runs); a dotted job name is a function of another app.
PERIODIC: tuple[tuple[str, float], ...] = (
    ("sweep", SWEEP_INTERVAL),
    ("kiber.compliance.jobs.refresh_campaigns", 24 * 3600.0),
)
_queue: queue.Queue[tuple[str, tuple[Any, ...]]] = queue.Queue()
_worker: threading.Thread | None = None
_lock = threading.Lock()


def mode() -> str:
    return getattr(settings, "KIBER_INCIDENTS_BACKGROUND", None) or os.environ.get(
        "KIBER_INCIDENTS_BACKGROUND", "thread"
    )


def run_job(name: str, *args: Any) -> None:
    if "." in name:
        module, _, function = name.rpartition(".")
        getattr(importlib.import_module(module), function)(*args)
        return
    from kiber.incidents import jobs

    getattr(jobs, name)(*args)


def next_periodic(due: dict[str, float]) -> tuple[str, float]:
    """The periodic job due first and when (``due``: job -> monotonic time of its next run)."""
    name = min(due, key=lambda job: (due[job], job))
    return name, due[name]


def enqueue(name: str, *args: Any) -> None:
    current = mode()
    if current == "off":
        return
    if current == "inline":
        run_job(name, *args)
    elif current == "celery":
        from kiber.incidents import tasks

        tasks.run.delay(name, *args)
    else:
        start_worker()
        _queue.put((name, args))


def start_worker() -> None:
    global _worker
    with _lock:
        if _worker is not None and _worker.is_alive():
            return
        _worker = threading.Thread(target=_loop, name="kiber-incidents-worker", daemon=True)
        _worker.start()


def _loop() -> None:
    intervals = dict(PERIODIC)
    due = {job: time.monotonic() + 5.0 for job in intervals}
    while True:
        periodic, at = next_periodic(due)
        timeout = max(0.0, at - time.monotonic())
        try:
            name, args = _queue.get(timeout=timeout)
        except queue.Empty:
            name, args = periodic, ()
            due[periodic] = time.monotonic() + intervals[periodic]
        try:
            close_old_connections()
            run_job(name, *args)
        except Exception:  # a failed job is logged; its state stays in the database for the next sweep
            log.exception("incidents background job %s failed", name)
        finally:
            close_old_connections()
