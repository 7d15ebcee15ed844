"""Every write of the incidents app: one function per business action, transactional, audited."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from kiber import versioning
from kiber.audit.services import for_update, model_changes, record, record_many
from kiber.documents import digest, ensure_pdf
from kiber.incidents import answers as answer_rules
from kiber.incidents import catalogue, routing
from kiber.incidents.choices import (
    FORM_STAGES,
    STAGE_ANNEX,
    Channel,
    DeliveryStatus,
    Kind,
    Resolution,
    Review,
    Significance,
    Stage,
)
from kiber.incidents.models import (
    Attachment,
    CalendarToken,
    Delivery,
    Incident,
    IncidentChange,
    Report,
    ReportReview,
)
from kiber.inserts import insert
from kiber.jobs import enqueue_after_commit
from kiber.registry.choices import MEMBER_STATES
from kiber.registry.models import Organisation, User
from kiber.rules.registry import evaluate
from kiber.web.files import check_client_name

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
# Member states another than Latvia an incident can affect (EU and EEA).
CROSS_BORDER_STATES = frozenset(code for code, _label in MEMBER_STATES if code != "LV")
LOG_FIELDS = [
    "kind",
    "title",
    "detected_at",
    "occurred_at",
    "aware_at",
    "type_codes",
    "description",
    "causes",
    "indicators",
    "impact",
    "affected_systems",
    "resolution",
    "resolved_at",
    "tlp",
    "trust_service_impact",
]


class ServiceError(Exception):
    """A business rule refused the action; ``field`` names the offending input where there is one."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _snapshot_fields(incident: Incident, systems: list[str] | None = None) -> dict[str, Any]:
    data = {name: getattr(incident, name) for name in LOG_FIELDS}
    if systems is None:
        systems = list(incident.systems.values_list("name", flat=True)) if incident.pk else []
    data["systems"] = sorted(systems)
    return json.loads(json.dumps(data, default=str))


def _check_type_codes(codes: list[str]) -> None:
    known = set(catalogue.type_codes())
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ServiceError(f"unknown Annex 6 type code(s): {', '.join(unknown)}", "type_codes")
    if not codes:
        raise ServiceError("at least one Annex 6 type code is required (p. 49.2)", "type_codes")


def _check_times(data: dict[str, Any]) -> None:
    for name in ("detected_at", "occurred_at", "aware_at", "resolved_at"):
        value = data.get(name)
        if value is not None and (not isinstance(value, datetime) or value.utcoffset() is None):
            raise ServiceError("a date and time with a UTC offset is required", name)
    if data.get("resolution") == Resolution.RESOLVED and not data.get("resolved_at"):
        data["resolved_at"] = timezone.now()


def _next_number(organisation: Organisation) -> int:
    """The organisation's next incident number; call inside the transaction that inserts the incident."""
    # Numbers are per organisation: the organisation's row lock orders concurrent creations (it is
    # per organisation, like the audit chain, so one subject never waits for another).
    # Plain SQL: on the intake path the ORM's building of these two statements costs more than running them.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {Organisation._meta.db_table} WHERE id = %s{for_update()}", [organisation.pk])
        if cursor.fetchone() is None:
            raise Organisation.DoesNotExist(organisation.pk)
        cursor.execute(
            f"SELECT COALESCE(MAX(number), 0) + 1 FROM {Incident._meta.db_table} WHERE organisation_id = %s",
            [organisation.pk],
        )
        return cursor.fetchone()[0]


@transaction.atomic
def create_incident(user: User, organisation: Organisation, data: dict[str, Any], systems: Any = ()) -> Incident:
    """Record a new entry in the incident log (p. 48–49)."""
    data = dict(data)
    data.pop("version", None)  # the form's hidden field; a new entry starts at version 1
    _check_type_codes(list(data.get("type_codes") or []))
    _check_times(data)
    incident = Incident.objects.create(
        organisation=organisation, number=_next_number(organisation), created_by=user, **data
    )
    if systems:
        incident.systems.set([s for s in systems if s.organisation_id == organisation.pk])
    record(user, "create", incident, organisation_id=organisation.pk, changes=_snapshot_fields(incident))
    return incident


