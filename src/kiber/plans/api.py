"""``/api/v1/plans/``: plans, tasks, progress reports and progress submission.

Reads go through ``selectors`` (404 for users who may not see plans); writes through ``services``.
Bad input gives 422 with field paths (Ninja validation: ``detail[].loc``); a refused business
action gives 403 (not your task) or 409 (round closed) and saves nothing. A progress report carries a
``version`` (also the ``ETag`` of progress and submit); ``If-Match`` (or a ``version`` field; 0: no report
yet) naming another version than the stored one is refused with 412 and changes nothing (``kiber.versioning``).
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import ConfigDict, Field

from kiber import versioning
from kiber.plans import selectors, services
from kiber.plans.models import Plan, ProgressReport, ReportingRound
from kiber.plans.selectors import TaskRow

router = Router(tags=["plans"])


class InstitutionOut(Schema):
    abbreviation: str
    name: str


class RoundOut(Schema):
    id: int
    title: str
    as_of: date
    is_open: bool


class PlanOut(Schema):
    code: str
    kind: str
    title: str
    period_start: int
    period_end: int
    owner: InstitutionOut
    legal_basis: str
    rounds: list[RoundOut]


class ReportOut(Schema):
    task: str
    round_id: int
    institution: str | None
    progress: str | None
    work_ongoing: bool
    relevant: bool
    continues: bool
    description: str
    challenges: str
    state: str
    computed_status: str
    override_status: str
    override_reason: str
    status: str
    status_basis: list[str]
    versions: int
    version: int


class TaskOut(Schema):
    number: str
    table: int
    section: str | None
    text: str
    deadline_text: str | None
    deadline_kind: str
    deadline_date: date | None
    responsible_text: str | None
    involved_text: str | None
    responsible: list[str]
    involved: list[str]
    funding_needed_text: str | None
    funding_granted_text: str | None
    funding_needed_eur: float | None
    funding_granted_eur: float | None
    priority: str
    prerequisites: str
    depends_on: list[str]
    status: str
    overdue: bool
    at_risk: bool
    can_report: bool


class ProgressIn(Schema):
    model_config = ConfigDict(extra="forbid")

    progress: Literal["none", "partial", "done"]
    work_ongoing: bool = Field(default=False, strict=True)
    relevant: bool = Field(default=True, strict=True)
    continues: bool = Field(default=False, strict=True)
    description: str = Field(default="", max_length=20000)
    challenges: str = Field(default="", max_length=20000)
    submit: bool = Field(default=False, strict=True)
    version: int | None = Field(default=None, description="The report's version read, 0 for none (or If-Match)")


def _plan_out(plan: Plan) -> PlanOut:
    return PlanOut(
        code=plan.code, kind=plan.kind, title=plan.title, period_start=plan.period_start,
        period_end=plan.period_end, owner=InstitutionOut(abbreviation=plan.owner.abbreviation, name=plan.owner.name),
        legal_basis=plan.legal_basis,
        rounds=[RoundOut(id=r.pk, title=r.title, as_of=r.as_of, is_open=r.is_open) for r in plan.rounds.all()],
    )


def _report_out(report: ProgressReport) -> ReportOut:
    return ReportOut(
        task=report.task.number, round_id=report.round_id,
        institution=report.institution.abbreviation if report.institution else None,
        progress=report.progress, work_ongoing=report.work_ongoing, relevant=report.relevant,
        continues=report.continues, description=report.description, challenges=report.challenges,
        state=report.state, computed_status=report.computed_status, override_status=report.override_status,
        override_reason=report.override_reason, status=report.status, status_basis=report.status_basis,
        versions=report.versions.count(), version=report.version,
    )


def _task_out(row: TaskRow) -> TaskOut:
    task = row.task
    return TaskOut(
        number=task.number, table=task.direction.number, section=str(task.section) if task.section else None,
        text=task.text, deadline_text=task.deadline_text, deadline_kind=task.deadline_kind,
        deadline_date=task.deadline_date, responsible_text=task.responsible_text, involved_text=task.involved_text,
        responsible=[i.abbreviation for i in row.responsible], involved=[i.abbreviation for i in row.involved],
        funding_needed_text=task.funding_needed_text, funding_granted_text=task.funding_granted_text,
        funding_needed_eur=float(task.funding_needed_eur) if task.funding_needed_eur is not None else None,
        funding_granted_eur=float(task.funding_granted_eur) if task.funding_granted_eur is not None else None,
        priority=task.priority, prerequisites=task.prerequisites,
        depends_on=[d.number for d in task.depends_on.all()], status=row.status, overdue=row.overdue,
        at_risk=row.at_risk, can_report=row.can_report,
    )


def _round(plan: Plan, round_id: int) -> ReportingRound:
    found = selectors.get_round(plan, round_id)
    if found is None:
        raise Http404
    return found


@router.get("/plans", response=list[PlanOut], summary="Plans the user may read")
def list_plans(request: HttpRequest) -> list[PlanOut]:
    return [_plan_out(plan) for plan in selectors.visible_plans(request.user).prefetch_related("rounds")]  # type: ignore[arg-type]


@router.get("/plans/{code}", response=PlanOut)
def get_plan(request: HttpRequest, code: str) -> PlanOut:
    return _plan_out(selectors.get_plan(request.user, code))  # type: ignore[arg-type]


@router.get("/plans/{code}/tasks", response=list[TaskOut],
            summary="Tasks with their status in a round (default: the open or latest round) and flags")
def list_tasks(request: HttpRequest, code: str, round_id: int | None = None) -> list[TaskOut]:
    plan = selectors.get_plan(request.user, code)  # type: ignore[arg-type]
    round = selectors.get_round(plan, round_id)
    return [_task_out(row) for row in selectors.task_rows(request.user, plan, round)]  # type: ignore[arg-type]


@router.get("/plans/{code}/rounds/{round_id}/reports", response=list[ReportOut])
def list_reports(request: HttpRequest, code: str, round_id: int) -> list[ReportOut]:
    plan = selectors.get_plan(request.user, code)  # type: ignore[arg-type]
    round = _round(plan, round_id)
    rows = selectors.task_rows(request.user, plan, round)  # type: ignore[arg-type]
    return [_report_out(row.report) for row in rows if row.report is not None]


def _act(
    request: HttpRequest, response: HttpResponse, code: str, round_id: int, number: str, payload: ProgressIn | None
) -> ReportOut:
    plan = selectors.get_plan(request.user, code)  # type: ignore[arg-type]
    round = _round(plan, round_id)
    task = selectors.get_task(request.user, plan, number)  # type: ignore[arg-type]
    if not round.is_open:
        raise HttpError(409, _("Ziņošanas kārta ir slēgta."))
    if not selectors.can_report(request.user, task, round):  # type: ignore[arg-type]
        raise HttpError(403, _("Jūs nevarat ziņot par šo uzdevumu."))
    try:
        if payload is not None:
            data = versioning.with_version(request, payload.model_dump())
            submit = data.pop("submit")
            report = services.save_progress(request.user, round, task, data, submit=submit)  # type: ignore[arg-type]
        else:
            report = round.reports.filter(task=task).first()
            if report is None:
                raise HttpError(422, _("Vispirms saglabājiet ziņojumu."))
            services.submit_report(request.user, report, versioning.expected_version(request))  # type: ignore[arg-type]
    except services.PlansError as exc:
        raise HttpError(422, exc.message) from exc
    report.refresh_from_db()
    versioning.set_etag(response, report)
    return _report_out(report)


@router.post("/plans/{code}/rounds/{round_id}/tasks/{number}/progress", response=ReportOut,
             summary="Record progress on a task (optionally submit); 422 on bad input, 403 if not your task")
def save_progress(
    request: HttpRequest, response: HttpResponse, code: str, round_id: int, number: str, payload: ProgressIn
) -> ReportOut:
    return _act(request, response, code, round_id, number, payload)


@router.post("/plans/{code}/rounds/{round_id}/tasks/{number}/submit", response=ReportOut,
             summary="Submit the saved progress report: freezes a version (snapshot + SHA-256)")
def submit_progress(request: HttpRequest, response: HttpResponse, code: str, round_id: int, number: str) -> ReportOut:
    return _act(request, response, code, round_id, number, None)
