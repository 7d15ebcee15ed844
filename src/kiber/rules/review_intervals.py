"""``review-intervals``: when the recurring reviews, updates, trainings and backups are next due.

What each point says, and how it is modelled (every due date is the last day that still complies):

- p. 41 (plan review): the cyber-risk management and ICT continuity plan is reviewed "at least once a
  year" by a CI owner and by an essential provider with at least one class A system (41.1), "at
  least once every two years" by an essential provider without one (41.2), "at least once every
  three years" by an important provider (41.2 second half, repeated in 41.3). Due: the last review
  plus 1, 2 or 3 calendar years.
- p. 29 (policy review): "regularly, but at least once every three years" -> last review + 3 years.
- p. 32 (catalogue): after a change, update "immediately, but no later than within one month" ->
  change date + one month.
- p. 77.1.1: initial briefing within one month of the employee starting duties -> start + 1 month.
- p. 77.1.2 and 77.2: regular briefing of ICT users, and training of ICT staff, "at least once in a
  calendar year": each calendar year must contain one, so after one held in year Y the next is due
  by 31 December of Y + 1; with none recorded, by 31 December of the ``as_of`` year.
- p. 78 (CI owners only): the outsourcer's staff are briefed before contract performance starts ->
  due on the performance start date (before work begins that day).
- p. 79: training content reviewed "at least once a year" -> last review + 1 year (a change of
  circumstances also triggers a review, but the point sets no period for it).
- p. 71: backup frequency and retention must allow restoring a class A system to the previous day,
  a week ago (7-31 days), a month ago (30-365 days) and the previous year (older than 365 days); a
  class B system to within the last week (1-7 days), 7-31, 30-365 and older than 365 days; a class C
  system to before the last significant change, but not older than six months.
- p. 75: the manager's restore test, at least every 3 months (class A) or 6 months (class B).

Decisions where the text is open:

- Years and months are calendar ones, clamped to the month's last day (29 Feb + 1 year = 28 Feb),
  as the contract's "one month after" convention.
- Plan review for an ``important`` subject is every three years even if it declares a class A
  system (41.1 names only CI owners and essential providers; Annex 4 gives A only to essential ones).
- Backup windows are in whole days of age on ``as_of`` (age = as_of - backup date). The most recent
  point accepts a backup taken on ``as_of`` itself (age 0): "previous day" is 0-1 days, "within the
  last week" 0-7 days. The other windows are the point's own ranges, inclusive.
- Class C (71.3) is read as: a backup not older than six months must always exist, and where the
  last significant change is within those six months, one taken on or before the change day. A
  change older than six months needs no separate point (the six-month limit is the later bound).
- The backup frequency this implies is reported as a maximum interval: A daily (1 day), B weekly
  (7 days), C six months plus a backup before each significant change.
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Callable
from datetime import date, timedelta
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from kiber.rules.base import Rule, RuleInput, RuleInputError, RuleOutput
from kiber.rules.working_days import IsoDate

P = "22-TA-3183 p."

InT = TypeVar("InT", bound=RuleInput)
OutT = TypeVar("OutT", bound=RuleOutput)

SubjectTier = Literal["ci_owner", "essential", "important"]
SystemClass = Literal["A", "B", "C"]
Flag = Annotated[bool, Field(strict=True)]


def add_months(day: date, months: int) -> date:
    """Same day-of-month ``months`` calendar months later, clamped to that month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: date, years: int) -> date:
    """Same date ``years`` later; 29 February becomes 28 February in a common year."""
    return add_months(day, 12 * years)


def calendar_guard(fn: Callable[[InT], OutT]) -> Callable[[InT], OutT]:
    """Wrap a rule so a due date past 9999-12-31 is an input error on the dates given, not a traceback."""

    @functools.wraps(fn)
    def wrapped(inp: InT) -> OutT:
        try:
            return fn(inp)
        except (OverflowError, ValueError):
            fields = [name for name, value in inp if isinstance(value, date) and value.year >= 9000]
            raise RuleInputError(
                "a computed date falls outside the calendar (after 9999-12-31)", fields or ["$"]
            ) from None

    return wrapped


def end_of_year(year: int) -> date:
    return date(year, 12, 31)


class RestorePoint(BaseModel):
    """A state the backups must be able to restore (p. 71): a backup aged within the window."""

    model_config = ConfigDict(frozen=True)

    point: str
    min_age_days: int
    max_age_days: int | None
    basis: str


_RESTORE_POINTS: dict[str, list[tuple[str, int, int | None]]] = {
    "A": [("previous_day", 0, 1), ("week_ago", 7, 31), ("month_ago", 30, 365), ("previous_year", 366, None)],
    "B": [("last_week", 0, 7), ("week_ago", 7, 31), ("month_ago", 30, 365), ("previous_year", 366, None)],
}
_RESTORE_SUBPOINT = {"A": "71.1", "B": "71.2", "C": "71.3"}
_BACKUP_MAX_INTERVAL_DAYS = {"A": 1, "B": 7}
_RESTORE_TEST_MONTHS = {"A": 3, "B": 6}