@transaction.atomic
def update_incident(user: User, incident: Incident, data: dict[str, Any], systems: Any = None) -> Incident:
    """Change the log entry; the change log is the audit history (p. 48: changes are logged too).

    Compare-and-set on ``data["version"]`` (the version the editor saw): stale raises ``StaleVersion``.
    """
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    before = _snapshot_fields(incident)
    data = dict(data)
    known_at = data.pop("change_known_at", None) or timezone.now()
    if known_at > timezone.now() + timedelta(minutes=5) or known_at < incident.detected_at:
        raise ServiceError(
            "the change became known between the detection and now (p. 48)", "change_known_at"
        )
    if "type_codes" in data:
        _check_type_codes(list(data["type_codes"] or []))
    merged = {**{k: getattr(incident, k) for k in LOG_FIELDS}, **data}
    _check_times(merged)
    for name in LOG_FIELDS:
        setattr(incident, name, merged[name])
    if incident.resolution != Resolution.RESOLVED:
        incident.resolved_at = None
    versioning.save(incident, versioning.expected(data))
    if systems is not None:
        incident.systems.set([s for s in systems if s.organisation_id == incident.organisation_id])
    changes = model_changes(before, _snapshot_fields(incident))
    if changes:
        record(user, "update", incident, organisation_id=incident.organisation_id, changes=changes)
        # p. 48: a change is logged within 24 hours of becoming known, tracked like the first logging.
        IncidentChange.objects.create(incident=incident, known_at=known_at, fields=sorted(changes), by=user)
    return incident


def significance_input(incident: Incident, entity_type: str, facts: dict[str, Any]) -> dict[str, Any]:
    """The ``significance`` rule's input: the guided answers plus what the platform knows."""
    payload = {"entity_type": entity_type, **{k: v for k, v in facts.items() if v not in (None, "")}}
    turnover = incident.organisation.annual_turnover_eur
    payload.setdefault("annual_turnover_eur", float(turnover) if turnover is not None else None)
    payload.setdefault("occurred_at", (incident.occurred_at or incident.detected_at).isoformat())
    if incident.causes and "root_cause" not in payload:
        payload["root_cause"] = incident.causes[:500]
    return payload


@transaction.atomic
def assess_significance(
    user: User,
    incident: Incident,
    entity_type: str,
    facts: dict[str, Any],
    *,
    override: str = "",
    override_reason: str = "",
    version: int | None = None,
) -> Incident:
    """Evaluate the ``significance`` rule (p. 120–121) and record the decision, who and when.

    The subject may decide an incident is significant although no CIR criterion is met (the NIS2
    Art. 23(3) definition is wider), always with a reason; it cannot declare a met criterion away.
    """
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    changes = _apply_significance(user, incident, entity_type, facts, override, override_reason)
    versioning.save(incident, version)
    record(user, "assess", incident, organisation_id=incident.organisation_id, changes=changes)
    return incident


def _apply_significance(
    user: User, incident: Incident, entity_type: str, facts: dict[str, Any], override: str, override_reason: str
) -> dict[str, Any]:
    """Set the decision on ``incident`` (not saved); return the audit entry's changes."""
    payload = significance_input(incident, entity_type, facts)
    result = evaluate("significance", payload)  # RuleInputError propagates as bad input
    decision = Significance.SIGNIFICANT if result["significant"] else Significance.NOT_SIGNIFICANT
    if override == Significance.SIGNIFICANT and decision == Significance.NOT_SIGNIFICANT:
        if not override_reason.strip():
            raise ServiceError("a reason is required when deciding against the criteria", "override_reason")
        decision = Significance.SIGNIFICANT
        result = {**result, "override_reason": override_reason.strip(), "basis": [*result["basis"], "NIS2 Art.23(3)"]}
    now = timezone.now()
    incident.entity_type = entity_type
    incident.significance = decision
    incident.significance_answers = payload
    incident.significance_result = result
    incident.significance_by = user
    incident.significance_at = now
    if decision == Significance.SIGNIFICANT and incident.aware_at is None:
        incident.aware_at = now if now > incident.detected_at else incident.detected_at
    return {"significance": decision, "criteria": result["criteria"], "basis": result["basis"]}


# ---------------------------------------------------------------------------------------------- reports


def allowed_stages(incident: Incident) -> list[str]:
    """The stages the subject may submit now (a correction of a submitted stage is always allowed)."""
    if incident.significance != Significance.SIGNIFICANT:
        return [Stage.VOLUNTARY]
    submitted = set(incident.reports.values_list("stage", flat=True))
    stages = [Stage.EARLY_WARNING.value]
    if Stage.EARLY_WARNING in submitted:
        stages.append(Stage.INITIAL_REPORT.value)
    if Stage.INITIAL_REPORT in submitted:
        stages += [Stage.PROGRESS_REPORT.value, Stage.FINAL_REPORT.value]
        if incident.intermediate_requested_at:
            stages.insert(2, Stage.INTERMEDIATE_REPORT.value)
    return stages + [s for s in submitted if s not in stages and s != Stage.VOLUNTARY]


