"""Every write of the auditor register (p. 125–129): one function per action, transactional, audited.

The register is the Committee's, not a subject's: its audit entries go to the platform chain.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiber import versioning
from kiber.audit.services import model_changes, record
from kiber.registry.models import User
from kiber.rules.registry import evaluate
from kiber.rules.review_intervals import add_months
from kiber.supervision import labels
from kiber.supervision.choices import REASONS_FOR_KIND, AuditorKind, AuditorStatus
from kiber.supervision.models import Auditor, AuditorCertificate, AuditorChange, RegisterReview
from kiber.web.files import check_client_name

MAX_CERTIFICATE_BYTES = 10 * 1024 * 1024
CERTIFICATE_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg")
# The Annex 14 fields a correction may change (p. 127); the status changes only by register/remove.
AUDITOR_FIELDS = (
    "kind",
    "name",
    "registration_number",
    "registration_country",
    "citizenships",
    "address",
    "email",
    "phone",
    "website",
    "contact_person",
    "board_members",
    "beneficial_owners",
    "shareholders",
    "technical_capability",
    "application_signed_on",
)
CHANGE_REPORT_MONTHS = 1  # p. 127


class ServiceError(Exception):
    """A rule of the regulation refused the action; ``errors`` maps field names to messages ("" = whole form)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(m for ms in errors.values() for m in ms))
        self.errors = errors


@dataclass(frozen=True)
class NewCertificate:
    kind: str
    other_name: str
    holder: str
    number: str
    valid_until: date | None
    upload: UploadedFile


# --------------------------------------------------------------------------------------- eligibility


def rule_input(auditor: Auditor, certificate_names: list[str]) -> dict[str, Any]:
    """The ``auditor-eligibility`` input for ``auditor``'s data and certificates (each with its copy)."""
    legal = auditor.kind == AuditorKind.LEGAL
    party: dict[str, Any] = {"kind": auditor.kind}
    if legal:
        party.update(
            registration_country=auditor.registration_country or None,
            board_members=[{"citizenships": p["citizenships"]} for p in auditor.board_members],
            beneficial_owners=[{"citizenships": p["citizenships"]} for p in auditor.beneficial_owners],
            shareholders=[
                {
                    "kind": s["kind"],
                    "registration_country": s.get("registration_country"),
                    "citizenships": s.get("citizenships", []),
                }
                for s in auditor.shareholders
            ],
        )
    else:
        party["citizenships"] = auditor.citizenships
    return {
        "auditor": party,
        "certificates": [{"name": name} for name in certificate_names],
        "technical_capability": bool(auditor.technical_capability.strip()),
    }


def check_eligibility(auditor: Auditor, certificate_names: list[str]) -> dict[str, Any]:
    """Run the rule and store its output on ``auditor`` (unsaved); refuse with field errors if p. 125 is not met."""
    if auditor.kind == AuditorKind.LEGAL and not auditor.registration_country:
        raise ServiceError({"registration_country": [_("Juridiskai personai norādiet reģistrācijas valsti.")]})
    if auditor.kind == AuditorKind.NATURAL and not auditor.citizenships:
        raise ServiceError({"citizenships": [_("Fiziskai personai norādiet pilsonību.")]})
    result = evaluate("auditor-eligibility", rule_input(auditor, certificate_names))
    if not result["eligible"]:
        errors: dict[str, list[str]] = {}
        for finding in result["findings"]:
            errors.setdefault(labels.finding_field(finding["field"]), []).append(labels.finding_message(finding))
        raise ServiceError(errors)
    auditor.eligible = True
    auditor.eligibility = result
    return result


# --------------------------------------------------------------------------------------- certificates


