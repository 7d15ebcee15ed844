"""Scoped reads of plans data. Every view, API endpoint and export reads through these functions.

Who sees what (plans are state coordination documents, not subject-owned data, so the registry's
``scope`` does not apply; this module is the plans app's one scoping mechanism):

- platform admins and supervisors (NKC, SAB, CSIRT) read every plan; platform admins coordinate all;
- a user linked to an institution (InstitutionMember) reads every plan and reports for the tasks
  whose responsible institution is its own, in the open round; a coordinator member of the
  institution that owns a plan coordinates that plan's rounds;
- anyone else (e.g. a subject user without an institution) sees nothing: 404 everywhere.

In an open round a progress report that has not been submitted yet is visible only to its
institution and the coordinator; submitted and closed-round reports are visible to every reader.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from kiber.plans.choices import STATUS_BADGE, InstitutionKind, ReportState, Status, TaskRole
from kiber.plans.models import (
    Institution,
    InstitutionMember,
    Plan,
    ProgressReport,
    ReportingRound,
    Task,
    TaskInstitution,
)
from kiber.registry.choices import Role
from kiber.registry.models import User

READER_ROLES = {Role.PLATFORM_ADMIN, Role.NKC_SUPERVISOR, Role.SAB_OFFICER, Role.CSIRT_ANALYST}
AT_RISK_DAYS = 92  # "deadline within the next quarter"
DONE_STATUSES = {Status.COMPLETED, Status.NO_LONGER_RELEVANT}


def member_of(user: User) -> InstitutionMember | None:
    if not user.is_authenticated:
        return None
    try:
        return InstitutionMember.objects.select_related("institution").get(user=user)
    except InstitutionMember.DoesNotExist:
        return None


def can_view_plans(user: User) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.role in READER_ROLES or member_of(user) is not None


def visible_plans(user: User) -> QuerySet[Plan]:
    if not can_view_plans(user):
        return Plan.objects.none()
    return Plan.objects.select_related("owner")


def get_plan(user: User, code: str) -> Plan:
    plan = visible_plans(user).filter(code=code).first()
    if plan is None:
        raise Http404
    return plan


def is_coordinator(user: User, plan: Plan) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role == Role.PLATFORM_ADMIN:
        return True
    member = member_of(user)
    return member is not None and member.is_coordinator and member.institution_id == plan.owner_id


def responsible_ids(task: Task) -> set[int]:
    return {link.institution_id for link in task.links.all() if link.role == TaskRole.RESPONSIBLE}


def has_concrete_responsible(task: Task) -> bool:
    return any(link.role == TaskRole.RESPONSIBLE and link.institution.kind != InstitutionKind.GROUP
               for link in task.links.all())


def can_report(user: User, task: Task, round: ReportingRound) -> bool:
    """The user's institution is responsible for ``task`` and the round is open. Tasks without a
    concrete responsible institution ("Ministrijas", "Noteiks MK noteikumi.") are reported by the
    plan's coordinator."""
    if not round.is_open or task.plan_id != round.plan_id:
        return False
    member = member_of(user)
    if member is None:
        return False
    if member.institution_id in responsible_ids(task):
        return True
    return member.is_coordinator and member.institution_id == round.plan.owner_id and not has_concrete_responsible(
        task)


def report_visible(user: User, report: ProgressReport, coordinator: bool, member: InstitutionMember | None) -> bool:
    if not report.round.is_open or coordinator:
        return True
    if report.state in (ReportState.SUBMITTED, ReportState.REVIEWED):
        return True
    return member is not None and report.institution_id == member.institution_id


def tasks_of(plan: Plan) -> QuerySet[Task]:
    links = TaskInstitution.objects.select_related("institution").order_by("role", "order")
    return (
        plan.tasks.select_related("direction", "section")
        .prefetch_related(Prefetch("links", queryset=links), "depends_on")
        .order_by("sort_key")
    )


def current_round(plan: Plan) -> ReportingRound | None:
    return plan.rounds.filter(closed_at__isnull=True).first() or plan.rounds.order_by("-as_of").first()


def get_round(plan: Plan, round_id: int | None) -> ReportingRound | None:
    if round_id is None:
        return current_round(plan)
    found = plan.rounds.filter(pk=round_id).first()
    if found is None:
        raise Http404
    return found


def reference_date(round: ReportingRound | None, today: date | None = None) -> date:
    """Flags are computed against today while a round is open, against its as-of date once closed."""
    today = today or timezone.localdate()
    if round is None or round.is_open:
        return today
    return round.as_of