@dataclass(frozen=True)
class NewAttachment:
    name: str
    content: bytes


def decode_attachment(name: str, content_base64: str) -> NewAttachment:
    refused = check_client_name(name)
    if refused:
        raise ServiceError(refused, "name")
    try:
        content = base64.b64decode(content_base64, validate=True)
    except ValueError:
        raise ServiceError("attachment content is not valid base64", "content_base64") from None
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise ServiceError(
            f"attachment is {len(content)} bytes; at most {MAX_ATTACHMENT_BYTES} bytes are accepted", "content_base64"
        )
    return NewAttachment(name[:255], content)


def build_snapshot(
    incident: Incident,
    stage: str,
    version: int,
    answers: dict[str, Any],
    user: User,
    at: datetime,
    attachments: list[dict[str, Any]],
    systems: list[str] | None = None,
) -> dict[str, Any]:
    org = incident.organisation
    return {
        "format": "kiber.incident-report/1",
        "report": {"stage": stage, "version": version, "basis": STAGE_ANNEX[Stage(stage)]},
        "submitted_at": at.isoformat(),
        "submitted_by": {"username": user.get_username(), "name": user.get_full_name()},
        "organisation": {
            "name": org.name,
            "registration_number": org.registration_number,
            "category": org.effective_category,
            "sector": org.sector,
            "subsector": org.subsector,
            "is_ci_owner": org.is_ci_owner,
        },
        "incident": {
            "id": str(incident.public_id),
            "reference": incident.reference,
            **_snapshot_fields(incident, systems),
            "significance": incident.significance,
            "significance_criteria": incident.significance_result.get("criteria", []),
            "significance_basis": incident.significance_result.get("basis", []),
        },
        "answers": answers,
        "attachments": attachments,
    }


def submit_report(
    user: User,
    incident: Incident,
    stage: str,
    raw_answers: dict[str, Any],
    attachments: list[NewAttachment] = (),  # type: ignore[assignment]
) -> Report:
    """Freeze one version of a report and route it. The report exists once this returns (committed)."""
    report = _submit(user, incident, stage, raw_answers, list(attachments))
    enqueue_after_commit("kiber.incidents.jobs.after_submit", report.pk)
    return report


@transaction.atomic
def _submit(
    user: User, incident: Incident, stage: str, raw_answers: dict[str, Any], attachments: list[NewAttachment]
) -> Report:
    incident = Incident.objects.select_for_update().select_related("organisation").get(pk=incident.pk)
    if stage not in allowed_stages(incident):
        if stage == Stage.VOLUNTARY:
            raise ServiceError("a significant incident is reported in the stages of p. 122, not free-form", "stage")
        raise ServiceError(f"the {stage} report cannot be submitted at this point", "stage")
    if stage == Stage.VOLUNTARY:
        text = raw_answers.get("description")
        if not isinstance(text, str) or not text.strip() or set(raw_answers) - {"description"}:
            raise answer_rules.AnswerErrors({"description": "a free-form description is required (p. 123)"})
        cleaned = {"description": text.strip()}
    else:
        cleaned = answer_rules.clean(stage, raw_answers)
    version = incident.reports.filter(stage=stage).count() + 1
    report, changes = _freeze(user, incident, stage, version, cleaned, attachments)
    record(user, "submit", report, organisation_id=incident.organisation_id, changes=changes)
    return report


def _freeze(
    user: User,
    incident: Incident,
    stage: str,
    version: int,
    cleaned: dict[str, Any],
    attachments: list[NewAttachment],
    systems: list[str] | None = None,
) -> tuple[Report, dict[str, Any]]:
    """Insert the frozen version with its attachments, deliveries and first review; return it and the
    audit entry's changes (the caller records them in the same transaction)."""
    now = timezone.now()
    files = []
    for item in attachments:
        if len(item.content) > MAX_ATTACHMENT_BYTES:
            raise ServiceError("attachment is too large", "attachments")
        files.append({"name": item.name, "size": len(item.content), "sha256": hashlib.sha256(item.content).hexdigest()})
    snapshot = build_snapshot(incident, stage, version, cleaned, user, now, files, systems)
    routes = routing.routes_for(incident.organisation)
    report = Report(
        incident=incident,
        stage=stage,
        version=version,
        answers=cleaned,
        snapshot=snapshot,
        sha256=digest(snapshot),
        submitted_by=user,
        submitted_at=now,
        routed_to_sab=any(r.recipient == "sab" for r in routes),
    )
    insert([report])
    for item, meta in zip(attachments, files, strict=True):
        attachment = Attachment(report=report, name=item.name, size=meta["size"], sha256=meta["sha256"])
        attachment.file.save(item.name, ContentFile(item.content), save=False)
        attachment.save()
    insert(
        [
            Delivery(
                report=report,
                recipient=r.recipient,
                channel=r.channel,
                target=r.target,
                status=DeliveryStatus.DELIVERED if r.channel == Channel.INBOX else DeliveryStatus.PENDING,
                attempts=1 if r.channel == Channel.INBOX else 0,
                delivered_at=now if r.channel == Channel.INBOX else None,
                next_attempt_at=None if r.channel == Channel.INBOX else now,
            )
            for r in routes
        ]
    )
    insert([ReportReview(report=report, status=Review.RECEIVED, by=user, note="")])
    changes = {"stage": stage, "version": version, "sha256": report.sha256, "routes": [r.recipient for r in routes]}
    return report, changes


