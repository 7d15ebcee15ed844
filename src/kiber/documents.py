"""PDF renderings of frozen submissions (status notifications, manager notices, self-assessments).

A submission is frozen when its transaction commits: the snapshot and its SHA-256 are the record.
The PDF is a rendering of that snapshot, which takes WeasyPrint seconds for a long self-assessment,
so it is rendered after the commit, outside the request (a job of ``kiber.jobs``), or on the first
download if that comes sooner. Once stored it is never rendered again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any, Protocol

from django.core.files.base import ContentFile
from django.db import models
from django.db.models.fields.files import FieldFile


def canonical_json(data: Any) -> str:
    """A snapshot's canonical JSON (sorted keys, no spaces, text as written): what its SHA-256 is taken of."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def digest(data: Any) -> str:
    """SHA-256 (hex) of the canonical JSON of ``data``."""
    return hashlib.sha256(canonical_json(data).encode()).hexdigest()


class Frozen(models.Model):
    """A submitted version: never changed nor deleted, except that its PDF is stored once (``ensure_pdf``)."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and set(kwargs.get("update_fields") or ()) != {"pdf"}:
            raise PermissionError(f"{type(self).__name__} is a submitted version and immutable; submit a new one")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError(f"{type(self).__name__} is a submitted version and is never deleted")


class FrozenDocument(Protocol):
    pk: int
    pdf: FieldFile

    def save(self, *, update_fields: list[str]) -> None: ...


def ensure_pdf(document: FrozenDocument, filename: str, render: Callable[[], bytes]) -> FieldFile:
    """The stored PDF of ``document``, rendering and storing it first if it is not there yet."""
    if not document.pdf:
        document.pdf.save(filename, ContentFile(render()), save=False)
        document.save(update_fields=["pdf"])
    return document.pdf

