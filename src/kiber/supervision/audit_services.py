"""Every write of compliance audits (p. 130–131) and their findings: transactional, audited, versioned."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import PurePath
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from kiber import versioning
from kiber.assets.models import InformationSystem
from kiber.audit.services import model_changes, record
from kiber.registry.models import Organisation, User
from kiber.rules.review_intervals import add_years
from kiber.supervision.choices import GUARANTEES, ActionStatus, AuditorStatus, AuditStatus
from kiber.supervision.models import Audit, AuditFinding, Auditor
from kiber.supervision.services import ServiceError
from kiber.web.files import check_client_name

P = "22-TA-3183 p."
INDEPENDENCE_YEARS = 3  # p. 130.3
AUDIT_FIELDS = (
    "auditor",
    "scope",
    "contract_signed_on",
    "guarantee_130_1",
    "guarantee_130_2",
    "guarantee_130_3",
    "guarantee_130_4",
    "auditor_last_involved_on",
    "sab_opinion_on",
    "sab_opinion_reference",
    "status",
    "starts_on",
    "completed_on",
)
FINDING_FIELDS = ("title", "severity", "requirement", "action", "owner", "due_on", "status", "done_on", "note")
REPORT_TYPES = {".pdf": b"%PDF-", ".docx": b"PK\x03\x04", ".odt": b"PK\x03\x04"}
MAX_REPORT_BYTES = 20 * 1024 * 1024


def involved_within(last_involved_on: date | None, on: date, years: int = INDEPENDENCE_YEARS) -> bool:
    """Did the person take part in the system's development, maintenance or testing in the ``years`` before ``on``?"""
    return last_involved_on is not None and add_years(last_involved_on, years) > on


def audit_checks(organisation: Organisation, data: dict[str, Any]) -> list[dict[str, Any]]:
    """The p. 125, 130 and 131 checks of an audit; any failure is a field error and nothing is saved."""
    errors: dict[str, list[str]] = {}
    checks: list[dict[str, Any]] = []
    auditor: Auditor = data["auditor"]
    signed: date = data["contract_signed_on"]

    if auditor.status != AuditorStatus.REGISTERED:
        errors["auditor"] = [_("Auditors nav kiberdrošības auditoru sarakstā (125. p.).")]
    checks.append({"check": "auditor_registered", "basis": P + "125", "ok": "auditor" not in errors})

    for field, point, label in GUARANTEES:
        if not data.get(field):
            errors.setdefault(field, []).append(
                _("Līgumā jāparedz: %(what)s (%(point)s. p.).") % {"what": label, "point": point}
            )
        checks.append({"check": field, "basis": P + point, "ok": bool(data.get(field))})

    last = data.get("auditor_last_involved_on")
    if involved_within(last, signed):
        errors.setdefault("auditor_last_involved_on", []).append(
            _(
                "Auditors auditējamo sistēmu izstrādē, uzturēšanā vai testēšanā piedalījies mazāk nekā trīs gadus "
                "pirms līguma (%(last)s), tāpēc nav neatkarīgs (130.3. p.)."
            )
            % {"last": last.strftime("%d.%m.%Y")}
        )
    checks.append({"check": "independence_3_years", "basis": P + "130.3", "ok": not involved_within(last, signed)})

    if organisation.is_ci_owner:
        opinion = data.get("sab_opinion_on")
        if opinion is None:
            errors.setdefault("sab_opinion_on", []).append(
                _("IKT kritiskās infrastruktūras īpašnieks audita līgumu slēdz tikai pēc SAB atzinuma (131., 92. p.).")
            )
        elif opinion > signed:
            errors.setdefault("sab_opinion_on", []).append(
                _("SAB atzinums saņemts pēc līguma noslēgšanas; tam jābūt pirms līguma (131. p.).")
            )
        checks.append(
            {"check": "sab_opinion_before_contract", "basis": P + "131", "ok": "sab_opinion_on" not in errors}
        )
    if data.get("status") == AuditStatus.COMPLETED and not data.get("completed_on"):
        errors.setdefault("completed_on", []).append(_("Norādiet, kad audits pabeigts."))
    if errors:
        raise ServiceError(errors)
    return checks


