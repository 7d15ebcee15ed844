"""Error pages (issue 10, findings 2 and 9): styled 403, 404, 429, 500 and 503 in Latvian and English.

Django renders 403.html and 404.html itself. The 500 handler renders without context processors (they
may be what failed) and answers 503 instead when the cause is an unreachable database: a page gets the
styled page, the API its JSON error with ``Retry-After``. The handler sees errors raised anywhere,
in a view or in a middleware (a session lookup is usually the first query to fail), which a
``process_exception`` middleware would not.
"""

from __future__ import annotations

import sys
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import loader

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
UNAVAILABLE_MESSAGE = "the database is unavailable; retry later"


def _plain(request: HttpRequest, template: str, status: int) -> HttpResponse:
    """``template`` rendered with no context processor (each may need the database that just failed)."""
    context = {"request": request, "csrf_token": get_token(request)}
    return HttpResponse(loader.get_template(template).render(context), status=status)


def unavailable(request: HttpRequest) -> HttpResponse:
    """503 with ``Retry-After``: JSON in the API's error shape under /api/, the styled page elsewhere."""
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": UNAVAILABLE_MESSAGE}, status=503)
    else:
        response = _plain(request, "503.html", 503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: called while the exception is being handled, so it can tell an outage from a bug."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return unavailable(request)
    return _plain(request, "500.html", 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403.html", status=403)


def lockout(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """django-axes' lockout answer: the styled 429 page saying when to try again."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else None
    response = render(request, "429.html", {"minutes": minutes}, status=429)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
