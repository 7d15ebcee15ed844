"""The one edit flow of the supervision pages: validate the form, call the service, show its errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from kiber import versioning
from kiber.supervision.services import ServiceError


def show_errors(exc: ServiceError, *forms: Any) -> None:
    """Put a service's field errors on whichever form has the field (whole-form errors on the first)."""
    for field, texts in exc.errors.items():
        target = next((f for f in forms if field in f.fields), forms[0])
        for text in texts:
            target.add_error(field if field in target.fields else None, text)


def save_form(
    request: HttpRequest, form: Any, save: Callable[[], Any], done: str, target: Callable[[Any], str]
) -> HttpResponse | None:
    """On a valid POST call ``save``; a redirect to ``target(saved)`` on success, None to show the form again."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        saved = save()
    except versioning.StaleVersion:
        versioning.form_conflict(form, request)
    except ServiceError as exc:
        show_errors(exc, form)
    else:
        messages.success(request, done)
        return redirect(target(saved))
    return None
