"""The Ninja API at /api/v1 (docs at /api/docs): one router per app."""

from __future__ import annotations

import importlib

from django.db import InterfaceError, OperationalError
from ninja import NinjaAPI
from ninja.errors import Throttled

from kiber import versioning
from kiber.api import rules
from kiber.api.auth import AUTH
from kiber.api.nul import reject_nul
from kiber.web import errors

api = NinjaAPI(
    title="Kiber API",
    version="1",
    description="Latvijas nacionālā kiberdrošības platforma — Kiber. Rules engine, registry, ICT catalogue, "
    "self-assessments, incidents and action plans.",
    docs_url="/docs",
    urls_namespace="api",
)
# Before validation, for every operation: PostgreSQL cannot store U+0000, so it is bad input (422).
api.add_decorator(reject_nul, mode="view")
# A stale version (If-Match or a body ``version``) is 412 on every route.
versioning.install(api)
api.add_router("/v1/rules", rules.router)
# The database unreachable (restart, failover): JSON 503 with Retry-After, never an HTML 500.
for database_error in (OperationalError, InterfaceError):
    api.add_exception_handler(database_error, lambda request, exc: errors.unavailable(request))



def _throttled(request, exc: Throttled):
    """Ninja's 429 JSON, with the ``Retry-After`` its own throttles add (raised by the token check)."""
    response = api.create_response(request, {"detail": str(exc)}, status=429)
    if exc.wait:
        response["Retry-After"] = str(exc.wait)
    return response


api.add_exception_handler(Throttled, _throttled)

# Each domain app may expose ``router`` in its api.py; it is mounted at /api/v1/<app>/ with auth.
for app in ("registry", "assets", "compliance", "incidents", "plans"):
    try:
        module = importlib.import_module(f"kiber.{app}.api")
    except ModuleNotFoundError as exc:
        if exc.name != f"kiber.{app}.api":
            raise
        continue
    api.add_router(f"/v1/{app}", module.router, auth=AUTH)

urlpatterns = api.urls
