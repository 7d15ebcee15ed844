"""Compliance API at /api/v1/compliance: requirements, applicability, self-assessments, answers, submit, review.

Scoped like the pages (another organisation's assessment is 404). Bad input answers 422 with Ninja's
error body ``{"detail": [{"loc": ["body", "payload", <field path>...], "msg": ..., "type": ...}]}``;
nothing is saved then.

Answers carry a ``version`` (the items of ``GET /assessments/{id}``; 0: not answered yet) and ``PUT
/answers`` answers with it as ``ETag``. A PUT with ``If-Match`` (or a ``version`` field) naming another
version than the stored one is refused with 412 and changes nothing (``kiber.versioning``); without
either, it applies to the current answer.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field

from kiber import versioning
from kiber.assets.models import InformationSystem
from kiber.compliance import selectors, services
from kiber.compliance.applicability import applicable_items, describe
from kiber.compliance.models import Assessment, AssessmentVersion, Requirement
from kiber.registry.models import User
from kiber.registry.scoping import visible_organisations

router = Router(tags=["compliance"])


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not selectors.can_use(user):
        raise Http404
    return user


def _errors(exc: ValidationError) -> NinjaValidationError:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return NinjaValidationError(
        [
            {
                "type": "value_error",
                "loc": ["body", "payload"] + ([] if field == "__all__" else field.split(".")),
                "msg": message,
            }
            for field, messages in errors.items()
            for message in messages
        ]
    )


class RequirementOut(Schema):
    id: str
    point: str
    version: int
    chapter: int
    section: str
    section_title_lv: str
    lead_lv: str
    text_lv: str
    lead_en: str
    text_en: str
    tiers: list[str]
    classes: list[str]
    class_basis: str
    per_system: bool
    conditions: list[dict[str, Any]]
    evidence: list[str]


def _requirement(r: Requirement) -> dict[str, Any]:
    return {
        "id": r.ref, "point": r.point, "version": r.version, "chapter": r.chapter_number,
        "section": r.section_number, "section_title_lv": r.section_title_lv, "lead_lv": r.lead_lv,
        "text_lv": r.text_lv, "lead_en": r.lead_en, "text_en": r.text_en, "tiers": r.tiers,
        "classes": r.classes, "class_basis": r.class_basis, "per_system": r.per_system,
        "conditions": r.conditions, "evidence": r.evidence,
    }


@router.get("/requirements", response=list[RequirementOut])
def list_requirements(request: HttpRequest, section: str | None = None) -> list[dict[str, Any]]:
    """The requirement catalogue (22-TA-3183 chapters 3–5) as loaded in the database."""
    _user(request)
    queryset = selectors.requirements()
    if section:
        queryset = queryset.filter(section_number=section)
    return [_requirement(r) for r in queryset]


class ApplicableOut(Schema):
    key: str
    requirement: str
    point: str
    section: str
    system_id: int | None
    system: str
    applicability: dict[str, Any]


@router.get("/applicable", response=list[ApplicableOut])
def applicable(request: HttpRequest, organisation: int | None = None) -> list[dict[str, Any]]:
    """The requirements that apply to the caller's subject (supervisors: ``?organisation=<id>`` in scope)."""
    user = _user(request)
    if selectors.is_subject(user):
        target = user.organisation
    else:
        if organisation is None:
            raise NinjaValidationError([{"type": "missing", "loc": ["query", "organisation"], "msg": "required"}])
        target = get_object_or_404(visible_organisations(user), pk=organisation)
    return [
        {
            "key": item.key, "requirement": item.requirement.ref, "point": item.requirement.point,
            "section": item.requirement.section_number, "system_id": item.system.pk if item.system else None,
            "system": item.system.name if item.system else "", "applicability": describe(item),
        }
        for item in applicable_items(target)  # type: ignore[arg-type]
    ]