class NotSignificant(ServiceError):
    """An early warning was asked for an incident the ``significance`` rule (and no override) finds not significant."""

    def __init__(self, basis: list[str]) -> None:
        super().__init__(
            "the incident is not significant under the `significance` rule "
            f"(basis: {'; '.join(basis)}); submit a voluntary report or set significance.decide_significant "
            "with a reason",
            "significance",
        )


# No savepoint when nested (the API's idempotency transaction): an error dooms the caller's transaction.
@transaction.atomic(savepoint=False)
def report_early_warning(
    user: User,
    organisation: Organisation,
    data: dict[str, Any],
    entity_type: str,
    facts: dict[str, Any],
    answers: dict[str, Any],
    attachments: list[NewAttachment] = (),  # type: ignore[assignment]
    *,
    override: str = "",
    override_reason: str = "",
) -> Report:
    """Create the incident, assess its significance and submit its early warning in one transaction.

    The same checks, rows and audit entries (create, assess, submit) as ``create_incident``,
    ``assess_significance`` and ``submit_report`` one after the other, without what a new incident
    cannot need (it has no systems and no reports yet). Everything that can refuse the request runs
    before the organisation's lock is taken, so bad input never waits for it. ``answers`` are the
    caller's; the rest are pre-filled as the form would.
    """
    data = dict(data)
    _check_type_codes(list(data.get("type_codes") or []))
    _check_times(data)
    incident = Incident(organisation=organisation, created_by=user, **data)
    created = _snapshot_fields(incident, [])
    for name in ("detected_at", "occurred_at", "aware_at", "resolved_at"):
        # As read back from the database (UTC), which is what the stepwise path freezes.
        if getattr(incident, name) is not None:
            setattr(incident, name, getattr(incident, name).astimezone(UTC))
    assessed = _apply_significance(user, incident, entity_type, facts, override, override_reason)
    if incident.significance != Significance.SIGNIFICANT:
        raise NotSignificant(incident.significance_result["basis"])
    cleaned = answer_rules.clean(
        Stage.EARLY_WARNING, {**answer_rules.prefill(incident, Stage.EARLY_WARNING, user), **answers}
    )
    incident.number = _next_number(organisation)
    insert([incident])
    report, submitted = _freeze(user, incident, Stage.EARLY_WARNING, 1, cleaned, list(attachments), [])
    record_many(
        user,
        [("create", incident, created), ("assess", incident, assessed), ("submit", report, submitted)],
        organisation_id=organisation.pk,
    )
    enqueue_after_commit("kiber.incidents.jobs.after_submit", report.pk)
    return report


def store_pdf(report: Report) -> Report:
    """Render and store the PDF of a frozen version once (from its snapshot; never re-rendered)."""
    from kiber.incidents.exports import report_pdf

    name = f"{report.incident.reference}-{report.stage}-v{report.version}.pdf"
    ensure_pdf(report, name, lambda: report_pdf(report))
    return report


# ------------------------------------------------------------------------------------- CSIRT workspace


