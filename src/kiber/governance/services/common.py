"""Helpers every governance service uses: field changes for the audit log, upload checks, the subject's tier."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils.translation import gettext as _

from kiber.assets.services import subject_tier
from kiber.registry.models import Organisation, User
from kiber.web.files import check_client_name

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
DOCUMENT_SUFFIXES = (".pdf", ".docx", ".odt", ".xlsx", ".ods")
# Signed forms and consents: a PDF or an e-signature container (Latvian eParaksts: .edoc, .asice).
SIGNED_SUFFIXES = (".pdf", ".edoc", ".asice")
_MAGIC = {
    ".pdf": b"%PDF",
    ".edoc": b"PK",
    ".asice": b"PK",
    ".docx": b"PK",
    ".odt": b"PK",
    ".xlsx": b"PK",
    ".ods": b"PK",
}

__all__ = ["apply", "check_upload", "plain", "require_edit", "snapshot", "subject_tier"]


def plain(value: Any) -> Any:
    """A value as the audit log's JSON stores it: dates as ISO text, records as their id."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {f: plain(getattr(obj, f, None)) for f in fields}


def apply(obj: Any, data: dict[str, Any], fields: tuple[str, ...]) -> dict[str, list[Any]]:
    """Set ``fields`` of ``obj`` from ``data``; the changes as {field: [old, new]} for the audit log."""
    before = snapshot(obj, fields)
    for field in fields:
        if field in data:
            setattr(obj, field, data[field])
    after = snapshot(obj, fields)
    return {k: [before[k], v] for k, v in after.items() if before[k] != v}


def require_edit(actor: User, organisation: Organisation) -> None:
    if not (actor.is_authenticated and actor.can_edit_subject and actor.organisation_id == organisation.pk):
        raise PermissionDenied


def check_upload(upload: UploadedFile, field: str, suffixes: tuple[str, ...]) -> None:
    """Refuse a file that is not of the allowed types (by name and first bytes), too large or badly named."""
    name = upload.name or ""
    problem = check_client_name(name)
    suffix = PurePosixPath(name).suffix.lower()
    if problem is not None:
        raise ValidationError({field: [_("Faila nosaukums nav derīgs.")]})
    if suffix not in suffixes:
        allowed = ", ".join(suffixes)
        raise ValidationError({field: [_("Atļautie failu veidi: %(types)s.") % {"types": allowed}]})
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError({field: [_("Fails ir lielāks par 20 MB.")]})
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(_MAGIC[suffix]):
        raise ValidationError({field: [_("Faila saturs neatbilst tā veidam (%(suffix)s).") % {"suffix": suffix}]})
