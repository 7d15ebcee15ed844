"""gunicorn settings of ``kiber serve``: sized from the machine, overridable from the environment."""

import multiprocessing
import os

bind = os.environ.get("KIBER_BIND", "127.0.0.1:8000")
# gunicorn's rule of thumb for synchronous workers: two per core plus one.
workers = int(os.environ.get("KIBER_WEB_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
timeout = int(os.environ.get("KIBER_WEB_TIMEOUT", "60"))
graceful_timeout = 30
# Recycle workers now and then so that a slow leak cannot grow without bound.
max_requests = 5000
max_requests_jitter = 500
accesslog = "-"
errorlog = "-"


def on_starting(server: object) -> None:
    """Metrics of a previous run must not be summed into this one's."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        os.makedirs(directory, exist_ok=True)
        for name in os.listdir(directory):
            os.remove(os.path.join(directory, name))


def child_exit(server: object, worker: object) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined]