@transaction.atomic
def acknowledge(user: User, incident: Incident, feedback: str, version: int | None = None) -> Incident:
    """Acknowledge and give initial feedback (NIS2 Art. 23(5)); ``version``: the one the analyst saw."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if not feedback.strip():
        raise ServiceError("initial feedback is required", "feedback")
    incident.acknowledged_at = incident.acknowledged_at or timezone.now()
    incident.acknowledged_by = incident.acknowledged_by or user
    incident.feedback = feedback.strip()
    versioning.save(incident, version, update_fields=["acknowledged_at", "acknowledged_by", "feedback", "updated_at"])
    record(user, "acknowledge", incident, organisation_id=incident.organisation_id, changes={"feedback": feedback})
    _notify_subject(incident, "CERT.LV sniedza sākotnējo atgriezenisko saiti", feedback)
    return incident


@transaction.atomic
def request_intermediate(
    user: User, incident: Incident, note: str, due_at: datetime | None, version: int | None = None
) -> Incident:
    """Request an intermediate report (NIS2 Art. 23(4)(c), p. 122.4); ``version``: the one the analyst saw."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.significance != Significance.SIGNIFICANT:
        raise ServiceError("an intermediate report can only be requested for a significant incident", "")
    if due_at is not None and due_at.utcoffset() is None:
        raise ServiceError("a date and time with a UTC offset is required", "due_at")
    incident.intermediate_requested_at = timezone.now()
    incident.intermediate_requested_by = user
    incident.intermediate_request_note = note.strip()
    incident.intermediate_due_at = due_at
    versioning.save(incident, version)
    record(
        user,
        "request_intermediate",
        incident,
        organisation_id=incident.organisation_id,
        changes={"note": note, "due_at": due_at},
    )
    _notify_subject(incident, "CERT.LV pieprasa starpposma ziņojumu", note)
    return incident


@transaction.atomic
def review_report(user: User, report: Report, status: str, note: str) -> ReportReview:
    if status not in Review.values:
        raise ServiceError("unknown review status", "status")
    review = ReportReview.objects.create(report=report, status=status, note=note.strip(), by=user)
    record(
        user,
        "review",
        report,
        organisation_id=report.incident.organisation_id,
        changes={"status": status, "note": note},
    )
    if status == Review.MORE_INFO:
        _notify_subject(report.incident, "CERT.LV pieprasa papildu informāciju", note)
    return review


@transaction.atomic
def set_cross_border(
    user: User,
    incident: Incident,
    value: bool,
    version: int | None = None,
    states: list[str] | None = None,
    handed_off: bool = False,
) -> Incident:
    """Mark the incident cross-border with the affected member states, and record when the CSIRT passed it
    to the single point of contact (NKC) — NIS2 Art. 23(6); the hand-off moment is kept once recorded."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    states = sorted(set(states or [])) if value else []
    unknown = [s for s in states if s not in CROSS_BORDER_STATES]
    if unknown:
        raise ServiceError(f"not an EU/EEA member state other than Latvia: {', '.join(unknown)}", "states")
    if value and handed_off and not states:
        raise ServiceError("name the affected member states before passing the case on", "states")
    incident.cross_border, incident.cross_border_states = value, states
    if value and handed_off and incident.spoc_handoff_at is None:
        incident.spoc_handoff_at, incident.spoc_handoff_by = timezone.now(), user
    fields = ["cross_border", "cross_border_states", "spoc_handoff_at", "spoc_handoff_by", "updated_at"]
    versioning.save(incident, version, update_fields=fields)
    record(
        user,
        "update",
        incident,
        organisation_id=incident.organisation_id,
        changes={
            "cross_border": value,
            "cross_border_states": states,
            "spoc_handoff_at": incident.spoc_handoff_at.isoformat() if incident.spoc_handoff_at else None,
            "basis": ["NIS2 Art.23(6)"],
        },
    )
    return incident


@transaction.atomic
def link_related(user: User, incident: Incident, other: Incident) -> None:
    if other.pk == incident.pk:
        raise ServiceError("an incident cannot be related to itself", "related")
    incident.related.add(other)
    for one, two in ((incident, other), (other, incident)):
        record(user, "link", one, organisation_id=one.organisation_id, changes={"related": two.reference})


def _notify_subject(incident: Incident, subject: str, body: str) -> None:
    from kiber.incidents.notify import notify_organisation

    notify_organisation(incident, f"{incident.reference}: {subject}", body)


# ------------------------------------------------------------------------------------ calendar feed


@transaction.atomic
def calendar_token(user: User, *, renew: bool = False) -> CalendarToken:
    import secrets

    token, created = CalendarToken.objects.get_or_create(user=user, defaults={"nonce": secrets.token_hex(16)})
    if renew and not created:
        token.nonce = secrets.token_hex(16)
        token.save(update_fields=["nonce"])
    if created or renew:
        record(user, "calendar_token", token, organisation_id=user.organisation_id, changes={"renewed": renew})
    return token


FORM_STAGE_VALUES = [s.value for s in FORM_STAGES]
KIND_VALUES = Kind.values