class ReviewIntervalsInput(RuleInput):
    subject_tier: SubjectTier
    has_class_a_system: Flag = False
    as_of: IsoDate | None = None
    plan_last_reviewed_on: IsoDate | None = None
    policy_last_reviewed_on: IsoDate | None = None
    catalogue_changed_on: IsoDate | None = None
    employee_started_on: IsoDate | None = None
    last_regular_briefing_on: IsoDate | None = None
    last_ict_staff_training_on: IsoDate | None = None
    training_content_last_reviewed_on: IsoDate | None = None
    outsourcing_performance_starts_on: IsoDate | None = None
    system_class: SystemClass | None = None
    backup_dates: list[IsoDate] = []
    last_significant_change_on: IsoDate | None = None
    last_restore_test_on: IsoDate | None = None


class ReviewIntervalsOutput(RuleOutput):
    plan_review_interval_years: int
    plan_review_due: date | None
    policy_review_due: date | None
    catalogue_update_due: date | None
    initial_briefing_due: date | None
    regular_briefing_due: date | None
    ict_staff_training_due: date | None
    training_content_review_due: date | None
    outsourcer_staff_briefing_due: date | None
    backup_max_interval_days: int | None
    backup_max_interval_months: int | None
    restore_points: list[RestorePoint]
    missing_restore_points: list[str] | None
    next_backup_due: date | None
    restore_test_interval_months: int | None
    restore_test_due: date | None
    overdue: list[str] | None
    reasons: list[str]


def _plan_interval(inp: ReviewIntervalsInput) -> tuple[int, str, str]:
    if inp.subject_tier == "ci_owner":
        return 1, "41.1", "a CI owner reviews the plan at least once a year"
    if inp.subject_tier == "essential" and inp.has_class_a_system:
        return 1, "41.1", "an essential provider with a class A system reviews the plan at least once a year"
    if inp.subject_tier == "essential":
        return 2, "41.2", "an essential provider without a class A system reviews the plan every two years"
    return 3, "41.3", "an important provider reviews the plan at least once every three years"


def _check_not_after(inp: ReviewIntervalsInput) -> None:
    """Past events must not lie after ``as_of`` (a review cannot be recorded in the future)."""
    if inp.as_of is None:
        return
    bad = [
        name
        for name in (
            "plan_last_reviewed_on",
            "policy_last_reviewed_on",
            "catalogue_changed_on",
            "last_regular_briefing_on",
            "last_ict_staff_training_on",
            "training_content_last_reviewed_on",
            "last_significant_change_on",
            "last_restore_test_on",
        )
        if (value := getattr(inp, name)) is not None and value > inp.as_of
    ]
    bad += [f"backup_dates.{i}" for i, day in enumerate(inp.backup_dates) if day > inp.as_of]
    if bad:
        raise RuleInputError("; ".join(f"{name}: after as_of" for name in bad), bad)


