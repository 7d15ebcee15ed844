"""supervision-obligations: penetration tests, scans, sensors (22-TA-3183 p. 132-150)."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from kiber.cli import rules_command
from kiber.rules.registry import evaluate


def run(**payload: Any) -> dict[str, Any]:
    return evaluate("supervision-obligations", payload)


# (point, input, field, expected)
CASES: list[tuple[str, dict[str, Any], str, Any]] = [
    (
        "p.132.1.1 class A: before commissioning",
        {"subject_tier": "essential", "system_class": "A", "commissioning_date": "2025-10-01"},
        "next_pentest_due",
        "2025-10-01",
    ),
    (
        "p.132.1.2 class A: every three years",
        {"subject_tier": "essential", "system_class": "A", "last_pentest_on": "2025-04-30"},
        "next_pentest_due",
        "2028-04-30",
    ),
    (
        "p.132.1.2 leap day",
        {"subject_tier": "ci_owner", "system_class": "A", "last_pentest_on": "2024-02-29"},
        "next_pentest_due",
        "2027-02-28",
    ),
    ("p.132.1 class A required", {"subject_tier": "important", "system_class": "A"}, "pentest_required", True),
    (
        "p.132.2 class B: no cadence",
        {"subject_tier": "essential", "system_class": "B", "last_pentest_on": "2020-01-01"},
        "next_pentest_due",
        None,
    ),
    (
        "p.132.2 class B interval none",
        {"subject_tier": "essential", "system_class": "B"},
        "pentest_interval_years",
        None,
    ),
    (
        "p.132.1.2 due day is not overdue",
        {"subject_tier": "essential", "system_class": "A", "last_pentest_on": "2022-05-01", "as_of": "2025-05-01"},
        "pentest_overdue",
        False,
    ),
    (
        "p.132.1.2 day after due is overdue",
        {"subject_tier": "essential", "system_class": "A", "last_pentest_on": "2022-05-01", "as_of": "2025-05-02"},
        "pentest_overdue",
        True,
    ),
    # p.135: 10 working days; 2025-12-19 (Fri) + 10 wd skips 24-26 Dec, 31 Dec, 1 Jan and the moved
    # day off of Fri 2 Jan 2026 (worked on Sat 17 Jan)
    (
        "p.135 CI results to SAB in 10 working days",
        {"subject_tier": "ci_owner", "pentest_results_on": "2025-12-19"},
        "pentest_results_to_sab_due",
        "2026-01-12",
    ),
    (
        "p.135 plain fortnight",
        {"subject_tier": "ci_owner", "pentest_results_on": "2025-03-03"},
        "pentest_results_to_sab_due",
        "2025-03-17",
    ),
    (
        "p.135 only CI owners",
        {"subject_tier": "essential", "pentest_results_on": "2025-03-03"},
        "pentest_results_to_sab_due",
        None,
    ),
    (
        "p.136.2 CI: SAB requests scans",
        {"subject_tier": "ci_owner"},
        "scan_requested_by",
        ["constitution_protection_bureau", "subject"],
    ),
    (
        "p.136.1 non-CI: NCC requests scans",
        {"subject_tier": "important"},
        "scan_requested_by",
        ["national_cybersecurity_centre", "subject"],
    ),
    (
        "p.137 CI scanners",
        {"subject_tier": "ci_owner"},
        "scan_performers",
        ["sab_officials", "csirt_on_sab_request", "other_with_sab_opinion"],
    ),
    (
        "p.141 non-CI scanners",
        {"subject_tier": "essential"},
        "scan_performers",
        ["ncc_officials", "csirt_officials", "other_meeting_p93"],
    ),
    (
        "p.137 NCC may not scan a CI owner",
        {"subject_tier": "ci_owner", "scan_performer": "ncc_officials"},
        "scan_performer_allowed",
        False,
    ),
    ("p.138 CI: whole infrastructure", {"subject_tier": "ci_owner"}, "scan_whole_infrastructure_by_default", True),
    # p.139.3: 48 elapsed hours before the start, across the DST change of 2025-03-30
    (
        "p.139.3 notice 48 h before",
        {
            "subject_tier": "ci_owner",
            "scan_performer": "csirt_on_sab_request",
            "scan_starts_at": "2025-06-12T09:00:00+03:00",
        },
        "scan_notice_due",
        "2025-06-10T09:00:00+03:00",
    ),
    (
        "p.139.3 across DST",
        {
            "subject_tier": "ci_owner",
            "scan_performer": "other_with_sab_opinion",
            "scan_starts_at": "2025-03-31T10:00:00+03:00",
        },
        "scan_notice_due",
        "2025-03-29T09:00:00+02:00",
    ),
    (
        "p.139.3 UTC input shown in Riga",
        {
            "subject_tier": "ci_owner",
            "scan_performer": "csirt_on_sab_request",
            "scan_starts_at": "2025-01-10T08:00:00Z",
        },
        "scan_notice_due",
        "2025-01-08T10:00:00+02:00",
    ),
    (
        "p.139 not when SAB scans itself",
        {"subject_tier": "ci_owner", "scan_performer": "sab_officials", "scan_starts_at": "2025-06-12T09:00:00+03:00"},
        "scan_notice_due",
        None,
    ),
    (
        "p.139 only for CI owners",
        {
            "subject_tier": "essential",
            "scan_performer": "csirt_officials",
            "scan_starts_at": "2025-06-12T09:00:00+03:00",
        },
        "scan_notice_due",
        None,
    ),
    ("p.144.1 CI", {"subject_tier": "ci_owner"}, "sensor_priority", 1),
    ("p.144.2 ESP with class A", {"subject_tier": "essential", "has_class_a_system": True}, "sensor_priority", 2),
    ("p.144.2 ESP, system class A", {"subject_tier": "essential", "system_class": "A"}, "sensor_priority", 2),
    ("p.144.3 other ESP", {"subject_tier": "essential", "system_class": "B"}, "sensor_priority", 3),
    ("p.144.4 ISP", {"subject_tier": "important", "has_class_a_system": True}, "sensor_priority", 4),
    ("p.150 CSIRT SOC: no sensor", {"subject_tier": "ci_owner", "csirt_soc_present": True}, "sensor_priority", None),
    (
        # Mon 17 Nov 2025 is a moved day off, Tue 18 Nov a holiday
        "p.147 sensor notice 5 working days",
        {"subject_tier": "important", "sensor_event_on": "2025-11-14"},
        "sensor_notice_due",
        "2025-11-25",
    ),
    (
        "p.148 CI: SAB informed immediately",
        {"subject_tier": "ci_owner", "sensor_event_on": "2025-11-14"},
        "sensor_sab_informed_immediately",
        True,
    ),
]


@pytest.mark.parametrize(("point", "payload", "field", "expected"), CASES, ids=[c[0] for c in CASES])
def test_cases(point: str, payload: dict[str, Any], field: str, expected: Any) -> None:
    out = run(**payload)
    assert out[field] == expected
    assert out["basis"] and out["reasons"]


def test_p133_performers_by_tier() -> None:
    assert (
        "outside_tester_with_sab_opinion_qualified_not_involved_3_years"
        in run(subject_tier="ci_owner")["pentest_performers"]
    )
    assert run(subject_tier="important")["requested_pentest_performers"] == [
        "ncc_or_csirt_officials",
        "outside_tester_qualified_not_involved_3_years",
    ]


def test_basis_names_points() -> None:
    out = run(
        subject_tier="ci_owner",
        system_class="A",
        last_pentest_on="2025-01-01",
        pentest_results_on="2025-01-02",
        scan_performer="csirt_on_sab_request",
        scan_starts_at="2025-02-01T10:00:00+02:00",
    )
    for point in ("132.1.1", "132.1.2", "135", "136.2", "137", "138", "139.3", "144.1"):
        assert f"22-TA-3183 p.{point}" in out["basis"]


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({}, ["subject_tier"]),
        ({"subject_tier": "ci_owner", "scan_starts_at": "2025-06-12T09:00:00"}, ["scan_starts_at"]),
        ({"subject_tier": "ci_owner", "scan_performer": "police"}, ["scan_performer"]),
        ({"subject_tier": "ci_owner", "last_pentest_on": "2025-02-29"}, ["last_pentest_on"]),
        ({"subject_tier": "ci_owner", "system_class": "a"}, ["system_class"]),
        ({"subject_tier": "ci_owner", "csirt_soc": True}, ["csirt_soc"]),
        ({"subject_tier": "ci_owner", "system_class": "A", "last_pentest_on": "9999-03-01"}, ["last_pentest_on"]),
    ],
)
def test_invalid_input(payload: dict[str, Any], fields: list[str]) -> None:
    out = io.StringIO()
    status = rules_command(["supervision-obligations"], stdin=io.StringIO(json.dumps(payload)), out=out)
    assert status == 2
    assert json.loads(out.getvalue())["error"]["fields"] == fields
