"""report-deadlines: p. 122 -> NIS2 Art. 23(4); elapsed hours, Riga calendar months."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiber.rules.base import RIGA, RuleInputError
from kiber.rules.registry import evaluate
from kiber.rules.report_deadlines import add_months, one_month_after


def run(**payload: Any) -> dict[str, Any]:
    return evaluate("report-deadlines", payload)


def test_contract_example() -> None:
    out = run(
        aware_at="2025-03-01T10:15:00+02:00",
        entity_type="other",
        trust_service_impact=False,
        initial_report_submitted_at=None,
        resolved_at=None,
        as_of="2025-03-05T12:00:00+02:00",
    )
    assert out["early_warning_due"] == "2025-03-02T10:15:00+02:00"  # Art.23(4)(a)
    assert out["initial_report_due"] == "2025-03-04T10:15:00+02:00"  # Art.23(4)(b)
    assert out["final_report_due"] == "2025-04-04T10:15:00+03:00"  # Art.23(4)(d), month over DST
    assert out["progress_report_due"] is None
    assert out["overdue"] == ["early_warning", "initial_report"]


# (aware_at, early warning due, initial report due, final report due, what it checks)
DST_CASES = [
    (
        "2025-03-29T12:00:00+02:00",
        "2025-03-30T13:00:00+03:00",
        "2025-04-01T13:00:00+03:00",
        "2025-05-01T13:00:00+03:00",
        "spring DST (30 Mar 2025): 24 h / 72 h are elapsed hours, wall clock moves +1",
    ),
    (
        "2025-10-25T12:00:00+03:00",
        "2025-10-26T11:00:00+02:00",
        "2025-10-28T11:00:00+02:00",
        "2025-11-28T11:00:00+02:00",
        "autumn DST (26 Oct 2025): wall clock moves -1",
    ),
    (
        "2025-03-01T08:15:00+00:00",
        "2025-03-02T10:15:00+02:00",
        "2025-03-04T10:15:00+02:00",
        "2025-04-04T10:15:00+03:00",
        "input in UTC, output in Riga time",
    ),
    (
        "2025-01-28T12:00:00+02:00",
        "2025-01-29T12:00:00+02:00",
        "2025-01-31T12:00:00+02:00",
        "2025-02-28T12:00:00+02:00",
        "31 Jan -> 28 Feb (clamped)",
    ),
    (
        "2024-01-28T12:00:00+02:00",
        "2024-01-29T12:00:00+02:00",
        "2024-01-31T12:00:00+02:00",
        "2024-02-29T12:00:00+02:00",
        "31 Jan -> 29 Feb in a leap year",
    ),
    (
        "2025-09-25T23:30:00+03:00",
        "2025-09-26T23:30:00+03:00",
        "2025-09-28T23:30:00+03:00",
        "2025-10-28T23:30:00+02:00",
        "month across the October change keeps the wall clock",
    ),
]


@pytest.mark.parametrize(("aware", "ew", "ir", "final", "why"), DST_CASES, ids=[c[4] for c in DST_CASES])
def test_hours_and_months(aware: str, ew: str, ir: str, final: str, why: str) -> None:
    out = run(aware_at=aware)
    assert (out["early_warning_due"], out["initial_report_due"], out["final_report_due"]) == (ew, ir, final)
    assert out["progress_report_due"] is None
    assert out["overdue"] is None  # no as_of -> no overdue list (decision: null)


def test_trust_service_impact_initial_24h() -> None:
    # NIS2 Art.23(4)(b) derogation for trust service providers
    out = run(aware_at="2025-03-01T10:15:00+02:00", entity_type="trust_service", trust_service_impact=True)
    assert out["initial_report_due"] == "2025-03-02T10:15:00+02:00"
    assert out["final_report_due"] == "2025-04-02T10:15:00+03:00"


def test_final_runs_from_submitted_initial_report() -> None:
    # Art.23(4)(d): one month after the submission of the incident notification
    out = run(aware_at="2025-03-01T10:15:00+02:00", initial_report_submitted_at="2025-03-03T09:00:00+02:00")
    assert out["final_report_due"] == "2025-04-03T09:00:00+03:00"


def test_unresolved_by_as_of_gives_progress_report() -> None:
    # Art.23(4)(e): ongoing at the final-report moment -> progress report then, final after handling
    out = run(aware_at="2025-03-01T10:15:00+02:00", as_of="2025-04-10T00:00:00+03:00")
    assert out["progress_report_due"] == "2025-04-04T10:15:00+03:00"
    assert out["final_report_due"] is None
    assert out["overdue"] == ["early_warning", "initial_report", "progress_report"]
    assert "NIS2 Art.23(4)(e)" in out["basis"]


def test_as_of_exactly_at_final_moment_is_unresolved_but_not_overdue() -> None:
    out = run(aware_at="2025-03-01T10:15:00+02:00", as_of="2025-04-04T10:15:00+03:00")
    assert out["progress_report_due"] == "2025-04-04T10:15:00+03:00"
    assert out["final_report_due"] is None
    assert out["overdue"] == ["early_warning", "initial_report"]  # strict "before as_of"


def test_resolved_after_final_moment() -> None:
    out = run(aware_at="2025-03-01T10:15:00+02:00", resolved_at="2025-04-30T12:00:00+03:00")
    assert out["progress_report_due"] == "2025-04-04T10:15:00+03:00"
    assert out["final_report_due"] == "2025-05-30T12:00:00+03:00"
    assert out["overdue"] is None


def test_resolved_exactly_at_final_moment_keeps_final() -> None:
    out = run(aware_at="2025-03-01T10:15:00+02:00", resolved_at="2025-04-04T10:15:00+03:00")
    assert out["progress_report_due"] is None
    assert out["final_report_due"] == "2025-04-04T10:15:00+03:00"


def test_resolved_before_final_moment_even_if_as_of_later() -> None:
    out = run(
        aware_at="2025-03-01T10:15:00+02:00",
        resolved_at="2025-03-20T12:00:00+02:00",
        as_of="2025-05-01T00:00:00+03:00",
    )
    assert out["progress_report_due"] is None
    assert out["final_report_due"] == "2025-04-04T10:15:00+03:00"
    assert out["overdue"] == ["early_warning", "initial_report", "final_report"]


def test_submitted_stages_are_not_overdue() -> None:
    out = run(
        aware_at="2025-03-01T10:15:00+02:00",
        early_warning_submitted_at="2025-03-01T18:00:00+02:00",
        initial_report_submitted_at="2025-03-06T09:00:00+02:00",  # late, but submitted
        resolved_at="2025-05-01T12:00:00+03:00",
        progress_report_submitted_at="2025-04-06T09:00:00+03:00",
        final_report_submitted_at="2025-05-20T09:00:00+03:00",
        as_of="2025-07-01T00:00:00+03:00",
    )
    assert out["progress_report_due"] == "2025-04-06T09:00:00+03:00"
    assert out["final_report_due"] == "2025-06-01T12:00:00+03:00"
    assert out["overdue"] == []


def test_overdue_is_strictly_before_as_of() -> None:
    out = run(aware_at="2025-03-01T10:15:00+02:00", as_of="2025-03-02T10:15:00+02:00")
    assert out["overdue"] == []
    out = run(aware_at="2025-03-01T10:15:00+02:00", as_of="2025-03-02T08:15:01+00:00")
    assert out["overdue"] == ["early_warning"]


def test_add_months_nonexistent_and_ambiguous_wall_time() -> None:
    # 30 Mar 2025 03:30 does not exist in Riga -> moves forward by the gap (fold=0 decision)
    moved = add_months(datetime(2025, 1, 30, 3, 30, tzinfo=RIGA), 2)
    assert moved.isoformat() == "2025-03-30T04:30:00+03:00"
    # 26 Oct 2025 03:30 exists twice -> the first (summer time) occurrence
    twice = one_month_after(datetime(2025, 9, 26, 3, 30, tzinfo=RIGA))
    assert twice.isoformat() == "2025-10-26T03:30:00+03:00"
    assert add_months(datetime(2025, 12, 31, 12, tzinfo=RIGA), 2).isoformat() == "2026-02-28T12:00:00+02:00"


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({"aware_at": "2025-03-01T10:15:00"}, ["aware_at"]),  # no offset
        ({}, ["aware_at"]),
        ({"aware_at": "2025-03-01T10:15:00+02:00", "as_of": "2025-03-05T12:00:00"}, ["as_of"]),
        ({"aware_at": "2025-03-01T10:15:00+02:00", "entity_type": "bank"}, ["entity_type"]),
        ({"aware_at": "2025-03-01T10:15:00+02:00", "trust_service_impact": "yes"}, ["trust_service_impact"]),
        ({"aware_at": "2025-02-30T10:15:00+02:00"}, ["aware_at"]),
        ({"aware_at": 1700000000}, ["aware_at"]),
        ({"aware_at": "2025-03-01T10:15:00+02:00", "resolved": "2025-03-01T10:15:00+02:00"}, ["resolved"]),
        (
            {
                "aware_at": "2025-03-01T10:15:00+02:00",
                "initial_report_submitted_at": "2025-02-28T10:15:00+02:00",
            },
            ["initial_report_submitted_at"],
        ),
    ],
)
def test_invalid_input(payload: dict[str, Any], fields: list[str]) -> None:
    with pytest.raises(RuleInputError) as info:
        evaluate("report-deadlines", payload)
    assert info.value.fields == fields


aware_datetimes = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 12, 31)).map(
    lambda d: d.replace(microsecond=0, tzinfo=RIGA)
)


@settings(max_examples=200, deadline=None)
@given(
    aware=aware_datetimes,
    trust=st.booleans(),
    submit_after_h=st.none() | st.integers(0, 24 * 60),
    resolved_after_h=st.none() | st.integers(-24 * 30, 24 * 120),
    as_of_after_h=st.none() | st.integers(-24, 24 * 120),
)
def test_deadlines_never_precede_aware_at(
    aware: datetime,
    trust: bool,
    submit_after_h: int | None,
    resolved_after_h: int | None,
    as_of_after_h: int | None,
) -> None:
    def later(hours: int | None) -> str | None:
        return None if hours is None else (aware + timedelta(hours=hours)).isoformat()

    out = run(
        aware_at=aware.isoformat(),
        trust_service_impact=trust,
        initial_report_submitted_at=later(submit_after_h),
        resolved_at=later(resolved_after_h),
        as_of=later(as_of_after_h),
    )
    dues = [
        out[k] for k in ("early_warning_due", "initial_report_due", "progress_report_due", "final_report_due")
    ]
    for due in dues:
        if due is not None:
            moment = datetime.fromisoformat(due)
            assert moment >= aware
            assert moment.utcoffset() == moment.astimezone(RIGA).utcoffset()
    assert datetime.fromisoformat(out["early_warning_due"]) - aware == timedelta(hours=24)
    assert datetime.fromisoformat(out["early_warning_due"]) <= datetime.fromisoformat(
        out["initial_report_due"]
    )
    assert (out["overdue"] is None) == (as_of_after_h is None)
    assert aware.astimezone(UTC)  # aware input stays aware


def test_python_api_with_zoneinfo_input_adds_elapsed_hours() -> None:
    from kiber.rules.report_deadlines import ReportDeadlinesInput, report_deadlines

    result = report_deadlines(ReportDeadlinesInput(aware_at=datetime(2025, 3, 29, 12, 0, tzinfo=RIGA)))
    assert result.early_warning_due.isoformat() == "2025-03-30T13:00:00+03:00"
    assert result.initial_report_due.isoformat() == "2025-04-01T13:00:00+03:00"
