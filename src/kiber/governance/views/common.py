"""What every governance page shares: whose records, the edit right, and one save-a-form routine."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from kiber import versioning
from kiber.governance import selectors
from kiber.registry.models import Organisation

FORM_TEMPLATE = "governance/form.html"


def own_organisation(request: HttpRequest) -> Organisation:
    user = request.user
    if not user.is_subject or user.organisation_id is None:
        raise Http404
    return selectors.organisation(user, user.organisation_id)


def require_edit(request: HttpRequest, organisation_id: int) -> None:
    if not selectors.can_edit(request.user, organisation_id):
        raise PermissionDenied


def list_organisation(request: HttpRequest) -> Organisation | None:
    """The subject a list is limited to: a subject user's own; a supervisor's ``?organisation=`` choice."""
    if request.user.is_subject:
        return own_organisation(request)
    value = request.GET.get("organisation", "")
    if value.isdigit():
        return selectors.organisation(request.user, int(value))
    return None


def apply_errors(form: Any, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for field, errors in exc.message_dict.items():
        target = field.rsplit(".", 1)[-1]
        for error in errors:
            form.add_error(target if target in form.fields else None, error)


def save_form(
    request: HttpRequest,
    form: Any,
    save: Callable[[dict[str, Any]], Any],
    success: Callable[[Any], HttpResponse],
    context: dict[str, Any],
    message: str,
    template: str = FORM_TEMPLATE,
) -> HttpResponse:
    """Validate ``form`` on POST and call ``save`` (a service); its errors and a stale version go back on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except versioning.StaleVersion:
            versioning.form_conflict(form, request)
        else:
            messages.success(request, message)
            return success(saved)
    return render(request, template, {"form": form, **context})


def back_to(name: str) -> Callable[[Any], HttpResponse]:
    return lambda obj: redirect(name, pk=obj.pk)
