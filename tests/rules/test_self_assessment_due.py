"""self-assessment-due: 22-TA-3183 p. 151-153."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiber.rules.base import RuleInputError
from kiber.rules.registry import evaluate
from kiber.rules.self_assessment_due import add_months_to_date


def due(**payload: Any) -> dict[str, Any]:
    return evaluate("self-assessment-due", payload)


def test_contract_example() -> None:
    out = due(
        is_ci_owner=False,
        has_class_a_system=False,
        status_since="2025-08-15",
        last_submitted_on=None,
        frequency_years_override=None,
    )
    assert out["frequency_years"] == 3
    assert out["next_due"] == "2025-11-15"
    assert "22-TA-3183 p.153" in out["basis"]


# (status_since, first report due, point checked)
FIRST = [
    ("2025-01-15", "2025-10-01", "p.152: by 1 October of the year the status arose"),
    ("2025-06-30", "2025-10-01", "p.152: status before 1 July"),
    ("2025-07-01", "2025-10-01", "p.153: 1 July itself is not 'after 1 July' (decision; same date either way)"),
    ("2025-07-02", "2025-10-02", "p.153: the day after 1 July -> three months"),
    ("2025-07-31", "2025-10-31", "p.153: three months, same day"),
    ("2025-08-31", "2025-11-30", "p.153: 31 Aug -> 30 Nov (clamped)"),
    ("2025-10-02", "2026-01-02", "p.153: past 1 October, into the next year"),
    ("2025-11-30", "2026-02-28", "p.153: 30 Nov -> 28 Feb"),
    ("2023-11-30", "2024-02-29", "p.153: 30 Nov -> 29 Feb in a leap year"),
    ("2025-12-31", "2026-03-31", "p.153: 31 Dec -> 31 Mar"),
]


@pytest.mark.parametrize(("since", "expected", "why"), FIRST, ids=[c[2] for c in FIRST])
def test_first_report(since: str, expected: str, why: str) -> None:
    out = due(status_since=since)
    assert out["next_due"] == expected
    assert ("22-TA-3183 p.153" in out["basis"]) == (since[5:] > "07-01")


# (input flags, last submitted, frequency, next due, point checked)
AFTER = [
    ({"is_ci_owner": True}, "2025-09-20", 1, "2026-10-01", "p.151.1 CI owner: yearly"),
    ({"has_class_a_system": True}, "2025-11-15", 1, "2026-10-01", "p.151.1 class A system: yearly"),
    ({}, "2025-09-20", 3, "2028-10-01", "p.151.2: every three years"),
    ({"frequency_years_override": 2}, "2025-09-20", 2, "2027-10-01", "p.151.2: NCC decides otherwise"),
    ({"frequency_years_override": 1}, "2025-12-31", 1, "2026-10-01", "p.151.2: NCC sets yearly"),
]


@pytest.mark.parametrize(("flags", "last", "freq", "expected", "why"), AFTER, ids=[c[4] for c in AFTER])
def test_after_a_report(flags: dict[str, Any], last: str, freq: int, expected: str, why: str) -> None:
    out = due(status_since="2024-03-01", last_submitted_on=last, **flags)
    assert out["frequency_years"] == freq
    assert out["next_due"] == expected
    assert out["warnings"] == []


def test_first_report_of_annual_subject() -> None:
    out = due(is_ci_owner=True, status_since="2025-03-10")
    assert (out["frequency_years"], out["next_due"]) == (1, "2025-10-01")
    assert "22-TA-3183 p.151.1" in out["basis"]


def test_override_ignored_for_annual_subject() -> None:
    # decision: the NCC's "unless decided otherwise" belongs to p.151.2 only
    out = due(is_ci_owner=True, status_since="2024-03-01", last_submitted_on="2025-09-01", frequency_years_override=3)
    assert (out["frequency_years"], out["next_due"]) == (1, "2026-10-01")
    assert out["warnings"] == ["frequency_override_ignored_for_annual_subject"]


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({}, ["status_since"]),
        ({"status_since": "2025-02-29"}, ["status_since"]),
        ({"status_since": "2025-08-15T00:00:00+03:00"}, ["status_since"]),
        ({"status_since": "2025-08-15", "frequency_years_override": 0}, ["frequency_years_override"]),
        ({"status_since": "2025-08-15", "frequency_years_override": 1.5}, ["frequency_years_override"]),
        ({"status_since": "2025-08-15", "is_ci_owner": "true"}, ["is_ci_owner"]),
        ({"status_since": "2025-08-15", "last_submitted": "2025-09-01"}, ["last_submitted"]),
        ({"status_since": "9999-12-01"}, ["status_since"]),
    ],
)
def test_invalid_input(payload: dict[str, Any], fields: list[str]) -> None:
    with pytest.raises(RuleInputError) as info:
        evaluate("self-assessment-due", payload)
    assert info.value.fields == fields


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2200, 12, 30)))
def test_first_report_never_before_status_and_monotone(since: date) -> None:
    out = date.fromisoformat(due(status_since=since.isoformat())["next_due"])
    assert since <= out <= max(date(since.year, 10, 1), add_months_to_date(since, 3))
    assert out == date(since.year, 10, 1) or since > date(since.year, 7, 1)
    following = date.fromordinal(since.toordinal() + 1)
    assert date.fromisoformat(due(status_since=following.isoformat())["next_due"]) >= out
