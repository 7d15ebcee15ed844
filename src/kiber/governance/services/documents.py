"""The management documentation set (p. 23–30): approve, edit, new version, deliver to SAB (p. 28.1)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiber import versioning
from kiber.audit.services import record
from kiber.governance.choices import SAB_DELIVERED_PARTS, DocumentPart
from kiber.governance.models import ManagementDocument
from kiber.governance.services.common import (
    DOCUMENT_SUFFIXES,
    apply,
    check_upload,
    plain,
    require_edit,
    subject_tier,
)
from kiber.registry.choices import Role
from kiber.registry.models import Organisation, User
from kiber.rules.base import RuleInputError
from kiber.rules.registry import evaluate
from kiber.rules.review_intervals import add_months

P = "22-TA-3183 p."
FIELDS = (
    "part",
    "title",
    "edition",
    "approved_on",
    "approved_by",
    "copy_location",
    "planned_review_on",
    "content_points",
)
# Which output of the review-intervals rule gives a part's next review, and the input it needs.
_REVIEW = {
    DocumentPart.POLICY: ("policy_last_reviewed_on", "policy_review_due"),
    DocumentPart.PLAN: ("plan_last_reviewed_on", "plan_review_due"),
}


def has_class_a_system(organisation: Organisation) -> bool:
    return organisation.information_systems.filter(security_class="A").exists()


def review_due(organisation: Organisation, part: str, approved_on: date) -> tuple[date | None, list[str]]:
    """The next review due for a document approved on ``approved_on`` (review-intervals rule) and its basis.

    The policy: at least every three years (p. 29); the plan: every 1, 2 or 3 years by tier (p. 41).
    The catalogue follows changes (within a month, p. 32) and the incident log is kept continuously:
    no periodic review, so None.
    """
    if part not in _REVIEW:
        return None, [P + "32"] if part == DocumentPart.CATALOGUE else []
    given, due = _REVIEW[part]
    payload = {
        "subject_tier": subject_tier(organisation),
        "has_class_a_system": has_class_a_system(organisation),
        "as_of": timezone.localdate().isoformat(),
        given: approved_on.isoformat(),
    }
    try:
        output = evaluate("review-intervals", payload)
    except RuleInputError:
        raise ValidationError({"approved_on": [_("Apstiprināšanas datums nevar būt nākotnē.")]}) from None
    wanted = "29" if part == DocumentPart.POLICY else "41"
    basis = [b for b in output["basis"] if b.removeprefix(P).split(".")[0] == wanted]
    return date.fromisoformat(output[due]), basis


def sab_due(organisation: Organisation, part: str, approved_on: date) -> date | None:
    """p. 28.1: a CI owner delivers the policy and the plan to SAB within a month of approval or update."""
    if not organisation.is_ci_owner or part not in SAB_DELIVERED_PARTS:
        return None
    return add_months(approved_on, 1)


def _compute(document: ManagementDocument) -> None:
    organisation = document.organisation
    document.review_due, document.review_basis = review_due(organisation, document.part, document.approved_on)
    document.sab_due = sab_due(organisation, document.part, document.approved_on)
    if document.part != DocumentPart.POLICY:
        document.content_points = []
    planned = document.planned_review_on
    if planned is not None and planned < timezone.localdate():
        raise ValidationError({"planned_review_on": [_("Plānotā pārskatīšana nevar būt pagātnē.")]})
    if planned is not None and document.review_due is not None and planned > document.review_due:
        raise ValidationError(
            {"planned_review_on": [_("Vēlākais pārskatīšanas termiņš ir %(due)s.") % {"due": document.review_due}]}
        )


def _store_file(document: ManagementDocument, upload: UploadedFile | None) -> None:
    if upload is None:
        return
    check_upload(upload, "file", DOCUMENT_SUFFIXES)
    document.file_name = upload.name or ""
    document.file.save(upload.name or "file", upload, save=False)


@transaction.atomic
def create_document(
    actor: User,
    organisation: Organisation,
    data: dict[str, Any],
    upload: UploadedFile | None = None,
    previous: ManagementDocument | None = None,
) -> ManagementDocument:
    require_edit(actor, organisation)
    document = ManagementDocument(organisation=organisation, created_by=actor, previous=previous)
    changes = apply(document, data, FIELDS)
    if previous is not None:
        document.part = previous.part
        if upload is None and previous.file:
            raise ValidationError({"file": [_("Jaunai versijai pievienojiet tās failu.")]})
        if document.approved_on < previous.approved_on:
            raise ValidationError({"approved_on": [_("Jaunā versija nevar būt apstiprināta agrāk par iepriekšējo.")]})
    _compute(document)
    _store_file(document, upload)
    document.full_clean(exclude=["file", "previous", "organisation"])
    document.save()
    record(actor, "create", document, organisation_id=organisation.pk, changes=changes)
    return document


def new_version(
    actor: User, previous: ManagementDocument, data: dict[str, Any], upload: UploadedFile | None
) -> ManagementDocument:
    """A newly approved version replaces ``previous`` (p. 29: reviewed and updated; p. 28.1: update)."""
    if hasattr(previous, "next_version"):
        raise ValidationError({"__all__": [_("Šim dokumentam jau ir jaunāka versija.")]})
    return create_document(actor, previous.organisation, data, upload, previous=previous)


@transaction.atomic
def update_document(
    actor: User, document: ManagementDocument, data: dict[str, Any], upload: UploadedFile | None = None
) -> ManagementDocument:
    """Correct the record of a version (a new approval is ``new_version``); refused when stale."""
    require_edit(actor, document.organisation)
    if document.sab_delivered_at is not None and "approved_on" in data and data["approved_on"] != document.approved_on:
        raise ValidationError({"approved_on": [_("Dokuments jau iesniegts SAB; apstiprinājiet jaunu versiju.")]})
    data = {k: v for k, v in data.items() if k != "part"} if document.previous_id else data
    changes = apply(document, data, FIELDS)
    _compute(document)
    _store_file(document, upload)
    document.full_clean(exclude=["file", "previous", "organisation"])
    versioning.save(document, versioning.expected(data))
    if upload is not None:
        changes["file_name"] = [None, document.file_name]
    record(actor, "update", document, organisation_id=document.organisation_id, changes=changes)
    return document


@transaction.atomic
def deliver_to_sab(actor: User, document: ManagementDocument) -> ManagementDocument:
    """p. 28.1: the CI owner sends the approved policy or plan to SAB; the date shows whether on time."""
    require_edit(actor, document.organisation)
    if document.sab_due is None:
        raise ValidationError({"__all__": [_("Šo dokumentu SAB neiesniedz (28.1. p.).")]})
    if document.sab_delivered_at is not None:
        raise ValidationError({"__all__": [_("Dokuments jau iesniegts SAB.")]})
    if not document.file:
        raise ValidationError({"__all__": [_("Pirms iesniegšanas pievienojiet dokumenta failu.")]})
    document.sab_delivered_at = timezone.now()
    versioning.save(document, update_fields=["sab_delivered_at", "updated_at"])
    record(
        actor,
        "deliver_sab",
        document,
        organisation_id=document.organisation_id,
        changes={"sab_delivered_at": [None, plain(document.sab_delivered_at)], "sab_due": plain(document.sab_due)},
    )
    return document


@transaction.atomic
def sab_received(actor: User, document: ManagementDocument) -> None:
    """An SAB officer opened a delivered document: the first opening is its receipt."""
    if actor.role != Role.SAB_OFFICER:
        raise PermissionDenied
    updated = ManagementDocument.objects.filter(
        pk=document.pk, sab_delivered_at__isnull=False, sab_received_at__isnull=True
    ).update(sab_received_at=timezone.now())
    if updated:
        document.refresh_from_db()
        record(
            actor,
            "read",
            document,
            organisation_id=document.organisation_id,
            changes={"sab_received_at": plain(document.sab_received_at)},
        )


def sab_status(document: ManagementDocument, today: date | None = None) -> str | None:
    """p. 28.1 tracking: ``met``, ``late`` (delivered after the month), ``overdue``, ``open``; None if not due."""
    if document.sab_due is None:
        return None
    if document.sab_delivered_at is not None:
        return "met" if timezone.localdate(document.sab_delivered_at) <= document.sab_due else "late"
    return "overdue" if (today or timezone.localdate()) > document.sab_due else "open"
