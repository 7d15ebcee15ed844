"""The only writers of compliance data: one function per business action, atomic and audited.

Bad input raises ``django.core.exceptions.ValidationError`` with a dict of field path -> messages;
nothing is saved then.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model, Q
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from kiber import documents, versioning
from kiber.assets.models import InformationSystem
from kiber.audit.services import record
from kiber.compliance import rollups
from kiber.compliance.applicability import ApplicableItem, applicable_items, describe, item_key, subject_tiers
from kiber.compliance.models import (
    Answer,
    AnswerStatus,
    Assessment,
    AssessmentStatus,
    AssessmentVersion,
    Decision,
    Delivery,
    Evidence,
    FrequencyOverride,
    Recipient,
    Requirement,
    RequirementScore,
    Review,
    ReviewComment,
    Schedule,
    SectionScore,
)
from kiber.compliance.scoring import METHOD, ScoredAnswer, Scores, score
from kiber.documents import ensure_pdf
from kiber.jobs import enqueue_after_commit
from kiber.registry.choices import Role
from kiber.registry.models import Organisation, User, duties_ended_filter
from kiber.rules.registry import evaluate

log = logging.getLogger(__name__)
SNAPSHOT_SCHEMA = "kiber.compliance.self-assessment/1"
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
# Allowed evidence files: extension -> (content type, leading bytes; None = plain text).
EVIDENCE_TYPES: dict[str, tuple[str, bytes | None]] = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
    ".odt": ("application/vnd.oasis.opendocument.text", b"PK\x03\x04"),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", b"PK\x03\x04"),
    ".txt": ("text/plain", None),
    ".csv": ("text/csv", None),
    ".log": ("text/plain", None),
}
ANSWER_FIELDS = ("status", "comment", "justification", "gap_owner", "target_date")


# --------------------------------------------------------------------------- schedule (p. 151–153)


def status_since(organisation: Organisation) -> date:
    """When the subject's status arose: its first status notification, else its registration in Kiber."""
    submissions = getattr(organisation, "submissions", None)
    if submissions is not None and hasattr(submissions, "filter"):
        first = (
            submissions.filter(kind="status").order_by("submitted_at").values_list("submitted_at", flat=True).first()
        )
        if first is not None:
            return timezone.localdate(first)
    return timezone.localdate(organisation.created_at)


def last_submitted_on(organisation: Organisation) -> date | None:
    """The day the latest year's report was first submitted (a resubmission after review does not count)."""
    version = (
        AssessmentVersion.objects.filter(organisation=organisation, number=1)
        .order_by("-assessment__year", "-submitted_at")
        .values_list("submitted_at", flat=True)
        .first()
    )
    return timezone.localdate(version) if version else None


def due_input(organisation: Organisation) -> dict[str, Any]:
    has_a = InformationSystem.objects.filter(organisation=organisation, security_class="A").exists()
    last = last_submitted_on(organisation)
    override = FrequencyOverride.objects.filter(organisation=organisation).values_list("years", flat=True).first()
    return {
        "is_ci_owner": organisation.is_ci_owner,
        "has_class_a_system": has_a,
        "status_since": status_since(organisation).isoformat(),
        "last_submitted_on": last.isoformat() if last else None,
        "frequency_years_override": override,  # NKC's decision, p. 151.2
    }


MAX_FREQUENCY_YEARS = 10


@transaction.atomic
def set_frequency(actor: User, organisation: Organisation, data: dict[str, Any]) -> FrequencyOverride | None:
    """NKC sets (``years``) or clears (``years`` None) another self-assessment frequency (p. 151.2).

    With a justification; audited; the schedule and the open never-submitted campaign follow at once. An
    editor's stale ``version`` is refused (``kiber.versioning``).
    """
    if actor.role != Role.NKC_SUPERVISOR:
        raise PermissionError("only NKC sets another self-assessment frequency (p. 151.2)")
    years, reason = data.get("years"), (data.get("reason") or "").strip()
    errors: dict[str, list[str]] = {}
    if years is not None and not (isinstance(years, int) and 1 <= years <= MAX_FREQUENCY_YEARS):
        errors["years"] = [_("Biežums ir no 1 līdz %(n)d gadiem.") % {"n": MAX_FREQUENCY_YEARS}]
    if not reason:
        errors["reason"] = [_("Norādiet pamatojumu.")]
    if errors:
        raise ValidationError(errors)
    current = FrequencyOverride.objects.select_for_update().filter(organisation=organisation).first()
    before = current.years if current else None
    if years is None:
        if current is not None:
            current.delete()
        current = None
    elif current is None:
        current = FrequencyOverride.objects.create(
            organisation=organisation, years=years, reason=reason, decided_by=actor, decided_at=timezone.now()
        )
    else:
        current.years, current.reason, current.decided_by, current.decided_at = years, reason, actor, timezone.now()
        versioning.save(current, versioning.expected(data))
    record(
        actor,
        "set_frequency",
        organisation,
        organisation_id=organisation.pk,
        changes={"frequency_years_override": [before, years], "reason": reason, "basis": ["22-TA-3183 p.151.2"]},
    )
    sync_campaigns(actor, organisation, create=False)
    return current


