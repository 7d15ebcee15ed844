"""Optimistic concurrency: every editable record carries a version and refuses a stale save.

One mechanism for every app:

- models inherit :class:`Versioned` (a ``version`` counter, 1 on creation);
- services save through :func:`save`, a compare-and-set: ``UPDATE ... SET version = v + 1 WHERE pk = ..
  AND version = v``; zero rows means someone else saved first, and :class:`StaleVersion` is raised
  with nothing changed (the service's transaction rolls back);
- a record the first edit creates (an answer, a progress report) is saved with :func:`save_or_create`,
  where version :data:`NEW` (0) means "the editor saw none"; :func:`delete` compares before deleting;
- forms mix in :class:`VersionedForm` (a hidden ``version`` field); on :class:`StaleVersion` the view
  calls :func:`form_conflict`, which shows a clear error with a link to reload the record (or, for a
  small action form that redirects back, :func:`message_conflict`);
- the API sends the version in the body and as ``ETag`` (:func:`set_etag`); PATCH/PUT take the version the
  client read from ``If-Match`` or a ``version`` field (:func:`expected_version`); a stale one is HTTP 412
  in the API's usual error shape (:func:`api_stale`).

The version the editor saw travels in the service's ``data`` as ``data["version"]``. A save without it
(an API client that sends no ``If-Match``, a script) is allowed: it is checked against the version the
service read, so no other save can slip in between the read and the write, but it overwrites
whatever it names. The web UI always sends the version.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import messages
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

_ETAG = re.compile(r'^\s*(?:W/)?"?(\d{1,10})"?\s*$')


class Versioned(models.Model):
    """Abstract: a ``version`` counter that :func:`save` increases by one on every change."""

    version = models.PositiveIntegerField(_("Versija"), default=1, editable=False)

    class Meta:
        abstract = True


class StaleVersion(Exception):
    """The record changed since the editor read it (or the given version is not a version at all)."""

    def __init__(self, obj: models.Model, expected: int | None) -> None:
        self.obj = obj
        self.expected = expected
        self.current: int | None = type(obj)._base_manager.filter(pk=obj.pk).values_list("version", flat=True).first()
        super().__init__(f"{type(obj).__name__} {obj.pk}: expected version {expected}, current {self.current}")


class PreconditionError(ValueError):
    """An ``If-Match`` header that names no version."""


def expected(data: dict[str, Any]) -> int | None:
    """The version the editor saw, from a service's ``data`` (None: not given)."""
    value = data.get("version")
    return None if value in (None, "") else int(value)


def save(obj: Any, version: int | None = None, **save_kwargs: Any) -> None:
    """Save ``obj`` if its stored version is still ``version`` (default: the version ``obj`` was read at).

    Claims the row with a conditional UPDATE first (on PostgreSQL it also locks the row until commit, so
    a concurrent claim re-reads the new version and fails), then saves normally (``auto_now`` fields,
    ``save()`` overrides) with the version increased. Raises :class:`StaleVersion`; nothing is written then.
    """
    seen = obj.version if version is None else version
    with transaction.atomic():
        claimed = type(obj)._base_manager.filter(pk=obj.pk, version=seen).update(version=seen + 1)
        if not claimed:
            raise StaleVersion(obj, seen)
        obj.version = seen + 1
        if save_kwargs.get("update_fields") is not None:
            save_kwargs["update_fields"] = {*save_kwargs["update_fields"], "version"}
        obj.save(**save_kwargs)


NEW = 0
"""The version an editor saw when there was no record yet (the edit of an answer that creates it)."""


def delete(obj: Any, version: int | None = None) -> None:
    """Delete ``obj`` if its stored version is still ``version`` (default: the one read); else :class:`StaleVersion`."""
    seen = obj.version if version is None else version
    deleted, _per_model = type(obj)._base_manager.filter(pk=obj.pk, version=seen).delete()
    if not deleted:
        raise StaleVersion(obj, seen)


def save_or_create(obj: Any, version: int | None = None, **save_kwargs: Any) -> None:
    """:func:`save` for a record that the first edit creates (a compliance answer, a progress report).

    ``version`` :data:`NEW` says the editor saw no record: if one was created meanwhile, that is stale too.
    """
    if obj.pk is None:
        if version not in (None, NEW):
            raise StaleVersion(obj, version)
        obj.version = 1
        obj.save(**save_kwargs)
        return
    if version == NEW:
        raise StaleVersion(obj, NEW)
    save(obj, version, **save_kwargs)


# --- forms --------------------------------------------------------------------------------------------


class VersionedForm(forms.Form):
    """Mixin for the edit form of a :class:`Versioned` record: the version travels in a hidden field.

    The initial value is the bound instance's version (model forms) or ``initial["version"]``.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=NEW, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk is not None:
            self.fields["version"].initial = instance.version


STALE_TEXT = _(
    "Kāds cits jau ir mainījis šo ierakstu, kamēr jūs to labojāt; jūsu izmaiņas nav saglabātas. "
    "Atveriet jaunāko versiju un ievadiet izmaiņas vēlreiz."
)


def form_conflict(form: forms.BaseForm, request: HttpRequest, url: str | None = None) -> None:
    """Show the stale-save error on ``form`` with a link that reloads the record's page (text: web's catalogue).

    ``url``: the page to reload when the form posts elsewhere (default: the requested page).
    """
    html = render_to_string("web/stale_version.html", {"url": url or request.get_full_path()})
    form.add_error(None, mark_safe(html.strip()))  # noqa: S308 — the template escapes the URL


def message_conflict(request: HttpRequest) -> None:
    """The stale-save error as a page message, for actions that post a small form and redirect back."""
    messages.error(request, STALE_TEXT)


# --- API ----------------------------------------------------------------------------------------------


def etag(obj: Any) -> str:
    return f'"{obj.version}"'


def set_etag(response: HttpResponse, obj: Any) -> None:
    response["ETag"] = etag(obj)


def expected_version(request: HttpRequest, body_version: int | None = None) -> int | None:
    """The version an API client read: ``If-Match`` (``"3"``, ``W/"3"`` or ``*``) wins over a body ``version``.

    Raises :class:`PreconditionError` for an ``If-Match`` that is no version of ours (answered 412).
    """
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return body_version
    match = _ETAG.match(header)
    if not match:
        raise PreconditionError(header)
    return int(match.group(1))


def with_version(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` (an API payload) with ``version`` set from ``If-Match`` or the body, for the service."""
    return {**data, "version": expected_version(request, data.get("version"))}


def api_stale(api: Any, request: HttpRequest, exc: StaleVersion) -> HttpResponse:
    """HTTP 412 in the API's error shape, with the current version (body and ``ETag``) to re-read."""
    response: HttpResponse = api.create_response(
        request,
        {"detail": "the record was changed by someone else; read it again (current version in ETag)",
         "version": exc.current},
        status=412,
    )
    if exc.current is not None:
        response["ETag"] = f'"{exc.current}"'
    return response


def api_bad_precondition(api: Any, request: HttpRequest, exc: PreconditionError) -> HttpResponse:
    return api.create_response(request, {"detail": f"If-Match is not a version of this record: {exc}"}, status=412)


def install(api: Any) -> None:
    """Register the 412 answers on a NinjaAPI."""
    api.add_exception_handler(StaleVersion, lambda request, exc: api_stale(api, request, exc))
    api.add_exception_handler(PreconditionError, lambda request, exc: api_bad_precondition(api, request, exc))
