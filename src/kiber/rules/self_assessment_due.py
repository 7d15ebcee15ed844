"""``self-assessment-due``: when the next self-assessment report is due (22-TA-3183 p. 151-153).

- Frequency (p. 151): yearly for an ICT critical-infrastructure owner/possessor or a subject with at
  least one class A system (151.1); otherwise every three years "unless the National Cybersecurity
  Centre has decided otherwise" (151.2) -> ``frequency_years_override``.
- Reports are due by 1 October of the calendar year concerned (p. 152).
- First report: by 1 October of the year the status arose; where the status arose "pēc 1. jūlija"
  (after 1 July), within three months of that moment (p. 153).
- After a report submitted on D: 1 October of year(D) + frequency.

Decisions where the law is open:

- "Pēc 1. jūlija" is read strictly: a status arising on 1 July itself is not after 1 July, so the
  first report is due 1 October of that year (which is also exactly three months after 1 July, so
  both readings agree on that day). From 2 July on, the due date is ``status_since`` + 3 months.
- "Three months after" is the same day-of-month three calendar months later, clamped to the month's
  last day (2025-11-30 -> 2026-02-28), as the contract's "one month after".
- ``frequency_years_override`` belongs to p. 151.2 (subjects without a class A system, not CI): for a
  p. 151.1 subject the yearly frequency stands, the override is ignored and ``warnings`` says so.
- Whenever ``last_submitted_on`` is given the "after a report" rule applies, even if it precedes
  ``status_since`` (a report made under an earlier status still counts as the last one).
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Annotated, Any

from pydantic import Field

from kiber.rules.base import Rule, RuleInput, RuleInputError, RuleOutput
from kiber.rules.working_days import IsoDate

WARNING_OVERRIDE_IGNORED = "frequency_override_ignored_for_annual_subject"


def add_months_to_date(day: date, months: int) -> date:
    """Same day-of-month ``months`` calendar months later, clamped to that month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class SelfAssessmentInput(RuleInput):
    is_ci_owner: Annotated[bool, Field(strict=True)] = False
    has_class_a_system: Annotated[bool, Field(strict=True)] = False
    status_since: IsoDate
    last_submitted_on: IsoDate | None = None
    frequency_years_override: Annotated[int, Field(ge=1, le=100, strict=True)] | None = None


class SelfAssessmentOutput(RuleOutput):
    frequency_years: int
    next_due: date
    warnings: list[str]


def self_assessment_due(inp: SelfAssessmentInput) -> SelfAssessmentOutput:
    warnings: list[str] = []
    if inp.is_ci_owner or inp.has_class_a_system:
        frequency = 1
        basis = ["22-TA-3183 p.151.1"]
        if inp.frequency_years_override is not None and inp.frequency_years_override != 1:
            warnings.append(WARNING_OVERRIDE_IGNORED)
    else:
        frequency = inp.frequency_years_override or 3
        basis = ["22-TA-3183 p.151.2"]
    basis.append("22-TA-3183 p.152")

    try:
        if inp.last_submitted_on is not None:
            next_due = date(inp.last_submitted_on.year + frequency, 10, 1)
        elif inp.status_since > date(inp.status_since.year, 7, 1):
            next_due = add_months_to_date(inp.status_since, 3)
            basis.append("22-TA-3183 p.153")
        else:
            next_due = date(inp.status_since.year, 10, 1)
    except ValueError:
        field = "last_submitted_on" if inp.last_submitted_on is not None else "status_since"
        raise RuleInputError("the due date would be past 9999-12-31", [field]) from None
    return SelfAssessmentOutput(frequency_years=frequency, next_due=next_due, warnings=warnings, basis=basis)


RULES: list[Rule[Any, Any]] = [
    Rule(
        name="self-assessment-due",
        summary="When the next compliance self-assessment report is due (p. 151-153)",
        input_model=SelfAssessmentInput,
        output_model=SelfAssessmentOutput,
        fn=self_assessment_due,
    )
]