def review_intervals(inp: ReviewIntervalsInput) -> ReviewIntervalsOutput:
    _check_not_after(inp)
    basis: list[str] = []
    reasons: list[str] = []
    due: dict[str, date | None] = {}

    years, sub, why = _plan_interval(inp)
    basis.append(P + sub)
    reasons.append(why + f" ({P}{sub})")
    due["plan_review"] = add_years(inp.plan_last_reviewed_on, years) if inp.plan_last_reviewed_on else None

    if inp.policy_last_reviewed_on:
        due["policy_review"] = add_years(inp.policy_last_reviewed_on, 3)
        basis.append(P + "29")
        reasons.append(f"the policy is reviewed at least once every three years ({P}29)")
    if inp.catalogue_changed_on:
        due["catalogue_update"] = add_months(inp.catalogue_changed_on, 1)
        basis.append(P + "32")
        reasons.append(f"the ICT catalogue is updated within one month of a change ({P}32)")
    if inp.employee_started_on:
        due["initial_briefing"] = add_months(inp.employee_started_on, 1)
        basis.append(P + "77.1.1")
        reasons.append(f"initial briefing within one month of starting duties ({P}77.1.1)")

    for key, last, sub, what in (
        ("regular_briefing", inp.last_regular_briefing_on, "77.1.2", "regular briefing of ICT users"),
        ("ict_staff_training", inp.last_ict_staff_training_on, "77.2", "training of ICT staff"),
    ):
        if last is not None:
            due[key] = end_of_year(last.year + 1)
        elif inp.as_of is not None:
            due[key] = end_of_year(inp.as_of.year)
        else:
            continue
        basis.append(P + sub)
        reasons.append(f"{what} at least once every calendar year ({P}{sub})")

    if inp.training_content_last_reviewed_on:
        due["training_content_review"] = add_years(inp.training_content_last_reviewed_on, 1)
        basis.append(P + "79")
        reasons.append(f"training content is reviewed at least once a year ({P}79)")
    if inp.outsourcing_performance_starts_on and inp.subject_tier == "ci_owner":
        due["outsourcer_staff_briefing"] = inp.outsourcing_performance_starts_on
        basis.append(P + "78")
        reasons.append(f"a CI owner briefs the outsourcer's staff before contract performance starts ({P}78)")

    restore_points: list[RestorePoint] = []
    missing: list[str] | None = None
    interval_days: int | None = None
    interval_months: int | None = None
    test_months: int | None = None
    next_backup: date | None = None
    cls = inp.system_class
    if cls is not None:
        sub71 = _RESTORE_SUBPOINT[cls]
        basis.append(P + sub71)
        last_backup = max(inp.backup_dates) if inp.backup_dates else None
        if cls in _RESTORE_POINTS:
            restore_points = [
                RestorePoint(point=n, min_age_days=lo, max_age_days=hi, basis=P + sub71)
                for n, lo, hi in _RESTORE_POINTS[cls]
            ]
            interval_days = _BACKUP_MAX_INTERVAL_DAYS[cls]
            reasons.append(
                f"a class {cls} system must be restorable to "
                + ", ".join(
                    f"{p.point} ({p.min_age_days}-{p.max_age_days if p.max_age_days else '...'} days)"
                    for p in restore_points
                )
                + f" ({P}{sub71})"
            )
            if last_backup is not None:
                next_backup = last_backup + timedelta(days=interval_days)
        else:
            interval_months = 6
            restore_points = [RestorePoint(point="six_months", min_age_days=0, max_age_days=None, basis=P + sub71)]
            change = inp.last_significant_change_on
            if change is not None:
                restore_points.append(
                    RestorePoint(
                        point="before_last_significant_change",
                        min_age_days=0,
                        max_age_days=None,
                        basis=P + sub71,
                    )
                )
            reasons.append(
                "a class C system must be restorable to before its last significant change, "
                f"not older than six months ({P}71.3)"
            )
            if last_backup is not None:
                next_backup = add_months(last_backup, 6)
        if inp.as_of is not None:
            missing = _missing_points(cls, inp.as_of, inp.backup_dates, inp.last_significant_change_on)
            if cls == "C":
                restore_points = _c_points(inp.as_of, inp.last_significant_change_on)
        if cls in _RESTORE_TEST_MONTHS:
            test_months = _RESTORE_TEST_MONTHS[cls]
            basis.append(P + "75")
            reasons.append(f"restore test at least every {test_months} months for class {cls} ({P}75)")
            if inp.last_restore_test_on:
                due["restore_test"] = add_months(inp.last_restore_test_on, test_months)
        if next_backup is not None:
            due["backup"] = next_backup

    overdue: list[str] | None = None
    if inp.as_of is not None:
        as_of = inp.as_of
        overdue = [name for name, day in due.items() if day is not None and day < as_of]
        if missing:
            overdue += [f"restore_point:{point}" for point in missing]

    return ReviewIntervalsOutput(
        plan_review_interval_years=years,
        plan_review_due=due.get("plan_review"),
        policy_review_due=due.get("policy_review"),
        catalogue_update_due=due.get("catalogue_update"),
        initial_briefing_due=due.get("initial_briefing"),
        regular_briefing_due=due.get("regular_briefing"),
        ict_staff_training_due=due.get("ict_staff_training"),
        training_content_review_due=due.get("training_content_review"),
        outsourcer_staff_briefing_due=due.get("outsourcer_staff_briefing"),
        backup_max_interval_days=interval_days,
        backup_max_interval_months=interval_months,
        restore_points=restore_points,
        missing_restore_points=missing,
        next_backup_due=next_backup,
        restore_test_interval_months=test_months,
        restore_test_due=due.get("restore_test"),
        overdue=overdue,
        basis=list(dict.fromkeys(basis)),
        reasons=reasons,
    )


def _c_points(as_of: date, change: date | None) -> list[RestorePoint]:
    """Class C restore points with their windows in days of age on ``as_of``."""
    six = (as_of - add_months(as_of, -6)).days
    points = [RestorePoint(point="six_months", min_age_days=0, max_age_days=six, basis=P + "71.3")]
    if change is not None and (as_of - change).days <= six:
        points.append(
            RestorePoint(
                point="before_last_significant_change",
                min_age_days=(as_of - change).days,
                max_age_days=six,
                basis=P + "71.3",
            )
        )
    return points


def _missing_points(cls: str, as_of: date, backups: list[date], change: date | None) -> list[str]:
    ages = [(as_of - day).days for day in backups]
    if cls == "C":
        points = _c_points(as_of, change)
    else:
        points = [
            RestorePoint(point=n, min_age_days=lo, max_age_days=hi, basis="") for n, lo, hi in _RESTORE_POINTS[cls]
        ]
    return [
        p.point
        for p in points
        if not any(p.min_age_days <= age and (p.max_age_days is None or age <= p.max_age_days) for age in ages)
    ]


RULES: list[Rule[Any, Any]] = [
    Rule(
        name="review-intervals",
        summary="Next due dates of plan/policy reviews, catalogue update, trainings and backups (p. 29-79)",
        input_model=ReviewIntervalsInput,
        output_model=ReviewIntervalsOutput,
        fn=calendar_guard(review_intervals),
    )
]