def refresh_schedule(organisation: Organisation) -> Schedule:
    """Re-compute the next due date with the ``self-assessment-due`` rule and store it with its basis."""
    payload = due_input(organisation)
    result = evaluate("self-assessment-due", payload)
    schedule, _created = Schedule.objects.update_or_create(
        organisation=organisation,
        defaults={
            "frequency_years": result["frequency_years"],
            "next_due": date.fromisoformat(result["next_due"]),
            "basis": result["basis"],
            "status_since": date.fromisoformat(payload["status_since"]),
            "last_submitted_on": date.fromisoformat(payload["last_submitted_on"])
            if payload["last_submitted_on"]
            else None,
        },
    )
    return schedule


# --------------------------------------------------------------------------- campaign


@transaction.atomic
def start_assessment(actor: User | None, organisation: Organisation) -> Assessment:
    """Open the self-assessment for the subject's next due year (idempotent for that year)."""
    schedule = refresh_schedule(organisation)
    year = schedule.next_due.year
    assessment, created = Assessment.objects.get_or_create(
        organisation=organisation,
        year=year,
        defaults={
            "due_date": schedule.next_due,
            "due_basis": schedule.basis,
            "frequency_years": schedule.frequency_years,
            "created_by": actor if actor is not None and actor.is_authenticated else None,
        },
    )
    if created:
        record(
            actor,
            "create",
            assessment,
            organisation_id=organisation.pk,
            changes={"year": year, "due_date": schedule.next_due, "basis": schedule.basis},
        )
    return assessment


# --------------------------------------------------------------------------- campaigns follow the subject

# A campaign the subject still works on; one awaiting review is neither open nor finished.
OPEN_STATUSES = (AssessmentStatus.DRAFT, AssessmentStatus.REVISION)


def applicable_keys(organisation: Organisation) -> set[str]:
    """The keys of every item the subject answers now (``requirement ref`` or ``ref#system id``)."""
    requirements = list(Requirement.objects.filter(active=True).order_by("sort_key").only(*SCORING_FIELDS))
    return {item.key for item in applicable_items(organisation, requirements=requirements)}


@dataclass
class CampaignSync:
    """What ``sync_campaigns`` did for one subject."""

    schedule: Schedule | None = None
    created: Assessment | None = None
    realigned: list[Assessment] = field(default_factory=list)  # open drafts moved to the schedule's due date
    gained: list[str] = field(default_factory=list)  # item keys that became applicable
    lost: list[str] = field(default_factory=list)  # item keys that no longer apply


