"""review-intervals: recurring reviews, trainings and backups (22-TA-3183 p. 29, 32, 41, 71, 75, 77-79)."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from kiber.cli import rules_command
from kiber.rules.registry import evaluate


def run(**payload: Any) -> dict[str, Any]:
    return evaluate("review-intervals", payload)


# (point, input, output field, expected)
CASES: list[tuple[str, dict[str, Any], str, Any]] = [
    (
        "p.41.1 CI owner: yearly",
        {"subject_tier": "ci_owner", "plan_last_reviewed_on": "2025-03-15"},
        "plan_review_due",
        "2026-03-15",
    ),
    (
        "p.41.1 ESP with class A: yearly",
        {"subject_tier": "essential", "has_class_a_system": True, "plan_last_reviewed_on": "2025-03-15"},
        "plan_review_due",
        "2026-03-15",
    ),
    (
        "p.41.2 ESP without class A: two years",
        {"subject_tier": "essential", "plan_last_reviewed_on": "2025-03-15"},
        "plan_review_due",
        "2027-03-15",
    ),
    (
        "p.41.3 ISP: three years",
        {"subject_tier": "important", "plan_last_reviewed_on": "2025-03-15"},
        "plan_review_due",
        "2028-03-15",
    ),
    (
        "p.41.3 ISP with class A still three years",
        {"subject_tier": "important", "has_class_a_system": True},
        "plan_review_interval_years",
        3,
    ),
    (
        "p.41.1 leap day clamps",
        {"subject_tier": "ci_owner", "plan_last_reviewed_on": "2024-02-29"},
        "plan_review_due",
        "2025-02-28",
    ),
    ("p.41 no previous review", {"subject_tier": "ci_owner"}, "plan_review_due", None),
    (
        "p.29 policy every three years",
        {"subject_tier": "important", "policy_last_reviewed_on": "2025-01-31"},
        "policy_review_due",
        "2028-01-31",
    ),
    (
        "p.32 catalogue within one month",
        {"subject_tier": "important", "catalogue_changed_on": "2025-01-31"},
        "catalogue_update_due",
        "2025-02-28",
    ),
    (
        "p.32 catalogue, leap year",
        {"subject_tier": "important", "catalogue_changed_on": "2024-01-30"},
        "catalogue_update_due",
        "2024-02-29",
    ),
    (
        "p.77.1.1 initial briefing within a month",
        {"subject_tier": "important", "employee_started_on": "2025-08-31"},
        "initial_briefing_due",
        "2025-09-30",
    ),
    (
        "p.77.1.2 regular briefing next calendar year",
        {"subject_tier": "important", "last_regular_briefing_on": "2025-01-02"},
        "regular_briefing_due",
        "2026-12-31",
    ),
    (
        "p.77.1.2 none yet: this calendar year",
        {"subject_tier": "important", "as_of": "2025-06-01"},
        "regular_briefing_due",
        "2025-12-31",
    ),
    ("p.77.1.2 none, no as_of", {"subject_tier": "important"}, "regular_briefing_due", None),
    (
        "p.77.2 ICT staff training",
        {"subject_tier": "essential", "last_ict_staff_training_on": "2025-12-31"},
        "ict_staff_training_due",
        "2026-12-31",
    ),
    (
        "p.79 training content yearly",
        {"subject_tier": "essential", "training_content_last_reviewed_on": "2025-05-05"},
        "training_content_review_due",
        "2026-05-05",
    ),
    (
        "p.78 CI: outsourcer staff before start",
        {"subject_tier": "ci_owner", "outsourcing_performance_starts_on": "2025-09-01"},
        "outsourcer_staff_briefing_due",
        "2025-09-01",
    ),
    (
        "p.78 only CI owners",
        {"subject_tier": "essential", "outsourcing_performance_starts_on": "2025-09-01"},
        "outsourcer_staff_briefing_due",
        None,
    ),
    ("p.71.1 class A daily", {"subject_tier": "essential", "system_class": "A"}, "backup_max_interval_days", 1),
    ("p.71.2 class B weekly", {"subject_tier": "essential", "system_class": "B"}, "backup_max_interval_days", 7),
    ("p.71.3 class C six months", {"subject_tier": "important", "system_class": "C"}, "backup_max_interval_months", 6),
    (
        "p.71.1 next backup",
        {"subject_tier": "essential", "system_class": "A", "backup_dates": ["2025-03-01"]},
        "next_backup_due",
        "2025-03-02",
    ),
    (
        "p.71.3 next backup",
        {"subject_tier": "important", "system_class": "C", "backup_dates": ["2025-08-31"]},
        "next_backup_due",
        "2026-02-28",
    ),
    (
        "p.75 class A restore test 3 months",
        {"subject_tier": "essential", "system_class": "A", "last_restore_test_on": "2025-11-30"},
        "restore_test_due",
        "2026-02-28",
    ),
    (
        "p.75 class B restore test 6 months",
        {"subject_tier": "essential", "system_class": "B", "last_restore_test_on": "2025-01-15"},
        "restore_test_due",
        "2025-07-15",
    ),
    ("p.75 class C: none", {"subject_tier": "important", "system_class": "C"}, "restore_test_interval_months", None),
]


@pytest.mark.parametrize(("point", "payload", "field", "expected"), CASES, ids=[c[0] for c in CASES])
def test_cases(point: str, payload: dict[str, Any], field: str, expected: Any) -> None:
    out = run(**payload)
    assert out[field] == expected
    assert out["basis"] and out["reasons"]


def test_p71_1_class_a_restore_points() -> None:
    out = run(subject_tier="essential", system_class="A")
    assert [(p["point"], p["min_age_days"], p["max_age_days"]) for p in out["restore_points"]] == [
        ("previous_day", 0, 1),
        ("week_ago", 7, 31),
        ("month_ago", 30, 365),
        ("previous_year", 366, None),
    ]
    assert out["missing_restore_points"] is None  # no as_of: coverage not checked


@pytest.mark.parametrize(
    ("cls", "backups", "missing"),
    [
        # p.71.1: ages 1, 10, 100, 400 days on 2025-06-01 cover every point
        ("A", ["2025-05-31", "2025-05-22", "2025-02-21", "2024-04-27"], []),
        # age 2 does not cover "previous day"; age 365 is not "older than 365 days"
        ("A", ["2025-05-30", "2025-05-22", "2025-02-21", "2024-06-01"], ["previous_day", "previous_year"]),
        ("A", ["2025-06-01", "2025-05-25", "2024-06-02", "2024-05-31"], []),  # ages 0, 7, 364, 366
        # p.71.2: last week 0-7 days; age 8 falls in week_ago only
        ("B", ["2025-05-24", "2025-04-01", "2023-01-01"], ["last_week"]),
        # age 7 is both "within the last week" (1-7) and "a week ago" (7-31): the ranges share day 7
        ("B", ["2025-05-25", "2025-04-01", "2023-01-01"], []),
        ("B", ["2025-05-26", "2025-04-01", "2023-01-01"], ["week_ago"]),  # ages 6, 61, ...: nothing in 7-31
        ("B", [], ["last_week", "week_ago", "month_ago", "previous_year"]),
    ],
)
def test_p71_coverage(cls: str, backups: list[str], missing: list[str]) -> None:
    out = run(subject_tier="essential", system_class=cls, as_of="2025-06-01", backup_dates=backups)
    assert out["missing_restore_points"] == missing
    assert [o for o in out["overdue"] if o.startswith("restore_point:")] == [f"restore_point:{m}" for m in missing]


@pytest.mark.parametrize(
    ("backups", "change", "missing"),
    [
        (["2025-01-01"], None, []),  # 151 days old: within six months (p.71.3)
        (["2024-12-01"], None, []),  # exactly six months before 2025-06-01: not older than six months
        (["2024-11-30"], None, ["six_months"]),  # one day older
        (["2025-03-01"], "2025-04-01", []),  # before the change, within six months
        (["2025-05-01"], "2025-04-01", ["before_last_significant_change"]),  # only after the change
        (["2025-04-01"], "2025-04-01", []),  # on the change day counts as before it
        (["2025-05-01"], "2024-06-01", []),  # change older than six months: the six-month copy suffices
    ],
)
def test_p71_3_class_c(backups: list[str], change: str | None, missing: list[str]) -> None:
    out = run(
        subject_tier="important",
        system_class="C",
        as_of="2025-06-01",
        backup_dates=backups,
        last_significant_change_on=change,
    )
    assert out["missing_restore_points"] == missing


def test_overdue_lists_items_due_before_as_of() -> None:
    out = run(
        subject_tier="essential",
        as_of="2026-01-01",
        plan_last_reviewed_on="2023-12-31",
        policy_last_reviewed_on="2023-01-01",
        catalogue_changed_on="2025-11-30",
        last_regular_briefing_on="2025-03-01",
    )
    assert out["plan_review_due"] == "2025-12-31"
    # plan 2025-12-31 and catalogue 2025-12-30 are past; policy 2026-01-01 is due today, not overdue
    assert out["overdue"] == ["plan_review", "catalogue_update"]


def test_overdue_boundary_due_today_is_not_overdue() -> None:
    out = run(subject_tier="ci_owner", as_of="2026-03-15", plan_last_reviewed_on="2025-03-15")
    assert "plan_review" not in out["overdue"]
    out = run(subject_tier="ci_owner", as_of="2026-03-16", plan_last_reviewed_on="2025-03-15")
    assert "plan_review" in out["overdue"]


def cli(payload: str) -> tuple[int, dict[str, Any]]:
    out = io.StringIO()
    status = rules_command(["review-intervals"], stdin=io.StringIO(payload), out=out)
    return status, json.loads(out.getvalue())


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({}, ["subject_tier"]),
        ({"subject_tier": "essential", "system_class": "D"}, ["system_class"]),
        ({"subject_tier": "essential", "plan_last_reviewed_on": "2025-13-01"}, ["plan_last_reviewed_on"]),
        ({"subject_tier": "essential", "backup_dates": ["2025-01-01", 20250101]}, ["backup_dates.1"]),
        ({"subject_tier": "essential", "has_class_a_system": 1}, ["has_class_a_system"]),
        ({"subject_tier": "essential", "plan_reviewed_on": "2025-01-01"}, ["plan_reviewed_on"]),
        (
            {
                "subject_tier": "essential",
                "as_of": "2025-01-01",
                "policy_last_reviewed_on": "2025-01-02",
                "backup_dates": ["2025-01-03"],
            },
            ["policy_last_reviewed_on", "backup_dates.0"],
        ),
    ],
)
def test_invalid_input(payload: dict[str, Any], fields: list[str]) -> None:
    status, body = cli(json.dumps(payload))
    assert status == 2
    assert body["error"]["fields"] == fields
