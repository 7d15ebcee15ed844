"""``report-deadlines``: when each report of a significant incident is due (p. 122, NIS2 Art. 23(4)).

Draft p. 122 only refers to the deadlines of National Cybersecurity Law Art. 34 (2), (3), (5), (6);
the stages and periods are those of NIS2 Art. 23(4), as fixed by the contract:

- early warning: ``aware_at`` + 24 elapsed hours (Art. 23(4)(a));
- initial report (incident notification): ``aware_at`` + 72 elapsed hours, or + 24 hours where the
  incident impacts trust services (Art. 23(4)(b), trust-service derogation);
- final report: one calendar month in Europe/Riga after the initial report's submission, or while it
  is not submitted, after its due moment (Art. 23(4)(d));
- progress report: where the incident is known to be unresolved at that final-report moment, a
  progress report is due then and the final report one month after ``resolved_at`` (Art. 23(4)(e)).

Hours are elapsed hours: they are added to the instant (UTC), so a DST change does not move them
(aware 2025-03-29T12:00+02:00 + 24 h = 2025-03-30T13:00+03:00). Months are calendar months on the
Riga wall clock, clamped to the month's last day.

Decisions where the contract is open:

- One month after a Riga wall-clock time that does not exist (03:00-03:59 on the last Sunday of
  March) or exists twice (03:00-03:59 on the last Sunday of October) is resolved as PEP 495
  ``fold=0``: a missing time moves forward by the gap (03:30 -> 04:30+03:00), a repeated time is
  the first occurrence (summer time, +03:00).
- ``overdue`` is ``null`` when ``as_of`` is not given.
- A ``*_submitted_at`` earlier than ``aware_at`` is an input error (no report precedes awareness);
  ``resolved_at`` may be earlier (an incident found after it was already over).
- ``entity_type`` (the ``significance`` rule's list, default ``other``) does not change any period;
  only ``trust_service_impact`` does, as the contract says.
"""

from __future__ import annotations

import calendar
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BeforeValidator, Field, ValidationInfo, field_validator

from kiber.rules.base import RIGA, Rule, RuleInput, RuleInputError, RuleOutput, riga
from kiber.rules.significance import EntityType

Stage = Literal["early_warning", "initial_report", "progress_report", "final_report"]


def _datetime_text(value: Any) -> Any:
    """Datetimes come as ISO 8601 text (or datetime objects from Python), never as numbers."""
    if isinstance(value, datetime | str):
        return value
    raise ValueError("expected an ISO 8601 datetime with an offset")


RigaInstant = Annotated[AwareDatetime, BeforeValidator(_datetime_text)]
"""An aware datetime from ISO 8601 text; an offset is required."""


def add_months(moment: datetime, months: int) -> datetime:
    """Same day-of-month and Riga wall-clock time ``months`` calendar months later, clamped to the
    month's last day; the result is expressed in Europe/Riga with its offset."""
    local = riga(moment)
    index = local.month - 1 + months
    year, month = local.year + index // 12, index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    wall = local.replace(tzinfo=None, year=year, month=month, day=day, fold=0)
    # Round trip through UTC normalises a non-existent wall time (spring gap) to a real instant
    # (astimezone to the same tzinfo would be a no-op).
    return riga(wall.replace(tzinfo=RIGA).astimezone(UTC))


def one_month_after(moment: datetime) -> datetime:
    """ "One month after" per the contract: next calendar month in Riga, clamped to its last day."""
    return add_months(moment, 1)


def add_hours(moment: datetime, hours: int) -> datetime:
    """Elapsed hours (DST changes do not move them), expressed in Riga time."""
    # Added in UTC: aware arithmetic within one ZoneInfo would add wall-clock hours instead.
    return riga(moment.astimezone(UTC) + timedelta(hours=hours))


class ReportDeadlinesInput(RuleInput):
    aware_at: RigaInstant
    entity_type: EntityType = "other"
    trust_service_impact: Annotated[bool, Field(strict=True)] = False
    early_warning_submitted_at: RigaInstant | None = None
    initial_report_submitted_at: RigaInstant | None = None
    progress_report_submitted_at: RigaInstant | None = None
    final_report_submitted_at: RigaInstant | None = None
    resolved_at: RigaInstant | None = None
    as_of: RigaInstant | None = None

    @field_validator(
        "early_warning_submitted_at",
        "initial_report_submitted_at",
        "progress_report_submitted_at",
        "final_report_submitted_at",
    )
    @classmethod
    def _not_before_awareness(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        aware_at = info.data.get("aware_at")
        if value is not None and isinstance(aware_at, datetime) and value < aware_at:
            raise ValueError("a report cannot be submitted before aware_at")
        return value


class ReportDeadlinesOutput(RuleOutput):
    early_warning_due: datetime
    initial_report_due: datetime
    final_report_due: datetime | None
    progress_report_due: datetime | None
    overdue: list[Stage] | None


def report_deadlines(inp: ReportDeadlinesInput) -> ReportDeadlinesOutput:
    try:
        return _report_deadlines(inp)
    except (OverflowError, ValueError):
        raise RuleInputError("a deadline would fall past 9999-12-31", ["aware_at"]) from None


def _report_deadlines(inp: ReportDeadlinesInput) -> ReportDeadlinesOutput:
    basis = ["22-TA-3183 p.122", "NIS2 Art.23(4)(a)", "NIS2 Art.23(4)(b)", "NIS2 Art.23(4)(d)"]
    early_warning = add_hours(inp.aware_at, 24)
    initial = add_hours(inp.aware_at, 24 if inp.trust_service_impact else 72)
    final_moment = one_month_after(inp.initial_report_submitted_at or initial)

    if inp.resolved_at is not None:
        unresolved = inp.resolved_at > final_moment
    else:
        unresolved = inp.as_of is not None and inp.as_of >= final_moment

    progress: datetime | None = None
    final: datetime | None = final_moment
    if unresolved:
        basis.append("NIS2 Art.23(4)(e)")
        progress = final_moment
        final = one_month_after(inp.resolved_at) if inp.resolved_at is not None else None

    overdue: list[Stage] | None = None
    if inp.as_of is not None:
        as_of = inp.as_of
        stages: list[tuple[Stage, datetime | None, datetime | None]] = [
            ("early_warning", early_warning, inp.early_warning_submitted_at),
            ("initial_report", initial, inp.initial_report_submitted_at),
            ("progress_report", progress, inp.progress_report_submitted_at),
            ("final_report", final, inp.final_report_submitted_at),
        ]
        overdue = [stage for stage, due, submitted in stages if due is not None and due < as_of and submitted is None]

    return ReportDeadlinesOutput(
        early_warning_due=early_warning,
        initial_report_due=initial,
        final_report_due=final,
        progress_report_due=progress,
        overdue=overdue,
        basis=basis,
    )


RULES: list[Rule[Any, Any]] = [
    Rule(
        name="report-deadlines",
        summary="When each report of a significant incident is due (p. 122, NIS2 Art. 23(4))",
        input_model=ReportDeadlinesInput,
        output_model=ReportDeadlinesOutput,
        fn=report_deadlines,
    )
]