class AssessmentOut(Schema):
    id: int
    organisation: int
    organisation_name: str
    year: int
    due_date: date
    due_basis: list[str]
    status: str
    latest_version: int


def _assessment(a: Assessment) -> dict[str, Any]:
    return {
        "id": a.pk, "organisation": a.organisation_id, "organisation_name": a.organisation.name, "year": a.year,
        "due_date": a.due_date, "due_basis": a.due_basis, "status": a.status, "latest_version": a.latest_version,
    }


@router.get("/assessments", response=list[AssessmentOut])
def list_assessments(request: HttpRequest) -> list[dict[str, Any]]:
    user = _user(request)
    return [_assessment(a) for a in selectors.assessments(user).order_by("-year", "organisation__name")[:500]]


@router.post("/assessments", response={201: AssessmentOut})
def start(request: HttpRequest) -> tuple[int, dict[str, Any]]:
    """Open the self-assessment for the subject's next due year (``self-assessment-due`` rule)."""
    user = _user(request)
    if not selectors.is_subject(user) or not user.can_edit_subject:
        raise HttpError(403, "only the subject's administrator or cybersecurity manager may do this")
    return 201, _assessment(services.start_assessment(user, user.organisation))  # type: ignore[arg-type]


class ItemOut(Schema):
    key: str
    requirement: str
    point: str
    section: str
    system_id: int | None
    system: str
    status: str
    outdated: bool
    comment: str
    justification: str
    gap_owner: str
    target_date: date | None
    evidence: list[dict[str, Any]]
    version: int | None = Field(None, description="The answer's version for If-Match (0: none yet; subjects only)")


class AssessmentDetailOut(AssessmentOut):
    overall: float | None
    sections: dict[str, float | None]
    items: list[ItemOut]


@router.get("/assessments/{assessment_id}", response=AssessmentDetailOut)
def get_assessment(request: HttpRequest, assessment_id: int) -> dict[str, Any]:
    """A subject sees its working copy; a supervisor sees the latest submitted version."""
    user = _user(request)
    found = selectors.get_assessment(user, assessment_id)
    services.record_read(user, found, found.organisation_id, "api")
    if selectors.is_supervisor(user):
        snapshot = selectors.get_version(user, found.pk, found.latest_version).snapshot
    else:
        rows = services.working_items(found)
        snapshot = services.build_snapshot(found, rows, services.working_scores(rows))
        outdated = {row.key for row in rows if row.answer is not None and not row.answered}
        versions = {row.key: row.answer.version if row.answer else versioning.NEW for row in rows}
    items = []
    subject = selectors.is_subject(user)
    for item in snapshot["items"]:
        items.append({
            **item,
            "outdated": subject and item["key"] in outdated,
            "version": versions.get(item["key"]) if subject else None,
        })
    return {
        **_assessment(found),
        "overall": snapshot["scoring"]["overall"],
        "sections": {k: v["score"] for k, v in snapshot["scoring"]["sections"].items()},
        "items": items,
    }


class AnswerIn(Schema):
    requirement: str = Field(description='Requirement id, e.g. "22-TA-3183:53.1"')
    system_id: int | None = None
    status: Literal["implemented", "partial", "not_implemented", "not_applicable"]
    comment: str = Field("", max_length=10000)
    justification: str = Field("", max_length=10000)
    gap_owner: str = Field("", max_length=200)
    target_date: date | None = None
    version: int | None = Field(None, description="The version read, 0 for a new answer (or If-Match); stale: 412")


class AnswerOut(Schema):
    id: int
    requirement: str
    system_id: int | None
    status: str
    comment: str
    justification: str
    gap_owner: str
    target_date: date | None
    requirement_version: int
    version: int


