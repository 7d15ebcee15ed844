"""Probes for the operator (issue 10, finding 9): ``/healthz`` (liveness) and ``/readyz`` (readiness).

``/healthz`` answers as long as the process serves requests; it touches nothing. ``/readyz`` checks what
a request needs: the database answers, every migration is applied, the media directory is writable (or the
object store's bucket answers) and,
when jobs go to Celery, the broker answers. Each check reports ``ok`` or ``fail`` (with the error's class
only: the probe is anonymous), and the answer is 200 only when none failed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

BROKER_TIMEOUT_SECONDS = 2


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _migrations() -> None:
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise RuntimeError("unapplied migrations")


def _media() -> None:
    check_reachable = getattr(default_storage, "check_reachable", None)
    if check_reachable is not None:  # the object store
        check_reachable()
        return
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(dir=root):
        pass


def _broker() -> None:
    from kiber.celery import app

    with app.connection_for_write(settings.CELERY_BROKER_URL, connect_timeout=BROKER_TIMEOUT_SECONDS) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT_SECONDS)


def uses_celery() -> bool:
    from kiber.jobs import backend

    return backend() == "celery"


def checks() -> dict[str, Callable[[], None]]:
    found: dict[str, Callable[[], None]] = {"database": _database, "migrations": _migrations, "media": _media}
    if uses_celery():
        found["broker"] = _broker
    return found


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    results: dict[str, dict[str, str]] = {}
    for name, check in checks().items():
        if name == "migrations" and results["database"]["status"] != "ok":
            results[name] = {"status": "fail", "error": "database unavailable"}
            continue
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - any failure makes the instance not ready
            results[name] = {"status": "fail", "error": type(exc).__name__}
        else:
            results[name] = {"status": "ok"}
    ready = all(r["status"] == "ok" for r in results.values())
    return JsonResponse({"status": "ok" if ready else "fail", "checks": results}, status=200 if ready else 503)
