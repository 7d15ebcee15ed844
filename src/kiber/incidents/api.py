"""API for machine clients (a subject's SOC tooling): /api/v1/incidents/.

Bad input answers 422 with ``{"error": {"message", "fields": [paths]}}`` and saves nothing. An
``Idempotency-Key`` header on a submission makes a retry return the first response instead of
creating a second report (keys are stored per user with the response, in the same transaction).

An incident carries a ``version`` (also the ``ETag`` of GET); a significance assessment with ``If-Match``
(or a ``version`` field) naming an older version is refused with 412 and changes nothing
(``kiber.versioning``).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.db import connection, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Header, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import AwareDatetime, Field, field_validator

from kiber import versioning
from kiber.api.pagination import MAX_OFFSET
from kiber.incidents import answers as answer_rules
from kiber.incidents import catalogue, selectors, services
from kiber.incidents.choices import EntityType
from kiber.incidents.models import IdempotencyKey, Incident, Report
from kiber.rules.base import RuleInputError

router = Router(tags=["incidents"])


class ApiError(Exception):
    def __init__(self, message: str, fields: list[str], status: int = 422) -> None:
        super().__init__(message)
        self.message, self.fields, self.status = message, fields, status


def _error(message: str, fields: list[str]) -> dict[str, Any]:
    return {"error": {"message": message, "fields": fields}}


class ErrorOut(Schema):
    error: dict[str, Any]


class AttachmentIn(Schema):
    name: str = Field(min_length=1, max_length=255)
    content_base64: str = Field(description="File content, base64; at most 5 MiB decoded")


class IncidentIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    kind: Literal["incident", "near_miss", "vulnerability", "cyber_threat"] = "incident"
    detected_at: AwareDatetime = Field(description="ISO 8601 with a UTC offset (p. 49.1)")
    occurred_at: AwareDatetime | None = None
    type_codes: list[str] = Field(min_length=1, description="Annex 6 codes, e.g. ['06']")
    description: str = Field(min_length=1, max_length=20000)
    causes: str = Field("", max_length=20000)
    indicators: str = Field("", max_length=20000)
    impact: str = Field("", max_length=20000)
    affected_systems: list[str] = Field(default_factory=list, max_length=100)
    resolution: Literal["not_started", "in_progress", "resolved"] = "not_started"
    tlp: Literal["clear", "green", "amber", "amber+strict", "red"] = "amber"
    trust_service_impact: bool = False

    @field_validator("type_codes")
    @classmethod
    def _known_codes(cls, codes: list[str]) -> list[str]:
        known = set(catalogue.type_codes())
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise ValueError(f"unknown Annex 6 type code(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        return list(dict.fromkeys(codes))


class SignificanceIn(Schema):
    entity_type: Literal[tuple(EntityType.values)] = "other"  # type: ignore[valid-type]
    facts: dict[str, Any] = Field(default_factory=dict, description="Input fields of the `significance` rule")
    decide_significant: bool = False
    reason: str = ""
    version: int | None = Field(None, description="The incident's version read (or send If-Match); stale: 412")


class ReportIn(Schema):
    stage: Literal[
        "early_warning", "initial_report", "intermediate_report", "progress_report", "final_report", "voluntary"
    ]
    answers: dict[str, Any] = Field(default_factory=dict)
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=10)


class EarlyWarningIn(Schema):
    """Create the incident, assess its significance and submit the early warning in one request."""

    incident: IncidentIn
    significance: SignificanceIn
    answers: dict[str, Any] = Field(
        default_factory=dict,
        description="Early-warning answers; omitted ones are pre-filled from the incident and the registry",
    )
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=10)


class DeadlineOut(Schema):
    stage: str
    due_at: datetime
    submitted_at: datetime | None
    basis: str


class ReportOut(Schema):
    id: int
    incident_id: UUID
    stage: str
    version: int
    sha256: str
    submitted_at: datetime
    recipients: list[str]


class IncidentOut(Schema):
    id: UUID
    reference: str
    title: str
    kind: str
    detected_at: datetime
    type_codes: list[str]
    resolution: str
    significance: str
    criteria: list[str]
    basis: list[str]
    deadlines: list[DeadlineOut]
    reports: list[ReportOut]
    version: int


def _report_out(report: Report) -> dict[str, Any]:
    return {
        "id": report.pk,
        "incident_id": report.incident.public_id,
        "stage": report.stage,
        "version": report.version,
        "sha256": report.sha256,
        "submitted_at": report.submitted_at,
        "recipients": ["csirt", "sab"] if report.routed_to_sab else ["csirt"],
    }


def _incident_out(incident: Incident) -> dict[str, Any]:
    from kiber.incidents.deadlines import due_moments

    return {
        "id": incident.public_id,
        "reference": incident.reference,
        "title": incident.title,
        "kind": incident.kind,
        "detected_at": incident.detected_at,
        "type_codes": incident.type_codes,
        "resolution": incident.resolution,
        "significance": incident.significance,
        "criteria": incident.significance_result.get("criteria", []),
        "basis": incident.significance_result.get("basis", []),
        "deadlines": [
            {"stage": m.stage, "due_at": m.due_at, "submitted_at": m.submitted_at, "basis": m.basis}
            for m in due_moments(incident)
        ],
        "reports": [_report_out(r) for r in incident.reports.all()],
        "version": incident.version,
    }


def _subject(request: HttpRequest) -> Any:
    user = request.user
    if not user.is_subject or not user.organisation_id:
        raise HttpError(403, "only a subject's users record incidents")
    return user


def _visible(request: HttpRequest, public_id: UUID) -> Incident:
    try:
        return selectors.get_incident(request.user, public_id)
    except Http404:
        raise HttpError(404, "incident not found") from None


def _json_safe(data: Any) -> Any:
    return json.loads(json.dumps(data, default=str))


def _attachments(items: list[AttachmentIn]) -> list[services.NewAttachment]:
    result = []
    for i, item in enumerate(items):
        try:
            result.append(services.decode_attachment(item.name, item.content_base64))
        except services.ServiceError as exc:
            raise ApiError(exc.message, [f"attachments.{i}.{exc.field}"]) from None
    return result


def _translate(exc: Exception, prefix: str = "") -> ApiError:
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, answer_rules.AnswerErrors):
        return ApiError(str(exc), [f"{prefix}answers.{k}" for k in exc.errors])
    if isinstance(exc, RuleInputError):
        return ApiError(exc.message, [f"significance.facts.{f}" for f in exc.fields])
    if isinstance(exc, services.ServiceError):
        return ApiError(exc.message, [f"{prefix}{exc.field}" if exc.field else "$"])
    raise exc


class _Replay(Exception):
    """Another request with the same key committed first: this one's work is rolled back."""