@transaction.atomic
def sync_campaigns(
    actor: User | None,
    organisation: Organisation,
    previous_keys: set[str] | None = None,
    create: bool = True,
) -> CampaignSync:
    """Bring the subject's campaigns in line with the ``self-assessment-due`` rule and its current data.

    - The schedule is re-computed (its frequency follows CI status and class A systems, p. 151).
    - An open campaign never submitted follows the schedule: due year, date, basis and frequency. A campaign
      with submitted versions (revision required) is the correction of that year's report and keeps them.
    - With ``previous_keys`` (the applicable items before a change of the subject or its systems), the items
      gained and lost are recorded on every open campaign; the working answers follow by themselves, since
      applicability is derived (answers to items that no longer apply are kept, not shown). Submitted
      versions are frozen and never change.
    - With ``create``, the campaign for the next due year is opened when the subject has none for that year
      and nothing open or awaiting review (idempotent: a second run changes nothing).
    """
    result = CampaignSync()
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()  # one sync per subject at a time
    in_scope = bool(subject_tiers(organisation))
    schedule = refresh_schedule(organisation) if in_scope else None
    if not in_scope:  # no tier (e.g. the status was lost, p. 8.3): no self-assessment falls due any more
        Schedule.objects.filter(organisation=organisation).delete()
    result.schedule = schedule
    open_campaigns = list(
        Assessment.objects.select_for_update().filter(organisation=organisation, status__in=OPEN_STATUSES)
    )
    if schedule is not None:
        for assessment in open_campaigns:
            if assessment.latest_version == 0 and _realign(actor, assessment, schedule):
                result.realigned.append(assessment)
    if previous_keys is not None:
        current = applicable_keys(organisation)
        result.gained, result.lost = sorted(current - previous_keys), sorted(previous_keys - current)
        if result.gained or result.lost:
            for assessment in open_campaigns:
                record(
                    actor,
                    "refresh_applicability",
                    assessment,
                    organisation_id=organisation.pk,
                    changes={
                        "gained": result.gained,
                        "lost": result.lost,
                        "category": organisation.effective_category,
                        "is_ci_owner": organisation.is_ci_owner,
                    },
                )
    if create and schedule is not None:
        pending = Assessment.objects.filter(organisation=organisation).filter(
            status__in=(*OPEN_STATUSES, AssessmentStatus.SUBMITTED)
        )
        taken = Assessment.objects.filter(organisation=organisation, year=schedule.next_due.year)
        if not pending.exists() and not taken.exists():
            result.created = start_assessment(actor, organisation)
    return result


@dataclass
class CampaignRefresh:
    subjects: int = 0
    created: int = 0
    realigned: int = 0
    failed: int = 0


def refresh_campaigns(actor: User | None = None) -> CampaignRefresh:
    """The nightly job: ``sync_campaigns`` for every subject with a tier, each in its own transaction.

    Idempotent. A subject that fails is logged and counted; the others are still refreshed.
    """
    tiers = ("essential", "important")
    in_scope = (
        Organisation.objects.filter(
            Q(is_ci_owner=True) | Q(category_override__in=tiers) | Q(category_override="", category__in=tiers)
        )
        .exclude(duties_ended_filter())
        .order_by("pk")
    )
    result = CampaignRefresh()
    for organisation in in_scope.iterator(chunk_size=200):
        result.subjects += 1
        try:
            sync = sync_campaigns(actor, organisation)
        except Exception:  # noqa: BLE001 - one subject's bad data must not stop the others
            log.exception("self-assessment campaign refresh failed for organisation %s", organisation.pk)
            result.failed += 1
            continue
        result.created += sync.created is not None
        result.realigned += len(sync.realigned)
    return result


def _realign(actor: User | None, assessment: Assessment, schedule: Schedule) -> bool:
    """Move a never-submitted campaign to the schedule's due date; False when nothing changed or the year is taken."""
    target = {
        "year": schedule.next_due.year,
        "due_date": schedule.next_due,
        "due_basis": schedule.basis,
        "frequency_years": schedule.frequency_years,
    }
    before = {name: getattr(assessment, name) for name in target}
    if before == target:
        return False
    if target["year"] != assessment.year and (
        Assessment.objects.filter(organisation_id=assessment.organisation_id, year=target["year"]).exists()
    ):
        return False
    for name, value in target.items():
        setattr(assessment, name, value)
    assessment.save(update_fields=[*target, "updated_at"])
    record(
        actor,
        "reschedule",
        assessment,
        organisation_id=assessment.organisation_id,
        changes={name: [_iso(before[name]), _iso(value)] for name, value in target.items() if before[name] != value},
    )
    return True


# --------------------------------------------------------------------------- answers


@dataclass
class WorkingItem:
    item: ApplicableItem
    answer: Answer | None

    @property
    def key(self) -> str:
        return self.item.key

    @property
    def answered(self) -> bool:
        return self.answer is not None and not self.answer.is_outdated


def working_items(assessment: Assessment, systems: list[InformationSystem] | None = None) -> list[WorkingItem]:
    """The applicable items of the assessment's subject, each with its current answer (if any)."""
    items = applicable_items(assessment.organisation, systems=systems)
    requirements = {item.requirement.pk: item.requirement for item in items}
    systems_by_id = {item.system.pk: item.system for item in items if item.system is not None}
    answers = {}
    for answer in assessment.answers.prefetch_related("evidence"):
        requirement = requirements.get(answer.requirement_id)
        if requirement is None:
            continue  # answers to items that no longer apply are kept but not shown
        answer.requirement = requirement  # reuse the rows already loaded (no join, no second copy)
        if answer.system_id is not None:
            if answer.system_id not in systems_by_id:
                continue
            answer.system = systems_by_id[answer.system_id]
        answers[item_key(requirement.ref, answer.system_id)] = answer
    return [WorkingItem(item, answers.get(item.key)) for item in items]