@dataclass
class TaskRow:
    task: Task
    report: ProgressReport | None
    status: str
    overdue: bool = False
    at_risk: bool = False
    can_report: bool = False
    responsible: list[Institution] = field(default_factory=list)
    involved: list[Institution] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return Status(self.status).label if self.status else ""

    @property
    def status_badge(self) -> str:
        return STATUS_BADGE.get(self.status, "")


def flags(task: Task, status: str, ref: date) -> tuple[bool, bool]:
    """(overdue, at risk): not done or dropped, and the deadline passed / falls within the next quarter."""
    if status in DONE_STATUSES or task.deadline_date is None:
        return False, False
    if task.deadline_date < ref:
        return True, False
    return False, task.deadline_date <= ref + timedelta(days=AT_RISK_DAYS)


def task_rows(user: User, plan: Plan, round: ReportingRound | None, today: date | None = None,
              tasks: QuerySet[Task] | None = None) -> list[TaskRow]:
    coordinator = is_coordinator(user, plan)
    member = member_of(user)
    reports: dict[int, ProgressReport] = {}
    if round is not None:
        for report in round.reports.select_related("institution", "round"):
            if report_visible(user, report, coordinator, member):
                reports[report.task_id] = report
    ref = reference_date(round, today)
    rows = []
    for task in tasks if tasks is not None else tasks_of(plan):
        report = reports.get(task.pk)
        status = report.status if report else ""
        overdue, at_risk = flags(task, status, ref)
        rows.append(TaskRow(
            task=task, report=report, status=status, overdue=overdue, at_risk=at_risk,
            can_report=round is not None and can_report(user, task, round),
            responsible=task.responsible_institutions, involved=task.involved_institutions,
        ))
    return rows


def my_rows(user: User, plan: Plan, round: ReportingRound, today: date | None = None) -> list[TaskRow]:
    return [row for row in task_rows(user, plan, round, today) if row.can_report]


@dataclass
class Outstanding:
    institution: str
    tasks: list[Task]


def outstanding(plan: Plan, round: ReportingRound) -> list[Outstanding]:
    """Per responsible institution, the tasks with no submitted report yet (coordinator's view)."""
    submitted = set(round.reports.filter(state__in=[ReportState.SUBMITTED, ReportState.REVIEWED])
                    .values_list("task_id", flat=True))
    overridden = set(round.reports.exclude(override_status="").values_list("task_id", flat=True))
    waiting: dict[str, list[Task]] = defaultdict(list)
    for task in tasks_of(plan):
        if task.pk in submitted or task.pk in overridden:
            continue
        names = [i.abbreviation for i in task.responsible_institutions] or [task.responsible_text or "—"]
        waiting[", ".join(names)].append(task)
    return [Outstanding(name, tasks) for name, tasks in sorted(waiting.items())]


def round_reports(round: ReportingRound) -> QuerySet[ProgressReport]:
    return round.reports.select_related("task", "institution", "overridden_by", "reviewed_by").order_by(
        "task__sort_key")


@dataclass
class Statistics:
    total: int
    by_status: list[tuple[str, str, int]]  # (code, label, count); code "" = no status
    by_direction: list[dict[str, Any]]
    by_institution: list[dict[str, Any]]
    overdue: int
    at_risk: int


def statistics(rows: list[TaskRow], plan: Plan) -> Statistics:
    codes = [s.value for s in Status] + [""]
    overall = Counter(row.status for row in rows)
    by_status = [(code, Status(code).label if code else "", overall[code]) for code in codes if overall[code]]
    per_direction: dict[int, Counter[str]] = defaultdict(Counter)
    titles: dict[int, str] = {}
    for row in rows:
        per_direction[row.task.direction.number][row.status] += 1
        titles[row.task.direction.number] = row.task.direction.title or ""
    by_direction = [{"number": n, "title": titles[n], "counts": per_direction[n],
                     "total": sum(per_direction[n].values())} for n in sorted(per_direction)]
    per_institution: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        for institution in row.responsible or []:
            per_institution[institution.abbreviation][row.status] += 1
    by_institution = [{"name": name, "counts": counts, "total": sum(counts.values())}
                      for name, counts in sorted(per_institution.items(), key=lambda kv: (-sum(kv[1].values()),
                                                                                         kv[0]))]
    return Statistics(
        total=len(rows), by_status=by_status, by_direction=by_direction, by_institution=by_institution,
        overdue=sum(row.overdue for row in rows), at_risk=sum(row.at_risk for row in rows),
    )


def get_task(user: User, plan: Plan, number: str) -> Task:
    task = tasks_of(plan).filter(number=number).first()
    if task is None:
        raise Http404
    return task