def _store_key(user_id: int, key: str, digest: str, response: Any) -> bool:
    """Store the key with its response; False if the user already has it. One statement and no savepoint,
    unlike create() in a nested atomic block that catches the IntegrityError."""
    table = IdempotencyKey._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {table} (user_id, "key", request_hash, status_code, response, created_at) '
            'VALUES (%s, %s, %s, 201, %s, %s) ON CONFLICT (user_id, "key") DO NOTHING RETURNING id',
            [user_id, key, digest, json.dumps(response), timezone.now()],
        )
        return cursor.fetchone() is not None


def _idempotent(request: HttpRequest, key: str | None, body: Any, action: Any) -> Any:
    """Run ``action`` once per (user, Idempotency-Key); a retry gets the stored response."""
    if not key:
        try:
            with transaction.atomic():
                return Status(201, action())
        except Exception as exc:  # noqa: BLE001 - translated or re-raised
            error = _translate(exc)
            return Status(error.status, _error(error.message, error.fields))
    if len(key) > 255:
        return Status(422, _error("Idempotency-Key is longer than 255 characters", ["header.Idempotency-Key"]))
    digest = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()
    user = request.user
    try:
        with transaction.atomic():
            # The key is written once, with the response, last in the transaction: a concurrent request with
            # the same key waits on its unique index until this one commits, then rolls its own work back.
            result = action()
            if _store_key(user.pk, key, digest, result):
                return Status(201, result)
            raise _Replay
    except _Replay:
        pass
    except Exception as exc:  # noqa: BLE001 - bad input: nothing saved, the key is not consumed
        error = _translate(exc)
        return _replay(user, key, digest) or Status(error.status, _error(error.message, error.fields))
    return _replay(user, key, digest) or Status(409, _error(IN_PROGRESS, ["header.Idempotency-Key"]))


IN_PROGRESS = "a request with this Idempotency-Key is in progress; retry"


def _replay(user: Any, key: str, digest: str) -> Status | None:
    """The response stored for the key (None if there is none): the same one again, never a second write."""
    stored = IdempotencyKey.objects.filter(user=user, key=key).first()
    if stored is None:
        return None
    header = ["header.Idempotency-Key"]
    if stored.status_code == 0:  # a key claimed before its response was stored (written by older versions)
        return Status(409, _error(IN_PROGRESS, header))
    if stored.request_hash != digest:
        return Status(422, _error("this Idempotency-Key was used with a different request", header))
    return Status(stored.status_code, stored.response)


