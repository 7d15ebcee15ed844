"""action-plan-status: the six statuses of the 2014-2018 action-plan report ("Izpildes statusa atšifrējums")."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from kiber.rules.action_plan_status import DeadlineError, parse_deadline
from kiber.rules.base import RuleInputError
from kiber.rules.registry import evaluate

NBSP = "\u00a0"

# (deadline text, parsed date, form checked)
DEADLINES: list[tuple[str, date | None, str]] = [
    ("2015. g. 2. cet.", date(2015, 6, 30), "quarter 2 ends 30 June"),
    ("2016. g. 1. cet.", date(2016, 3, 31), "quarter 1 ends 31 March"),
    ("2015. g. 3. cet.", date(2015, 9, 30), "quarter 3 ends 30 September"),
    ("2014. g. 4. cet.", date(2014, 12, 31), "quarter 4 ends 31 December"),
    ("2016. g. 1. cet", date(2016, 3, 31), "final dot optional (task 3.x source spelling)"),
    (f"2015.{NBSP}g. 2.{NBSP}cet.", date(2015, 6, 30), "no-break spaces as in the source"),
    ("2015.g.2.cet.", date(2015, 6, 30), "no spaces"),
    ("  2015.  g.   2.  cet.  ", date(2015, 6, 30), "extra spaces"),
    ("2018. g.", date(2018, 12, 31), "year only -> 31 December"),
    (f"2018.{NBSP}g.", date(2018, 12, 31), "year only with a no-break space"),
    ("2018.g", date(2018, 12, 31), "year only, no final dot (decision)"),
    ("Pastāvīgi", None, "ongoing"),
    (" pastāvīgi ", None, "ongoing, case and spaces ignored"),
    ("2019-05-09", date(2019, 5, 9), "ISO date"),
]


@pytest.mark.parametrize(("text", "parsed", "why"), DEADLINES, ids=[c[2] for c in DEADLINES])
def test_parse_deadline(text: str, parsed: date | None, why: str) -> None:
    assert parse_deadline(text) == parsed
    out = evaluate("action-plan-status", {"deadline": text, "as_of": "2019-05-09", "progress": "none"})
    assert out["deadline_date"] == (parsed.isoformat() if parsed else None)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2015. g. 5. cet.",
        "2015. g. 0. cet.",
        "Q2 2015",
        "2015",
        "15. g.",
        "2015-13-01",
        "2015-02-29",
        "Pastavigi",
        "0000. g.",
        "2015. g. 2. ceturksnis",
    ],
)
def test_invalid_deadline_is_error_on_deadline(text: str) -> None:
    with pytest.raises(DeadlineError):
        parse_deadline(text)
    with pytest.raises(RuleInputError) as info:
        evaluate("action-plan-status", {"deadline": text, "as_of": "2019-05-09", "progress": "none"})
    assert info.value.fields == ["deadline"]


# (progress, work_ongoing, relevant, deadline, as_of, status, definition checked)
STATUSES = [
    ("done", False, True, "2015. g. 2. cet.", "2019-05-09", "completed", "Izpildīts: done"),
    ("done", True, False, "Pastāvīgi", "2019-05-09", "completed", "Izpildīts wins over everything"),
    ("partial", True, False, "2015. g. 2. cet.", "2019-05-09", "no_longer_relevant", "Zaudējis aktualitāti"),
    ("none", False, False, "2020. g. 4. cet.", "2019-05-09", "no_longer_relevant", "not relevant, not started"),
    ("partial", True, True, "2015. g. 2. cet.", "2019-05-09", "in_progress", "Izpildes procesā past deadline"),
    ("none", True, True, "2020. g. 4. cet.", "2019-05-09", "in_progress", "started: none but work ongoing"),
    ("partial", True, True, "Pastāvīgi", "2019-05-09", "in_progress", "ongoing deadline, work ongoing"),
    ("partial", False, True, "2015. g. 2. cet.", "2019-05-09", "partially_completed", "Daļēji izpildīts"),
    ("partial", False, True, "2020. g. 4. cet.", "2019-05-09", "in_progress", "partial, stopped before deadline"),
    ("partial", False, True, "2019-05-09", "2019-05-09", "in_progress", "on the deadline day it has not passed"),
    ("partial", False, True, "2019-05-08", "2019-05-09", "partially_completed", "day after the deadline"),
    ("partial", False, True, "Pastāvīgi", "2019-05-09", "in_progress", "partial, stopped, no deadline to pass"),
    ("none", False, True, "2020. g. 4. cet.", "2019-05-09", "not_started", "Nav uzsākts: deadline in future"),
    ("none", False, True, "Pastāvīgi", "2019-05-09", "not_started", "Nav uzsākts: ongoing deadline"),
    ("none", False, True, "2019-05-09", "2019-05-09", "not_started", "deadline day itself is not passed"),
    ("none", False, True, "2015. g. 3. cet.", "2019-05-09", "not_completed", "Nav izpildīts: deadline passed"),
    ("none", False, True, "2018. g.", "2019-01-01", "not_completed", "year deadline passed on 1 January"),
    ("none", False, True, "2018. g.", "2018-12-31", "not_started", "year deadline on 31 December"),
]

LABELS = {
    "completed": "Izpildīts",
    "no_longer_relevant": "Zaudējis aktualitāti",
    "in_progress": "Izpildes procesā",
    "partially_completed": "Daļēji izpildīts",
    "not_started": "Nav uzsākts",
    "not_completed": "Nav izpildīts",
}


@pytest.mark.parametrize(
    ("progress", "ongoing", "relevant", "deadline", "as_of", "status", "why"), STATUSES, ids=[c[6] for c in STATUSES]
)
def test_status(progress: str, ongoing: bool, relevant: bool, deadline: str, as_of: str, status: str, why: str) -> None:
    out = evaluate(
        "action-plan-status",
        {"deadline": deadline, "as_of": as_of, "progress": progress, "work_ongoing": ongoing, "relevant": relevant},
    )
    assert out["status"] == status
    assert out["label_lv"] == LABELS[status]
    assert out["basis"]


def test_contract_example() -> None:
    out = evaluate(
        "action-plan-status",
        {
            "deadline": "2015. g. 2. cet.",
            "as_of": "2019-05-09",
            "progress": "partial",
            "work_ongoing": False,
            "relevant": True,
        },
    )
    assert (out["status"], out["label_lv"], out["deadline_date"]) == (
        "partially_completed",
        "Daļēji izpildīts",
        "2015-06-30",
    )


def test_defaults_work_stopped_and_relevant() -> None:
    out = evaluate("action-plan-status", {"deadline": "2015. g. 2. cet.", "as_of": "2019-05-09", "progress": "none"})
    assert out["status"] == "not_completed"


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({"as_of": "2019-05-09", "progress": "none"}, ["deadline"]),
        ({"deadline": "2018. g.", "progress": "none"}, ["as_of"]),
        ({"deadline": "2018. g.", "as_of": "2019-05-09"}, ["progress"]),
        ({"deadline": "2018. g.", "as_of": "2019-05-09", "progress": "half"}, ["progress"]),
        ({"deadline": "2018. g.", "as_of": "2019-02-30", "progress": "none"}, ["as_of"]),
        ({"deadline": 2018, "as_of": "2019-05-09", "progress": "none"}, ["deadline"]),
        ({"deadline": "2018. g.", "as_of": "2019-05-09", "progress": "none", "work_ongoing": 1}, ["work_ongoing"]),
        ({"deadline": "2018. g.", "as_of": "2019-05-09", "progress": "none", "status": "x"}, ["status"]),
    ],
)
def test_invalid_input(payload: dict[str, Any], fields: list[str]) -> None:
    with pytest.raises(RuleInputError) as info:
        evaluate("action-plan-status", payload)
    assert info.value.fields == fields
