"""The embedded default's worker: one daemon thread per process, an in-memory queue and the periodic jobs."""

from __future__ import annotations

import logging
import queue
import threading
import time
from typing import Any

from django.db import close_old_connections

from kiber.jobs.runner import run

log = logging.getLogger(__name__)
# (job, seconds between runs); each also runs once shortly after start (both are idempotent). In production
# celery beat runs them (kiber.incidents.tasks, kiber.compliance.tasks).
PERIODIC: tuple[tuple[str, float], ...] = (
    ("kiber.incidents.jobs.sweep", 3600.0),
    ("kiber.compliance.jobs.refresh_campaigns", 24 * 3600.0),
)
FIRST_RUN_DELAY = 5.0
_queue: queue.Queue[tuple[str, tuple[Any, ...]]] = queue.Queue()
_thread: threading.Thread | None = None
_lock = threading.Lock()


def next_periodic(due: dict[str, float]) -> tuple[str, float]:
    """The periodic job due first and when (``due``: job -> monotonic time of its next run)."""
    name = min(due, key=lambda job: (due[job], job))
    return name, due[name]


def submit(name: str, args: tuple[Any, ...]) -> None:
    start()
    _queue.put((name, args))


def start() -> None:
    global _thread
    with _lock:
        if _thread is not None and _thread.is_alive():
            return
        _thread = threading.Thread(target=_loop, name="kiber-jobs-worker", daemon=True)
        _thread.start()


def _loop() -> None:
    intervals = dict(PERIODIC)
    due = {job: time.monotonic() + FIRST_RUN_DELAY for job in intervals}
    while True:
        periodic, at = next_periodic(due)
        try:
            name, args = _queue.get(timeout=max(0.0, at - time.monotonic()))
        except queue.Empty:
            name, args = periodic, ()
            due[periodic] = time.monotonic() + intervals[periodic]
        try:
            close_old_connections()
            run(name, *args)
        except Exception:  # a failed job is logged; its state stays in the database for the next sweep
            log.exception("job %s failed", name)
        finally:
            close_old_connections()
