"""``action-plan-status``: status of an action-plan task, in the six statuses defined by the
"Izpildes statusa atšifrējums" (status key) of the Cybersecurity Strategy 2014-2018 action-plan report.

Deadline forms of the plans: ``"2015. g. 2. cet."`` (end of that quarter; the final dot optional;
any spaces, no-break spaces or none), ``"2018. g."`` (31 December of that year), ``"Pastāvīgi"``
(ongoing: no deadline date) or an ISO date ``YYYY-MM-DD``.

Statuses, checked in this order (the key's definitions):

1. ``completed`` (Izpildīts): done;
2. ``no_longer_relevant`` (Zaudējis aktualitāti): not relevant;
3. ``in_progress`` (Izpildes procesā): started and work ongoing, "regardless of its deadline";
4. ``partially_completed`` (Daļēji izpildīts): partial, work stopped and the deadline has passed;
5. ``not_started`` (Nav uzsākts): nothing done, no work, deadline in the future or ongoing;
6. ``not_completed`` (Nav izpildīts): nothing done, no work, deadline passed.

A partial task whose work stopped before its deadline (or with an ongoing deadline) is
``in_progress`` (contract). "Passed" means ``as_of`` is after ``deadline_date``: on the deadline day
itself the deadline has not passed.

Decisions where the contract is open: the year-only form also takes an optional final dot
(``"2018. g"``); ``g``/``cet``/``Pastāvīgi`` are matched case-insensitively; a quarter outside 1-4,
a year of 0 or any other text is an input error on ``deadline``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator

from kiber.rules.base import Rule, RuleInput, RuleOutput
from kiber.rules.working_days import IsoDate

Status = Literal[
    "completed",
    "no_longer_relevant",
    "in_progress",
    "partially_completed",
    "not_started",
    "not_completed",
]

LABELS_LV: dict[str, str] = {
    "completed": "Izpildīts",
    "no_longer_relevant": "Zaudējis aktualitāti",
    "in_progress": "Izpildes procesā",
    "partially_completed": "Daļēji izpildīts",
    "not_started": "Nav uzsākts",
    "not_completed": "Nav izpildīts",
}

LABELS_EN: dict[str, str] = {
    "completed": "Completed",
    "no_longer_relevant": "No longer relevant",
    "in_progress": "In progress",
    "partially_completed": "Partially completed",
    "not_started": "Not started",
    "not_completed": "Not completed",
}

BASIS = "Cybersecurity Strategy 2014-2018 action plan report, Izpildes statusa atšifrējums"

_QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}
_QUARTER = re.compile(r"(\d{4})\s*\.\s*g\s*\.\s*([1-4])\s*\.\s*cet\s*\.?", re.IGNORECASE)
_YEAR = re.compile(r"(\d{4})\s*\.\s*g\s*\.?", re.IGNORECASE)
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_ONGOING = "pastāvīgi"


class DeadlineError(ValueError):
    pass


def parse_deadline(text: str) -> date | None:
    """The deadline's date (None for "Pastāvīgi"); raises ``DeadlineError`` for unknown text.

    Every Unicode whitespace (including U+00A0 no-break space and U+202F) counts as a space.
    """
    normal = " ".join(text.split())
    if normal.casefold() == _ONGOING:
        return None
    try:
        if match := _QUARTER.fullmatch(normal):
            year, quarter = int(match.group(1)), int(match.group(2))
            month, day = _QUARTER_END[quarter]
            return date(year, month, day)
        if match := _YEAR.fullmatch(normal):
            return date(int(match.group(1)), 12, 31)
        if _ISO.fullmatch(normal):
            return date.fromisoformat(normal)
    except ValueError as exc:
        raise DeadlineError(f"impossible deadline {text!r}: {exc}") from None
    raise DeadlineError(
        f"unrecognised deadline {text!r}; expected '2015. g. 2. cet.', '2018. g.', 'Pastāvīgi' or YYYY-MM-DD"
    )


def deadline_passed(deadline: date | None, as_of: date) -> bool:
    return deadline is not None and as_of > deadline


def task_status(progress: str, work_ongoing: bool, relevant: bool, deadline: date | None, as_of: date) -> Status:
    if progress == "done":
        return "completed"
    if not relevant:
        return "no_longer_relevant"
    if work_ongoing:
        return "in_progress"  # started (partial, or none with work ongoing) and work ongoing
    passed = deadline_passed(deadline, as_of)
    if progress == "partial":
        return "partially_completed" if passed else "in_progress"
    return "not_completed" if passed else "not_started"


class ActionPlanStatusInput(RuleInput):
    deadline: Annotated[str, Field(strict=True)]
    as_of: IsoDate
    progress: Literal["none", "partial", "done"]
    work_ongoing: Annotated[bool, Field(strict=True)] = False
    relevant: Annotated[bool, Field(strict=True)] = True

    @field_validator("deadline")
    @classmethod
    def _deadline_parses(cls, value: str) -> str:
        parse_deadline(value)  # DeadlineError is a ValueError: reported on field ``deadline``
        return value


class ActionPlanStatusOutput(RuleOutput):
    status: Status
    label_lv: str
    label_en: str
    deadline_date: date | None


def action_plan_status(inp: ActionPlanStatusInput) -> ActionPlanStatusOutput:
    deadline = parse_deadline(inp.deadline)
    status = task_status(inp.progress, inp.work_ongoing, inp.relevant, deadline, inp.as_of)
    return ActionPlanStatusOutput(
        status=status,
        label_lv=LABELS_LV[status],
        label_en=LABELS_EN[status],
        deadline_date=deadline,
        basis=[f"{BASIS}: {LABELS_LV[status]}"],
    )


RULES: list[Rule[Any, Any]] = [
    Rule(
        name="action-plan-status",
        summary="Status of an action-plan task (the six statuses of the 2014-2018 report)",
        input_model=ActionPlanStatusInput,
        output_model=ActionPlanStatusOutput,
        fn=action_plan_status,
    )
]