# ----------------------------------------------------------------------------------------- endpoints


@router.get("/incidents", response=list[IncidentOut], summary="Incidents visible to the caller")
def list_incidents(request: HttpRequest, limit: int = 50, offset: int = 0) -> Any:
    limit = max(1, min(limit, 200))
    offset = max(0, min(offset, MAX_OFFSET))  # beyond bigint the database fails; no rows are that far anyway
    rows = selectors.incidents_for(request.user).prefetch_related("reports")[offset : offset + limit]
    return [_incident_out(i) for i in rows]


@router.post(
    "/incidents",
    response={201: IncidentOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Record an incident in the log (p. 48–49)",
)
def create_incident(
    request: HttpRequest, payload: IncidentIn, idempotency_key: str | None = Header(None, alias="Idempotency-Key")
) -> Any:
    user = _subject(request)

    def action() -> Any:
        incident = services.create_incident(user, user.organisation, payload.model_dump())
        return _json_safe(_incident_out(incident))

    return _idempotent(request, idempotency_key, {"create": payload.model_dump()}, action)


@router.get("/incidents/{incident_id}", response={200: IncidentOut, 404: ErrorOut})
def get_incident(request: HttpRequest, incident_id: UUID, response: HttpResponse) -> Any:
    incident = _visible(request, incident_id)
    versioning.set_etag(response, incident)
    return _incident_out(incident)


@router.post(
    "/incidents/{incident_id}/significance",
    response={200: IncidentOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Assess significance with the `significance` rule (p. 120–121)",
)
def assess(request: HttpRequest, incident_id: UUID, payload: SignificanceIn, response: HttpResponse) -> Any:
    user = _subject(request)
    incident = _visible(request, incident_id)
    version = versioning.expected_version(request, payload.version)
    try:
        with transaction.atomic():
            incident = services.assess_significance(
                user,
                incident,
                payload.entity_type,
                payload.facts,
                override="significant" if payload.decide_significant else "",
                override_reason=payload.reason,
                version=version,
            )
    except Exception as exc:  # noqa: BLE001
        error = _translate(exc)
        return Status(error.status, _error(error.message, error.fields))
    versioning.set_etag(response, incident)
    return Status(200, _incident_out(incident))


@router.post(
    "/incidents/{incident_id}/reports",
    response={201: ReportOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Submit a report stage (frozen version); Idempotency-Key supported",
)
def submit(
    request: HttpRequest,
    incident_id: UUID,
    payload: ReportIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> Any:
    user = _subject(request)
    incident = _visible(request, incident_id)

    def action() -> Any:
        files = _attachments(payload.attachments)
        answers = payload.answers
        if payload.stage != "voluntary":
            answers = {**answer_rules.prefill(incident, payload.stage, user), **answers}
        report = services.submit_report(user, incident, payload.stage, answers, files)
        return _json_safe(_report_out(report))

    return _idempotent(request, idempotency_key, {"incident": str(incident_id), **payload.model_dump()}, action)


@router.post(
    "/early-warnings",
    response={201: ReportOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Create an incident, assess significance and submit the early warning in one request",
)
def early_warning(
    request: HttpRequest, payload: EarlyWarningIn, idempotency_key: str | None = Header(None, alias="Idempotency-Key")
) -> Any:
    user = _subject(request)

    def action() -> Any:
        files = _attachments(payload.attachments)
        sig = payload.significance
        try:
            report = services.report_early_warning(
                user,
                user.organisation,
                payload.incident.model_dump(),
                sig.entity_type,
                sig.facts,
                payload.answers,
                files,
                override="significant" if sig.decide_significant else "",
                override_reason=sig.reason,
            )
        except services.ServiceError as exc:
            if exc.field in IncidentIn.model_fields:
                raise ApiError(exc.message, [f"incident.{exc.field}"]) from None
            raise
        return _json_safe(_report_out(report))

    return _idempotent(request, idempotency_key, payload.model_dump(), action)


@router.get("/reports/{report_id}", response={200: dict, 404: ErrorOut}, summary="A frozen report version")
def get_report(request: HttpRequest, report_id: int) -> Any:
    from kiber.audit.services import record

    try:
        report = selectors.get_report(request.user, report_id)
    except Http404:
        return Status(404, _error("report not found", ["report_id"]))
    record(request.user, "read", report, organisation_id=report.incident.organisation_id, changes={"via": "api"})
    return {**_report_out(report), "snapshot": report.snapshot}
