"""The only place that writes plans data: one function per business action, each audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiber import documents, versioning
from kiber.audit.services import record
from kiber.plans.choices import Progress, ReportState, Status
from kiber.plans.models import (
    Institution,
    InstitutionMember,
    Plan,
    ProgressReport,
    ReportingRound,
    ReportVersion,
    Task,
)
from kiber.registry.models import User
from kiber.rules.registry import evaluate


class PlansError(Exception):
    """A business rule refused the action (shown to the user, 422 on the API)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class StatusResult:
    status: str  # "" when it cannot be computed (progress not stated or deadline unknown)
    basis: list[str]


def compute_status(task: Task, as_of: date, progress: str | None, work_ongoing: bool, relevant: bool) -> StatusResult:
    """The status of ``task`` by the ``action-plan-status`` rule (never reimplemented here)."""
    if progress is None:
        return StatusResult("", [])
    deadline = task.rule_deadline()
    if deadline is None:
        # Without a deadline the rule cannot tell "not started" from "not completed"; it can still
        # decide the statuses that do not depend on the deadline.
        if progress == Progress.DONE or not relevant or work_ongoing:
            deadline = "Pastāvīgi"
        else:
            return StatusResult("", [])
    output = evaluate(
        "action-plan-status",
        {"deadline": deadline, "as_of": as_of.isoformat(), "progress": progress,
         "work_ongoing": work_ongoing, "relevant": relevant},
    )
    return StatusResult(output["status"], list(output.get("basis", [])))


def refresh_status(report: ProgressReport) -> None:
    result = compute_status(report.task, report.round.as_of, report.progress, report.work_ongoing, report.relevant)
    report.computed_status, report.status_basis = result.status, result.basis


def _require_open(round: ReportingRound) -> None:
    if not round.is_open:
        raise PlansError(_("Ziņošanas kārta ir slēgta."), "round")


REPORT_FIELDS = ("progress", "work_ongoing", "relevant", "continues", "description", "challenges")


def _snapshot(report: ProgressReport) -> dict[str, Any]:
    return {
        "plan": report.round.plan.code,
        "round": report.round.title,
        "as_of": report.round.as_of.isoformat(),
        "task": report.task.number,
        "institution": report.institution.abbreviation if report.institution else None,
        **{name: getattr(report, name) for name in REPORT_FIELDS},
        "computed_status": report.computed_status,
        "status_basis": report.status_basis,
    }


@transaction.atomic
def save_progress(user: User, round: ReportingRound, task: Task, data: dict[str, Any],
                  submit: bool = False) -> ProgressReport:
    """A responsible institution's user records (and optionally submits) progress on one task.

    Compare-and-set on ``data["version"]``, the report's version the user saw (``versioning.NEW``: none
    yet); a stale one raises ``StaleVersion`` and nothing is saved.
    """
    from kiber.plans.selectors import can_report

    _require_open(round)
    if task.plan_id != round.plan_id:
        raise PlansError(_("Uzdevums nepieder šim plānam."), "task")
    if not can_report(user, task, round):
        raise PlansError(_("Jūs nevarat ziņot par šo uzdevumu."), "task")
    report, created = _report_for_update(round, task)
    before = {name: getattr(report, name) for name in REPORT_FIELDS}
    for name in REPORT_FIELDS:
        if name in data:
            setattr(report, name, data[name])
    if report.progress not in Progress.values:
        raise PlansError(_("Norādiet izpildes pakāpi."), "progress")
    from kiber.plans.selectors import member_of

    report.institution = member_of(user).institution  # type: ignore[union-attr]
    report.updated_by = user
    refresh_status(report)
    report.state = ReportState.DRAFT
    versioning.save_or_create(report, versioning.expected(data))
    record(user, "create" if created else "update", report,
           changes={name: [before[name], getattr(report, name)] for name in REPORT_FIELDS
                    if before[name] != getattr(report, name)} | {"status": report.status})
    if submit:
        submit_report(user, report)
    return report


def _report_for_update(round: ReportingRound, task: Task) -> tuple[ProgressReport, bool]:
    """The task's report in the round, locked, or a new unsaved one (True); the task row is locked first so
    that two first saves of the same report wait for each other instead of both inserting."""
    Task.objects.select_for_update().filter(pk=task.pk).first()
    report = ProgressReport.objects.select_for_update().filter(round=round, task=task).first()
    if report is None:
        return ProgressReport(round=round, task=task), True
    return report, False