def working_scores(rows: list[WorkingItem]) -> Scores:
    return score(
        ScoredAnswer(
            row.item.requirement.ref,
            row.item.requirement.section_number,
            row.answer.status if row.answered and row.answer else "",
            str(row.item.system.pk) if row.item.system else "",
        )
        for row in rows
    )


SCORING_FIELDS = (
    "id",
    "ref",
    "point",
    "sort_key",
    "section_number",
    "tiers",
    "classes",
    "class_basis",
    "per_system",
    "conditions",
    "version",
)


def assessment_scores(assessment: Assessment) -> Scores:
    """Score an assessment's current working answers with the fewest rows read (no texts, no evidence)."""
    requirements = list(Requirement.objects.filter(active=True).order_by("sort_key").only(*SCORING_FIELDS))
    items = applicable_items(assessment.organisation, requirements=requirements)
    versions = {r.pk: r.version for r in requirements}
    answers = {
        item_key_by_id(requirement_id, system_id): status
        for requirement_id, system_id, status, answered_version in assessment.answers.values_list(
            "requirement_id", "system_id", "status", "requirement_version"
        )
        if versions.get(requirement_id) == answered_version
    }
    return score(
        ScoredAnswer(
            item.requirement.ref,
            item.requirement.section_number,
            answers.get(item_key_by_id(item.requirement.pk, item.system.pk if item.system else None), ""),
            str(item.system.pk) if item.system else "",
        )
        for item in items
    )


def item_key_by_id(requirement_id: int, system_id: int | None) -> tuple[int, int]:
    return (requirement_id, system_id or 0)


def _find_item(assessment: Assessment, requirement: Requirement, system: InformationSystem | None) -> ApplicableItem:
    key = item_key(requirement.ref, system.pk if system else None)
    if not requirement.active:
        raise ValidationError({"requirement": [_("Prasība vairs nav katalogā.")]})
    for item in applicable_items(assessment.organisation, requirements=[requirement]):
        if item.key == key:
            return item
    raise ValidationError({"requirement": [_("Šī prasība subjektam (vai šai sistēmai) nav piemērojama.")]})


def _require_editable(assessment: Assessment) -> None:
    if not assessment.editable:
        raise ValidationError({"status": [_("Iesniegtu pašnovērtējumu var labot tikai pēc uzrauga lūguma precizēt.")]})