def _read_certificate(upload: UploadedFile) -> tuple[str, bytes]:
    name = PurePath(upload.name or "").name
    refused = check_client_name(name)
    if refused:
        raise ServiceError({"certificate_file": [refused]})
    if PurePath(name).suffix.lower() not in CERTIFICATE_SUFFIXES:
        raise ServiceError({"certificate_file": [_("Sertifikāta kopijai jābūt PDF, PNG vai JPG failam.")]})
    if not upload.size or upload.size > MAX_CERTIFICATE_BYTES:
        raise ServiceError({"certificate_file": [_("Fails ir tukšs vai lielāks par 10 MB.")]})
    content = upload.read()
    magic = {".pdf": b"%PDF-", ".png": b"\x89PNG", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff"}
    if not content.startswith(magic[PurePath(name).suffix.lower()]):
        raise ServiceError({"certificate_file": [_("Faila saturs neatbilst tā veidam.")]})
    return name, content


def _certificate_title(new: NewCertificate) -> str:
    return new.other_name.strip() if new.kind == "other" and new.other_name.strip() else new.kind


def _store_certificate(auditor: Auditor, new: NewCertificate, name: str, content: bytes) -> AuditorCertificate:
    certificate = AuditorCertificate(
        auditor=auditor,
        kind=new.kind,
        other_name=new.other_name.strip(),
        holder=new.holder.strip(),
        number=new.number.strip(),
        valid_until=new.valid_until,
        original_name=name[:255],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    certificate.file.save(name, ContentFile(content), save=False)  # GeneratedName: only the suffix is kept
    certificate.save()
    return certificate


@transaction.atomic
def add_certificate(actor: User, auditor: Auditor, new: NewCertificate) -> AuditorCertificate:
    name, content = _read_certificate(new.upload)
    certificate = _store_certificate(auditor, new, name, content)
    record(
        actor,
        "create",
        certificate,
        changes={"auditor": auditor.pk, "certificate": certificate.title, "sha256": certificate.sha256},
    )
    return certificate


# --------------------------------------------------------------------------------------- register


@transaction.atomic
def register_auditor(actor: User, data: dict[str, Any], certificate: NewCertificate, users: list[User]) -> Auditor:
    """Register an applicant (p. 125–126) if it meets p. 125; otherwise nothing is saved."""
    auditor = Auditor(**{k: data[k] for k in AUDITOR_FIELDS}, status=AuditorStatus.REGISTERED)
    name, content = _read_certificate(certificate.upload)
    check_eligibility(auditor, [_certificate_title(certificate)])
    auditor.registered_on = timezone.localdate()
    auditor.save()
    auditor.users.set(users)
    stored = _store_certificate(auditor, certificate, name, content)
    record(
        actor,
        "create",
        auditor,
        changes={
            "status": auditor.status,
            "basis": auditor.eligibility["basis"],
            "certificate": stored.title,
            "users": [u.username for u in users],
        },
    )
    return auditor


@transaction.atomic
def correct_auditor(actor: User, auditor: Auditor, data: dict[str, Any], users: list[User]) -> Auditor:
    """The Committee corrects the entry (p. 127) — only if p. 125 is still met; otherwise remove (p. 128.2)."""
    if auditor.status != AuditorStatus.REGISTERED:
        raise ServiceError({"": [_("Izslēgta auditora ziņas vairs nelabo.")]})
    before = {k: getattr(auditor, k) for k in AUDITOR_FIELDS}
    for key in AUDITOR_FIELDS:
        setattr(auditor, key, data[key])
    try:
        check_eligibility(auditor, [c.title for c in auditor.certificates.all()])
    except ServiceError as exc:
        exc.errors.setdefault("", []).insert(
            0,
            _(
                "Izmaiņas ietekmē auditora atbilstību 125. punktam, tāpēc ziņas nelabo (127. p.): ja tās ir patiesas, "
                "izslēdziet auditoru no saraksta (128.2.)."
            ),
        )
        raise
    versioning.save(auditor, versioning.expected(data))
    old_users = sorted(auditor.users.values_list("username", flat=True))
    auditor.users.set(users)
    changes = model_changes(before, {k: getattr(auditor, k) for k in AUDITOR_FIELDS})
    if old_users != sorted(u.username for u in users):
        changes["users"] = [old_users, sorted(u.username for u in users)]
    record(actor, "update", auditor, changes=changes)
    return auditor


@transaction.atomic
def remove_auditor(actor: User, auditor: Auditor, reason: str, note: str, version: int | None) -> Auditor:
    """Remove the auditor on one of the grounds of p. 128.1–128.6, with the Committee's justification."""
    if auditor.status == AuditorStatus.REMOVED:
        raise ServiceError({"": [_("Auditors jau ir izslēgts.")]})
    if reason not in REASONS_FOR_KIND[AuditorKind(auditor.kind)]:
        raise ServiceError({"reason": [_("Šis pamats neattiecas uz šāda veida auditoru (128. p.).")]})
    if not note.strip():
        raise ServiceError({"note": [_("Norādiet lēmuma pamatojumu.")]})
    auditor.status = AuditorStatus.REMOVED
    auditor.removal_reason = reason
    auditor.removed_on = timezone.localdate()
    auditor.decision_note = note.strip()
    versioning.save(auditor, version)
    record(
        actor,
        "remove",
        auditor,
        changes={"reason": reason, "basis": f"22-TA-3183 p.{reason}", "note": auditor.decision_note},
    )
    return auditor


# --------------------------------------------------------------------------------------- changes and review


def change_due(changed_on: date) -> date:
    """p. 127: a change is reported immediately, at the latest within a month (calendar month, clamped)."""
    return add_months(changed_on, CHANGE_REPORT_MONTHS)


@transaction.atomic
def report_change(actor: User, auditor: Auditor, changed_on: date, description: str) -> AuditorChange:
    """The auditor (or the Committee on its behalf) records a change in the application data (p. 127)."""
    today = timezone.localdate()
    if changed_on > today:
        raise ServiceError({"changed_on": [_("Izmaiņu datums nevar būt nākotnē.")]})
    if not description.strip():
        raise ServiceError({"description": [_("Aprakstiet izmaiņas.")]})
    change = AuditorChange.objects.create(
        auditor=auditor,
        changed_on=changed_on,
        reported_on=today,
        due_on=change_due(changed_on),
        description=description.strip(),
        reported_by=actor,
    )
    record(
        actor,
        "report_change",
        auditor,
        changes={
            "change": change.pk,
            "changed_on": changed_on,
            "due_on": change.due_on,
            "late": change.late,
            "basis": "22-TA-3183 p.127",
        },
    )
    return change


@transaction.atomic
def handle_change(actor: User, change: AuditorChange, note: str) -> AuditorChange:
    if change.handled_on is not None:
        raise ServiceError({"": [_("Šīs izmaiņas jau ir izskatītas.")]})
    change.handled_on = timezone.localdate()
    change.handled_by = actor
    change.handling_note = note.strip()
    change.save(update_fields=["handled_on", "handled_by", "handling_note"])
    record(actor, "handle_change", change.auditor, changes={"change": change.pk, "note": change.handling_note})
    return change


@transaction.atomic
def record_review(actor: User, note: str) -> RegisterReview:
    """The yearly review of the whole list (p. 129)."""
    review = RegisterReview.objects.create(
        reviewed_on=timezone.localdate(),
        reviewed_by=actor,
        note=note.strip(),
        registered_count=Auditor.objects.filter(status=AuditorStatus.REGISTERED).count(),
    )
    record(actor, "review", review, changes={"registered": review.registered_count, "basis": "22-TA-3183 p.129"})
    return review