@transaction.atomic
def submit_report(user: User, report: ProgressReport, version: int | None = None) -> ReportVersion:
    """Freeze the report as a new version (JSON snapshot + SHA-256); corrections are new versions.

    ``version``: the report's version the user saw; a stale one raises ``StaleVersion``.
    """
    from kiber.plans.selectors import can_report

    _require_open(report.round)
    if not can_report(user, report.task, report.round):
        raise PlansError(_("Jūs nevarat ziņot par šo uzdevumu."), "task")
    if report.progress is None:
        raise PlansError(_("Norādiet izpildes pakāpi."), "progress")
    snapshot = _snapshot(report)
    digest = documents.digest(snapshot)
    now = timezone.now()
    number = report.versions.count() + 1
    frozen = ReportVersion.objects.create(report=report, number=number, snapshot=snapshot, sha256=digest,
                                          submitted_by=user, submitted_at=now)
    report.state, report.submitted_at = ReportState.SUBMITTED, now
    report.reviewed_by, report.reviewed_at = None, None
    versioning.save(report, version, update_fields=["state", "submitted_at", "reviewed_by", "reviewed_at"])
    record(user, "submit", report, changes={"version": number, "sha256": digest, "status": report.status})
    return frozen


@transaction.atomic
def review_report(user: User, report: ProgressReport, version: int | None = None) -> ProgressReport:
    from kiber.plans.selectors import is_coordinator

    if not is_coordinator(user, report.round.plan):
        raise PlansError(_("Tikai koordinators var pārskatīt ziņojumus."))
    _require_open(report.round)
    if report.state != ReportState.SUBMITTED:
        raise PlansError(_("Pārskatīt var tikai iesniegtu ziņojumu."))
    report.state, report.reviewed_by, report.reviewed_at = ReportState.REVIEWED, user, timezone.now()
    versioning.save(report, version, update_fields=["state", "reviewed_by", "reviewed_at"])
    record(user, "review", report)
    return report


@transaction.atomic
def override_status(
    user: User, round: ReportingRound, task: Task, status: str, reason: str, version: int | None = None
) -> ProgressReport:
    """The coordinator sets the status by hand, with a recorded reason ('' status clears the override).

    ``version``: the report's version the coordinator saw (``versioning.NEW``: none yet); stale raises.
    """
    from kiber.plans.selectors import is_coordinator

    if not is_coordinator(user, round.plan):
        raise PlansError(_("Tikai koordinators var noteikt statusu."))
    _require_open(round)
    if status and status not in Status.values:
        raise PlansError(_("Nezināms statuss."), "status")
    if status and not reason.strip():
        raise PlansError(_("Norādiet pamatojumu."), "reason")
    report, _created = _report_for_update(round, task)
    before = [report.override_status, report.override_reason]
    report.override_status, report.override_reason = status, reason.strip() if status else ""
    report.overridden_by, report.overridden_at = (user, timezone.now()) if status else (None, None)
    versioning.save_or_create(report, version)
    record(user, "override", report, changes={"override_status": [before[0], status],
                                             "override_reason": [before[1], report.override_reason]})
    return report


@transaction.atomic
def open_round(user: User, plan: Plan, title: str, as_of: date) -> ReportingRound:
    from kiber.plans.selectors import is_coordinator

    if not is_coordinator(user, plan):
        raise PlansError(_("Tikai koordinators var atvērt ziņošanas kārtu."))
    if plan.rounds.filter(closed_at__isnull=True).exists():
        raise PlansError(_("Plānam jau ir atvērta ziņošanas kārta."))
    round = ReportingRound.objects.create(plan=plan, title=title, as_of=as_of)
    record(user, "create", round, changes={"title": title, "as_of": as_of})
    return round


@transaction.atomic
def close_round(user: User, round: ReportingRound) -> ReportingRound:
    from kiber.plans.selectors import is_coordinator

    if not is_coordinator(user, round.plan):
        raise PlansError(_("Tikai koordinators var slēgt ziņošanas kārtu."))
    _require_open(round)
    round.closed_at, round.closed_by = timezone.now(), user
    round.save(update_fields=["closed_at", "closed_by"])
    record(user, "close", round)
    return round


@transaction.atomic
def add_member(actor: User | None, user: User, institution: Institution, is_coordinator: bool = False
               ) -> InstitutionMember:
    member, _created = InstitutionMember.objects.update_or_create(
        user=user, defaults={"institution": institution, "is_coordinator": is_coordinator}
    )
    record(actor, "update", member, changes={"institution": institution.abbreviation,
                                             "is_coordinator": is_coordinator})
    return member
