"""``working-days``: Latvian working-day arithmetic, plus plain helpers other code reuses.

A working day is one the ``holidays`` package's Latvia calendar calls a working day
(``HolidayBase.is_working_day``): Monday to Friday except public holidays (Law "On Public Holidays,
Commemoration Days and Celebration Days"), the Monday substitutes of 4 May and 18 November falling on
a weekend, and the days off moved by Cabinet order ("Par darba dienu pārcelšanu ..."), plus the
Saturdays those orders make working days (``weekend_workdays``, e.g. Sat 2025-05-10, 2025-11-08).

Decisions where the contract is open:

- ``working_days: 0`` answers ``from`` itself (zero working days after ``from`` end on ``from``).
- ``working_days`` is capped at 100 000 (about four centuries) so one request cannot run unbounded;
  a result past 9999-12-31 is an input error on ``working_days``.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache
from typing import Annotated, Any

import holidays
from pydantic import BeforeValidator, Field

from kiber.rules.base import Rule, RuleInput, RuleInputError, RuleOutput

BASIS = [
    'LV law "Par svētku, atceres un atzīmējamām dienām" (holidays package LV calendar)',
    'LV Cabinet orders "Par darba dienu pārcelšanu" (moved days off and working Saturdays)',
]

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date_text(value: Any) -> Any:
    """Accept a date object, or JSON text in exactly ``YYYY-MM-DD`` form (no datetimes, no numbers)."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise ValueError("expected an ISO 8601 date YYYY-MM-DD")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date_text)]
"""A ``date`` read from strict ``YYYY-MM-DD`` text (shared by the date-based rules)."""


@lru_cache(maxsize=64)
def _calendar(year: int) -> Any:
    return holidays.country_holidays("LV", years=year)


def is_working_day(day: date) -> bool:
    """True if ``day`` is a working day in Latvia (weekends, holidays and moved days considered)."""
    return bool(_calendar(day.year).is_working_day(day))


def holiday_name(day: date) -> str | None:
    """The Latvia calendar's name for ``day`` if it is a holiday or a moved day off, else None."""
    name = _calendar(day.year).get(day)
    return None if name is None else str(name)


def add_working_days(start: date, n: int) -> date:
    """The date on which the ``n``-th working day after ``start`` ends (``start`` itself not counted).

    ``n == 0`` gives ``start``. Raises ``ValueError`` for negative ``n`` and ``OverflowError`` past
    the end of the calendar.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    day = start
    counted = 0
    while counted < n:
        day = day + timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def working_days_between(start: date, end: date) -> int:
    """How many working days lie after ``start`` up to and including ``end`` (0 if end <= start)."""
    count = 0
    day = start
    while day < end:
        day = day + timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


class WorkingDaysInput(RuleInput):
    from_: IsoDate = Field(alias="from")
    working_days: Annotated[int, Field(ge=0, le=100_000, strict=True)]


class WorkingDaysOutput(RuleOutput):
    due: date


def working_days_rule(inp: WorkingDaysInput) -> WorkingDaysOutput:
    try:
        due = add_working_days(inp.from_, inp.working_days)
    except OverflowError:
        raise RuleInputError("working_days: result is past 9999-12-31", ["working_days"]) from None
    return WorkingDaysOutput(due=due, basis=list(BASIS))


__all__ = [
    "IsoDate",
    "add_working_days",
    "holiday_name",
    "is_working_day",
    "working_days_between",
]

RULES: list[Rule[Any, Any]] = [
    Rule(
        name="working-days",
        summary="The date on which the Nth Latvian working day after a date ends",
        input_model=WorkingDaysInput,
        output_model=WorkingDaysOutput,
        fn=working_days_rule,
    )
]
