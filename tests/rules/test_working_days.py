"""working-days: Latvian working days (contract "Working days"; holidays package LV calendar)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiber.rules.registry import evaluate
from kiber.rules.working_days import add_working_days, holiday_name, is_working_day, working_days_between

# (from, n, expected due, what it checks)
CASES = [
    (
        date(2025, 12, 19),
        5,
        date(2026, 1, 5),
        "contract example: Christmas 24-26 Dec, 31 Dec, 1 Jan, 2 Jan moved",
    ),
    (date(2025, 3, 7), 1, date(2025, 3, 10), "weekend skipped"),
    (date(2025, 3, 10), 0, date(2025, 3, 10), "zero working days -> from itself (decision)"),
    (date(2025, 3, 10), 1, date(2025, 3, 11), "from itself is not counted"),
    (date(2025, 11, 14), 1, date(2025, 11, 19), "18 Nov and the 17 Nov moved day off (Cabinet order 2025)"),
    (date(2025, 11, 7), 1, date(2025, 11, 8), "Sat 8 Nov 2025 made a working day (Cabinet order 2025)"),
    (date(2023, 11, 17), 1, date(2023, 11, 21), "18 Nov 2023 on Saturday -> Monday 20 Nov substitute"),
    (date(2025, 4, 30), 1, date(2025, 5, 6), "1 May, moved 2 May, 4 May on Sunday -> Monday 5 May"),
    (date(2025, 5, 9), 1, date(2025, 5, 10), "Sat 10 May 2025 made a working day"),
    (date(2025, 4, 17), 1, date(2025, 4, 22), "Good Friday and Easter Monday 2025"),
    (date(2025, 6, 20), 1, date(2025, 6, 25), "Jāņi: Līgo 23 Jun and Jāņi 24 Jun"),
    (date(2026, 6, 19), 1, date(2026, 6, 25), "2026: 22 Jun moved off, 23-24 Jun holidays"),
    (date(2025, 12, 23), 1, date(2025, 12, 29), "Christmas Eve, Christmas, Second Christmas"),
    (date(2025, 12, 30), 1, date(2026, 1, 5), "31 Dec, 1 Jan, 2 Jan 2026 moved off"),
    (date(2025, 12, 25), 1, date(2025, 12, 29), "counting from a holiday"),
    (date(2024, 12, 20), 1, date(2024, 12, 27), "2024: 23 Dec moved off, 24-26 Dec holidays"),
    (date(2024, 12, 13), 1, date(2024, 12, 14), "Sat 14 Dec 2024 made a working day"),
]


@pytest.mark.parametrize(("start", "n", "due", "why"), CASES, ids=[c[3] for c in CASES])
def test_add_working_days(start: date, n: int, due: date, why: str) -> None:
    assert add_working_days(start, n) == due
    out = evaluate("working-days", {"from": start.isoformat(), "working_days": n})
    assert out["due"] == due.isoformat()
    assert out["basis"]


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 11, 18), False),  # Proclamation Day
        (date(2025, 5, 4), False),  # Restoration of Independence Day (Sunday)
        (date(2025, 5, 5), False),  # its Monday substitute
        (date(2025, 5, 2), False),  # moved day off
        (date(2025, 5, 10), True),  # Saturday made a working day
        (date(2025, 5, 17), False),  # ordinary Saturday
        (date(2025, 12, 31), False),  # Vecgada diena
        (date(2025, 6, 23), False),
        (date(2025, 6, 24), False),
        (date(2025, 4, 18), False),  # Good Friday
        (date(2025, 4, 21), False),  # Easter Monday
        (date(2025, 4, 22), True),
        (date(2026, 1, 17), True),  # Saturday made a working day (2026 order)
        (date(2026, 1, 2), False),
    ],
)
def test_is_working_day(day: date, working: bool) -> None:
    assert is_working_day(day) is working


def test_holiday_name_and_between() -> None:
    assert holiday_name(date(2025, 11, 18)) is not None
    assert holiday_name(date(2025, 11, 19)) is None
    assert working_days_between(date(2025, 12, 19), date(2026, 1, 5)) == 5
    assert working_days_between(date(2026, 1, 5), date(2025, 12, 19)) == 0


def test_negative_n_is_error() -> None:
    with pytest.raises(ValueError):
        add_working_days(date(2025, 1, 1), -1)


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31)), st.integers(0, 60))
def test_more_working_days_is_later(start: date, n: int) -> None:
    this, following = add_working_days(start, n), add_working_days(start, n + 1)
    assert following > this
    assert is_working_day(following)
    assert working_days_between(start, following) == n + 1
    assert all(not is_working_day(this + timedelta(days=k)) for k in range(1, (following - this).days))