def _systems(organisation: Organisation, systems: list[InformationSystem]) -> list[InformationSystem]:
    if any(s.organisation_id != organisation.pk for s in systems):
        raise ServiceError({"systems": [_("Sistēma nepieder subjektam.")]})
    return systems


@transaction.atomic
def create_audit(
    actor: User, organisation: Organisation, data: dict[str, Any], systems: list[InformationSystem]
) -> Audit:
    checks = audit_checks(organisation, data)
    audit = Audit(organisation=organisation, created_by=actor, checks=checks, **{k: data.get(k) for k in AUDIT_FIELDS})
    audit.sab_opinion_reference = audit.sab_opinion_reference or ""
    audit.save()
    audit.systems.set(_systems(organisation, systems))
    record(
        actor,
        "create",
        audit,
        organisation_id=organisation.pk,
        changes={
            "auditor": audit.auditor.name,
            "systems": [s.name for s in systems],
            "basis": [c["basis"] for c in checks],
        },
    )
    return audit


@transaction.atomic
def update_audit(actor: User, audit: Audit, data: dict[str, Any], systems: list[InformationSystem]) -> Audit:
    checks = audit_checks(audit.organisation, data)
    before = {k: getattr(audit, k) for k in AUDIT_FIELDS}
    for key in AUDIT_FIELDS:
        setattr(audit, key, data.get(key))
    audit.sab_opinion_reference = audit.sab_opinion_reference or ""
    audit.checks = checks
    versioning.save(audit, versioning.expected(data))
    audit.systems.set(_systems(audit.organisation, systems))
    after = {k: getattr(audit, k) for k in AUDIT_FIELDS}
    changes = model_changes({k: str(v) for k, v in before.items()}, {k: str(v) for k, v in after.items()})
    record(actor, "update", audit, organisation_id=audit.organisation_id, changes=changes)
    return audit


@transaction.atomic
def attach_report(actor: User, audit: Audit, upload: UploadedFile) -> Audit:
    name = PurePath(upload.name or "").name
    refused = check_client_name(name)
    suffix = PurePath(name).suffix.lower()
    if refused or suffix not in REPORT_TYPES:
        raise ServiceError({"report": [refused or _("Audita ziņojumam jābūt PDF, DOCX vai ODT failam.")]})
    if not upload.size or upload.size > MAX_REPORT_BYTES:
        raise ServiceError({"report": [_("Fails ir tukšs vai lielāks par 20 MB.")]})
    content = upload.read()
    if not content.startswith(REPORT_TYPES[suffix]):
        raise ServiceError({"report": [_("Faila saturs neatbilst tā veidam.")]})
    audit.report.save(name, ContentFile(content), save=False)
    audit.report_name = name[:255]
    audit.report_sha256 = hashlib.sha256(content).hexdigest()
    versioning.save(audit, update_fields=["report", "report_name", "report_sha256", "updated_at"])
    record(
        actor,
        "attach",
        audit,
        organisation_id=audit.organisation_id,
        changes={"report": audit.report_name, "sha256": audit.report_sha256},
    )
    return audit


def _finding_errors(data: dict[str, Any]) -> None:
    if data.get("status") == ActionStatus.DONE and not data.get("done_on"):
        raise ServiceError({"done_on": [_("Norādiet, kad pasākums izpildīts.")]})


@transaction.atomic
def add_finding(actor: User, audit: Audit, data: dict[str, Any]) -> AuditFinding:
    _finding_errors(data)
    finding = AuditFinding.objects.create(audit=audit, **{k: data.get(k) for k in FINDING_FIELDS})
    record(
        actor,
        "create",
        finding,
        organisation_id=audit.organisation_id,
        changes={"audit": audit.pk, "title": finding.title, "owner": finding.owner, "due_on": finding.due_on},
    )
    return finding


@transaction.atomic
def update_finding(actor: User, finding: AuditFinding, data: dict[str, Any]) -> AuditFinding:
    _finding_errors(data)
    before = {k: getattr(finding, k) for k in FINDING_FIELDS}
    for key in FINDING_FIELDS:
        setattr(finding, key, data.get(key))
    versioning.save(finding, versioning.expected(data))
    record(
        actor,
        "update",
        finding,
        organisation_id=finding.audit.organisation_id,
        changes=model_changes(before, {k: getattr(finding, k) for k in FINDING_FIELDS}),
    )
    return finding