@router.put("/assessments/{assessment_id}/answers", response=AnswerOut)
def put_answer(request: HttpRequest, assessment_id: int, payload: AnswerIn, response: HttpResponse) -> dict[str, Any]:
    """Create or update the answer to one applicable item (If-Match: the version read; 412 if stale)."""
    user = _user(request)
    found = selectors.get_editable_assessment(user, assessment_id)
    requirement = Requirement.objects.filter(ref=payload.requirement, active=True).first()
    if requirement is None:
        raise NinjaValidationError(
            [{"type": "value_error", "loc": ["body", "payload", "requirement"], "msg": "unknown requirement"}]
        )
    system = None
    if payload.system_id is not None:
        system = InformationSystem.objects.filter(pk=payload.system_id, organisation_id=found.organisation_id).first()
        if system is None:
            raise NinjaValidationError(
                [{"type": "value_error", "loc": ["body", "payload", "system_id"],
                  "msg": "no such system of this subject"}]
            )
    try:
        data = versioning.with_version(request, payload.model_dump())
        answer = services.save_answer(user, found, requirement, system, data)
    except ValidationError as exc:
        raise _errors(exc) from None
    versioning.set_etag(response, answer)
    return {
        "id": answer.pk, "requirement": requirement.ref, "system_id": answer.system_id, "status": answer.status,
        "comment": answer.comment, "justification": answer.justification, "gap_owner": answer.gap_owner,
        "target_date": answer.target_date, "requirement_version": answer.requirement_version,
        "version": answer.version,
    }


class VersionOut(Schema):
    assessment: int
    number: int
    sha256: str
    submitted_at: datetime
    overall: float | None
    sections: dict[str, float | None]
    restricted: bool
    recipients: list[str]
    reviews: list[dict[str, Any]]


def _version(v: AssessmentVersion) -> dict[str, Any]:
    return {
        "assessment": v.assessment_id, "number": v.number, "sha256": v.sha256, "submitted_at": v.submitted_at,
        "overall": v.overall_score, "sections": v.section_scores, "restricted": v.restricted,
        "recipients": [d.recipient for d in v.deliveries.all()],
        "reviews": [
            {"decision": r.decision, "comment": r.comment, "decided_at": r.decided_at.isoformat(),
             "item_comments": {c.item_key: c.comment for c in r.comments.all()}}
            for r in v.reviews.all()
        ],
    }


@router.post("/assessments/{assessment_id}/submit", response={201: VersionOut})
def submit(request: HttpRequest, assessment_id: int) -> tuple[int, dict[str, Any]]:
    """Freeze a version and send it to NKC (and SAB for a CI owner); 422 lists unanswered items."""
    user = _user(request)
    found = selectors.get_editable_assessment(user, assessment_id)
    if not user.can_edit_subject:
        raise HttpError(403, "only the subject's administrator or cybersecurity manager may submit")
    try:
        version = services.submit_assessment(user, found)
    except ValidationError as exc:
        raise _errors(exc) from None
    return 201, _version(version)


@router.get("/assessments/{assessment_id}/versions/{number}", response=VersionOut)
def get_version(request: HttpRequest, assessment_id: int, number: int) -> dict[str, Any]:
    user = _user(request)
    found = selectors.get_version(user, assessment_id, number)
    services.record_read(user, found, found.organisation_id, "api")
    return _version(found)


class ReviewIn(Schema):
    decision: Literal["accepted", "revision_required"]
    comment: str = Field("", max_length=10000)
    item_comments: dict[str, str] = Field(default_factory=dict)


@router.post("/assessments/{assessment_id}/versions/{number}/review", response={201: VersionOut})
def review(request: HttpRequest, assessment_id: int, number: int, payload: ReviewIn) -> tuple[int, dict[str, Any]]:
    """The NKC supervisor's decision on the latest submitted version."""
    user = _user(request)
    found = selectors.get_version(user, assessment_id, number)
    if not selectors.can_review(user):
        raise HttpError(403, "only an NKC supervisor reviews self-assessments")
    try:
        services.review_version(user, found, payload.decision, payload.comment, payload.item_comments)
    except ValidationError as exc:
        raise _errors(exc) from None
    return 201, _version(found)
