"""What the operator sees of running processes: a request id in every log line, JSON logs, and metrics.

Each request gets an id (the caller's ``X-Request-ID`` when it is a plain token, else a new one), echoed
in the response and carried by every log record written while it runs, and into the Celery tasks it
enqueues, so a web request and the worker's job can be followed in the logs. Prometheus metrics are
kept per process; under gunicorn with ``PROMETHEUS_MULTIPROC_DIR`` they are summed over the workers.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse
from prometheus_client import Histogram

REQUEST_ID_HEADER = "X-Request-ID"
_ACCEPTED_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
TASK_HEADER = "kiber_request_id"
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

REQUESTS = Histogram(
    "kiber_http_request_duration_seconds",
    "Time to answer a request, by method, view and status code.",
    ["method", "view", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
SWEEP = Histogram(
    "kiber_sweep_duration_seconds",
    "Time one deadline sweep took.",
    buckets=(0.1, 0.5, 1, 5, 15, 60, 300, 900),
)


class RequestContextMiddleware:
    """First in the stack: names the request and measures it whole."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = request.headers.get(REQUEST_ID_HEADER, "")
        # Cleared on request_finished, not here: Django logs 4xx/5xx responses after the middleware returns.
        request_id.set(offered if _ACCEPTED_ID.match(offered) else uuid.uuid4().hex)
        started = time.perf_counter()
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id.get()
        # The view's name, not the path: one series per route, whatever the ids in the URL.
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match else "unresolved"
        REQUESTS.labels(request.method, view, str(response.status_code)).observe(time.perf_counter() - started)
        return response


def _forget_request_id(**_: Any) -> None:
    request_id.set("-")


request_finished.connect(_forget_request_id, dispatch_uid="kiber.observability.forget_request_id")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, and the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def attach_request_id(headers: dict[str, Any] | None = None, **_: Any) -> None:
    """Celery ``before_task_publish``: the task carries the id of the request that enqueued it."""
    if headers is not None and request_id.get() != "-":
        headers[TASK_HEADER] = request_id.get()


def adopt_request_id(task: Any = None, **_: Any) -> None:
    """Celery ``task_prerun``: the worker's log lines carry the enqueuing request's id (or a new one)."""
    offered = getattr(task.request, TASK_HEADER, None) if task is not None else None
    request_id.set(offered if isinstance(offered, str) and _ACCEPTED_ID.match(offered) else uuid.uuid4().hex)