def _clean_answer(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    status = data.get("status") or ""
    if status not in AnswerStatus.values:
        errors["status"] = [_("Izvēlieties atbildi.")]
    cleaned = {
        "status": status,
        "comment": (data.get("comment") or "").strip(),
        "justification": (data.get("justification") or "").strip(),
        "gap_owner": (data.get("gap_owner") or "").strip(),
        "target_date": data.get("target_date") or None,
    }
    if isinstance(cleaned["target_date"], str):
        try:
            cleaned["target_date"] = date.fromisoformat(cleaned["target_date"])
        except ValueError:
            errors["target_date"] = [_("Norādiet datumu formā GGGG-MM-DD.")]
    if status == AnswerStatus.NOT_APPLICABLE and not cleaned["justification"]:
        errors["justification"] = [_("Norādiet, kāpēc prasība nav attiecināma; uzraugs to redzēs.")]
    if status in (AnswerStatus.PARTIAL, AnswerStatus.NOT_IMPLEMENTED):
        if not cleaned["gap_owner"]:
            errors["gap_owner"] = [_("Norādiet, kas ir atbildīgs par nepilnības novēršanu.")]
        if not cleaned["target_date"]:
            errors.setdefault("target_date", [_("Norādiet nepilnības novēršanas termiņu.")])
    if len(cleaned["gap_owner"]) > 200:
        errors["gap_owner"] = [_("Ne vairāk kā 200 rakstzīmes.")]
    if status != AnswerStatus.NOT_APPLICABLE:
        cleaned["justification"] = ""
    if status not in (AnswerStatus.PARTIAL, AnswerStatus.NOT_IMPLEMENTED):
        cleaned["gap_owner"], cleaned["target_date"] = "", None
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def save_answer(
    actor: User | None,
    assessment: Assessment,
    requirement: Requirement,
    system: InformationSystem | None,
    data: dict[str, Any],
) -> Answer:
    """Answer (or re-answer) one applicable item of an editable assessment.

    Compare-and-set on the answer's version: ``data["version"]`` is the version the editor saw
    (``versioning.NEW`` when there was no answer yet); a stale one raises ``StaleVersion``, nothing saved.
    """
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _require_editable(assessment)
    if system is not None and system.organisation_id != assessment.organisation_id:
        raise ValidationError({"system": [_("Sistēma nepieder šim subjektam.")]})
    _find_item(assessment, requirement, system)
    cleaned = _clean_answer(data)
    answer = Answer.objects.filter(assessment=assessment, requirement=requirement, system=system).first()
    before = {f: getattr(answer, f) for f in ANSWER_FIELDS} if answer else {}
    if answer is None:
        answer = Answer(assessment=assessment, requirement=requirement, system=system)
    for name, value in cleaned.items():
        setattr(answer, name, value)
    answer.requirement_version = requirement.version
    answer.updated_by = actor if actor is not None and actor.is_authenticated else None
    versioning.save_or_create(answer, versioning.expected(data))
    after = {f: getattr(answer, f) for f in ANSWER_FIELDS}
    changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    changes["requirement_version"] = requirement.version
    record(actor, "update" if before else "create", answer, organisation_id=assessment.organisation_id, changes=changes)
    return answer


def _check_evidence(upload: UploadedFile) -> tuple[str, str, bytes]:
    name = PurePath(upload.name or "").name
    extension = PurePath(name).suffix.lower()
    if extension not in EVIDENCE_TYPES:
        allowed = ", ".join(sorted(EVIDENCE_TYPES))
        raise ValidationError({"file": [_("Neatļauts faila veids. Atļauti: %(allowed)s.") % {"allowed": allowed}]})
    if upload.size is None or upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError({"file": [_("Fails ir par lielu (ne vairāk kā 10 MB).")]})
    if upload.size == 0:
        raise ValidationError({"file": [_("Fails ir tukšs.")]})
    content = upload.read()
    content_type, magic = EVIDENCE_TYPES[extension]
    if magic is not None and not content.startswith(magic):
        raise ValidationError({"file": [_("Faila saturs neatbilst tā veidam.")]})
    if magic is None:
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError({"file": [_("Teksta failam jābūt UTF-8 kodējumā.")]}) from None
        if b"\x00" in content:
            raise ValidationError({"file": [_("Faila saturs neatbilst tā veidam.")]})
    return name, content_type, content


@transaction.atomic
def add_evidence(actor: User | None, answer: Answer, upload: UploadedFile, description: str = "") -> Evidence:
    """Attach a file to an answer; type (extension and content) and size are checked first."""
    _require_editable(answer.assessment)
    name, content_type, content = _check_evidence(upload)
    if len(description) > 255:
        raise ValidationError({"description": [_("Ne vairāk kā 255 rakstzīmes.")]})
    evidence = Evidence(
        answer=answer,
        original_name=name[:255],
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        description=description.strip(),
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    evidence.file.save(f"{evidence.sha256[:16]}{PurePath(name).suffix.lower()}", ContentFile(content), save=False)
    evidence.save()
    record(
        actor,
        "create",
        evidence,
        organisation_id=answer.assessment.organisation_id,
        changes={"answer": answer.pk, "name": name, "sha256": evidence.sha256, "size": evidence.size},
    )
    return evidence


@transaction.atomic
def remove_evidence(actor: User | None, evidence: Evidence) -> None:
    _require_editable(evidence.answer.assessment)
    record(
        actor,
        "delete",
        evidence,
        organisation_id=evidence.answer.assessment.organisation_id,
        changes={"name": evidence.original_name, "sha256": evidence.sha256},
    )
    evidence.delete()  # the stored file stays: submitted versions may refer to its digest


# --------------------------------------------------------------------------- snapshot and submit


def _iso(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def build_snapshot(
    assessment: Assessment,
    rows: list[WorkingItem],
    scores: Scores,
    *,
    number: int | None = None,
    submitted_by: User | None = None,
    submitted_at: datetime | None = None,
) -> dict[str, Any]:
    """The JSON document of a self-assessment (frozen at submit; also the source of PDF and XLSX)."""
    organisation = assessment.organisation
    systems: dict[int, InformationSystem] = {}
    items = []
    for row in rows:
        requirement, system, answer = row.item.requirement, row.item.system, row.answer
        if system is not None:
            systems[system.pk] = system
        answered = row.answered and answer is not None
        items.append(
            {
                "key": row.key,
                "requirement": requirement.ref,
                "point": requirement.point,
                "requirement_version": requirement.version,
                "section": requirement.section_number,
                "text_lv": requirement.full_text_lv,
                "system_id": system.pk if system else None,
                "system": system.name if system else "",
                "applicability": describe(row.item),
                "status": answer.status if answered and answer else "",
                "comment": answer.comment if answered and answer else "",
                "justification": answer.justification if answered and answer else "",
                "gap_owner": answer.gap_owner if answered and answer else "",
                "target_date": _iso(answer.target_date) if answered and answer else None,
                "evidence": [
                    {"name": e.original_name, "sha256": e.sha256, "size": e.size, "description": e.description}
                    for e in (answer.evidence.all() if answer else [])
                ],
            }
        )
    sections: dict[str, dict[str, Any]] = {}
    for row in rows:
        requirement = row.item.requirement
        sections.setdefault(
            requirement.section_number,
            {
                "title_lv": requirement.section_title_lv,
                "title_en": requirement.section_title_en,
                "score": scores.sections.get(requirement.section_number),
            },
        )
    snapshot = {
        "schema": SNAPSHOT_SCHEMA,
        "assessment": {
            "id": assessment.pk,
            "year": assessment.year,
            "due_date": _iso(assessment.due_date),
            "due_basis": assessment.due_basis,
            "version": number,
            "basis": ["22-TA-3183 p.151", "22-TA-3183 p.152", "22-TA-3183 p.154", "22-TA-3183 Annex 15"],
        },
        "submitted_at": _iso(submitted_at),
        "submitted_by": submitted_by.get_username() if submitted_by else None,
        "organisation": {
            "id": organisation.pk,
            "registration_number": organisation.registration_number,
            "name": organisation.name,
            "legal_address": organisation.legal_address,
            "email": organisation.email,
            "phone": organisation.phone,
            "sector": organisation.sector,
            "category": organisation.effective_category,
            "is_ci_owner": organisation.is_ci_owner,
            "tiers": subject_tiers(organisation),
        },
        "restricted": organisation.is_ci_owner,
        "catalogue": sorted({r.item.requirement.catalogue_version for r in rows}),
        "systems": [
            {
                "id": s.pk,
                "name": s.name,
                "security_class": s.security_class,
                "confidentiality": s.confidentiality,
                "integrity": s.integrity,
                "availability": s.availability,
                "in_ci_set": s.in_ci_set,
            }
            for s in sorted(systems.values(), key=lambda s: s.name)
        ],
        "scoring": {
            "method": METHOD,
            "overall": scores.overall,
            "sections": sections,
            "counted": scores.counted,
            "not_applicable": scores.not_applicable,
        },
        "items": items,
    }
    if organisation.is_ci_owner:
        # p. 28.2: a CI owner sends SAB the catalogue (p. 23.2, ``systems``) and the incident log (p. 23.4)
        # together with the self-assessment report.
        snapshot["assessment"]["basis"].append("22-TA-3183 p.28.2")
        snapshot["incident_log"] = incident_log(organisation, submitted_at)
    return snapshot


def incident_log(organisation: Organisation, until: datetime | None) -> list[dict[str, Any]]:
    """The subject's incident log (p. 23.4) with the fields of p. 49, as logged up to ``until``."""
    from kiber.incidents.models import Incident  # incidents build on the registry, as compliance does

    entries = Incident.objects.filter(organisation=organisation).prefetch_related("reports")
    entries = entries.order_by("detected_at", "pk")
    if until is not None:
        entries = entries.filter(created_at__lte=until)
    return [
        {
            "reference": i.reference,
            "kind": i.kind,
            "title": i.title,
            "detected_at": _iso(i.detected_at),  # p. 49.1
            "occurred_at": _iso(i.occurred_at),
            "type_codes": i.type_codes,  # p. 49.2
            "description": i.description,  # p. 49.3
            "causes": i.causes,  # p. 49.4
            "indicators": i.indicators,
            "impact": i.impact,  # p. 49.5
            "significance": i.significance,  # p. 49.6
            "reported": sorted({r.stage for r in i.reports.all()}),  # p. 49.7
            "resolution": i.resolution,  # p. 49.8
            "logged_at": _iso(i.created_at),
        }
        for i in entries
    ]


def version_pdf(version: AssessmentVersion) -> FieldFile:
    """The version's PDF (22-TA-3183 Annex 15 report), rendered from its frozen snapshot on first need."""
    from kiber.compliance.exports import render_pdf

    name = f"pasnovertejums-{version.organisation.registration_number}-{version.assessment.year}-v{version.number}.pdf"
    return ensure_pdf(version, name, lambda: render_pdf(version.snapshot, version.sha256))


@transaction.atomic
def submit_assessment(actor: User | None, assessment: Assessment) -> AssessmentVersion:
    """Freeze a version (snapshot, SHA-256; PDF after commit), send it to NKC (and SAB for a CI owner), store scores."""
    assessment = Assessment.objects.select_for_update().select_related("organisation").get(pk=assessment.pk)
    _require_editable(assessment)
    organisation = assessment.organisation
    rows = working_items(assessment)
    if not rows:
        raise ValidationError({"answers": [_("Subjektam nav piemērojamu prasību; nav ko iesniegt.")]})
    missing = [row.key for row in rows if not row.answered]
    if missing:
        errors = {f"answers.{key}": [_("Nav atbildēts.")] for key in missing[:50]}
        errors["answers"] = [_("Nav atbildētas %(n)d prasības.") % {"n": len(missing)}]
        raise ValidationError(errors)
    scores = working_scores(rows)
    number = assessment.latest_version + 1
    now = timezone.now()
    submitter = actor if actor is not None and actor.is_authenticated else None
    snapshot = build_snapshot(assessment, rows, scores, number=number, submitted_by=submitter, submitted_at=now)
    digest = documents.digest(snapshot)
    version = AssessmentVersion(
        assessment=assessment,
        organisation=organisation,
        number=number,
        snapshot=snapshot,
        sha256=digest,
        overall_score=scores.overall,
        section_scores={k: v for k, v in scores.sections.items()},
        restricted=organisation.is_ci_owner,
        submitted_by=submitter,
        submitted_at=now,
    )
    version.save()
    enqueue_after_commit("kiber.compliance.jobs.render_version_pdf", version.pk)
    recipients = [Recipient.NKC] + ([Recipient.SAB] if organisation.is_ci_owner else [])
    Delivery.objects.bulk_create(
        Delivery(version=version, recipient=r, restricted=organisation.is_ci_owner, delivered_at=now)
        for r in recipients
    )
    store_scores(version, scores, rows)
    rollups.add_awaiting(organisation, +1)
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.latest_version = number
    assessment.save(update_fields=["status", "latest_version", "updated_at"])
    refresh_schedule(organisation)
    record(
        actor,
        "submit",
        version,
        organisation_id=organisation.pk,
        changes={
            "version": number,
            "sha256": digest,
            "recipients": list(recipients),
            "restricted": organisation.is_ci_owner,
            "overall": scores.overall,
        },
    )
    return version


def store_scores(version: AssessmentVersion, scores: Scores, rows: list[WorkingItem]) -> None:
    """Stored per-version scores and the supervision rollups; the organisation's latest version is current."""
    organisation_id = version.organisation_id
    counted: dict[str, int] = {}
    for row in rows:
        if row.answer and row.answer.status != AnswerStatus.NOT_APPLICABLE:
            section = row.item.requirement.section_number
            counted[section] = counted.get(section, 0) + 1
    sections = [("", scores.overall), *scores.sections.items()]
    ids = {row.item.requirement.ref: row.item.requirement.pk for row in rows}
    new_scores = [(ids[ref], value) for ref, value in scores.requirements.items()]
    rollups.replace_scores(version.organisation, sections, new_scores)  # reads the previous current scores
    SectionScore.objects.filter(organisation_id=organisation_id, current=True).update(current=False)
    RequirementScore.objects.filter(organisation_id=organisation_id, current=True).update(current=False)
    SectionScore.objects.bulk_create(
        SectionScore(
            version=version,
            organisation_id=organisation_id,
            section=section,
            score=value,
            answered=scores.counted if section == "" else counted.get(section, 0),
        )
        for section, value in sections
    )
    RequirementScore.objects.bulk_create(
        RequirementScore(version=version, organisation_id=organisation_id, requirement_id=rid, score=value)
        for rid, value in new_scores
    )


def rebuild_rollup() -> int:
    """Recompute the supervision rollups from the stored scores (``kiber rebuild_compliance_rollup``)."""
    return rollups.rebuild()


# --------------------------------------------------------------------------- review


@transaction.atomic
def review_version(
    actor: User,
    version: AssessmentVersion,
    decision: str,
    comment: str = "",
    item_comments: dict[str, str] | None = None,
) -> Review:
    """The NKC supervisor accepts the latest version or asks for a revision (with per-item comments)."""
    assessment = Assessment.objects.select_for_update().select_related("organisation").get(pk=version.assessment_id)
    errors: dict[str, list[str]] = {}
    if assessment.status != AssessmentStatus.SUBMITTED or version.number != assessment.latest_version:
        errors["version"] = [_("Izvērtēt var tikai jaunāko iesniegto versiju, kas vēl nav izvērtēta.")]
    if decision not in Decision.values:
        errors["decision"] = [_("Izvēlieties lēmumu.")]
    item_comments = {k: v.strip() for k, v in (item_comments or {}).items() if v and v.strip()}
    items = {item["key"]: item for item in version.snapshot.get("items", [])}
    for key in item_comments:
        if key not in items:
            errors[f"item_comments.{key}"] = [_("Šāda pašnovērtējuma punkta nav.")]
    comment = (comment or "").strip()
    if decision == Decision.REVISION and not comment and not item_comments:
        errors["comment"] = [_("Norādiet, kas jāprecizē.")]
    if errors:
        raise ValidationError(errors)
    review = Review.objects.create(
        version=version, reviewer=actor, decision=decision, comment=comment, decided_at=timezone.now()
    )
    refs = {item["requirement"] for key, item in items.items() if key in item_comments}
    requirement_ids = dict(Requirement.objects.filter(ref__in=refs).values_list("ref", "pk"))
    ReviewComment.objects.bulk_create(
        ReviewComment(
            review=review,
            item_key=key,
            requirement_id=requirement_ids[items[key]["requirement"]],
            system_name=items[key]["system"],
            comment=text[:5000],
        )
        for key, text in item_comments.items()
    )
    assessment.status = AssessmentStatus.ACCEPTED if decision == Decision.ACCEPTED else AssessmentStatus.REVISION
    assessment.save(update_fields=["status", "updated_at"])
    rollups.add_awaiting(assessment.organisation, -1)
    record(
        actor,
        "review",
        version,
        organisation_id=version.organisation_id,
        changes={"decision": decision, "comment": comment, "item_comments": item_comments},
    )
    return review


def record_read(actor: User, obj: Model, organisation_id: int, what: str = "") -> None:
    """Audit a read of a self-assessment (p. principle 4: reads of sensitive records are logged)."""
    record(actor, "read", obj, organisation_id=organisation_id, changes={"view": what} if what else {})


# --------------------------------------------------------------------------- differences


DIFF_FIELDS = ("status", "comment", "justification", "gap_owner", "target_date")


def diff_snapshots(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """What changed between two submitted versions, item by item (added, removed, changed fields)."""
    before = {item["key"]: item for item in old.get("items", [])}
    after = {item["key"]: item for item in new.get("items", [])}
    result = []
    for key, item in after.items():
        previous = before.get(key)
        if previous is None:
            result.append({"key": key, "kind": "added", "item": item, "changes": {}})
            continue
        changes = {f: [previous.get(f), item.get(f)] for f in DIFF_FIELDS if previous.get(f) != item.get(f)}
        old_files = sorted(e["name"] for e in previous.get("evidence", []))
        new_files = sorted(e["name"] for e in item.get("evidence", []))
        if old_files != new_files:
            changes["evidence"] = [", ".join(old_files), ", ".join(new_files)]
        if previous.get("requirement_version") != item.get("requirement_version"):
            changes["requirement_version"] = [previous.get("requirement_version"), item.get("requirement_version")]
        if changes:
            result.append({"key": key, "kind": "changed", "item": item, "changes": changes})
    for key, item in before.items():
        if key not in after:
            result.append({"key": key, "kind": "removed", "item": item, "changes": {}})
    return result
