"""The contract's examples for security-class, system-obligations, report-deadlines, working-days,
self-assessment-due and action-plan-status, through ``kiber rules`` (contract: CLI, error convention)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kiber.cli import rules_command

# (rule, contract input, contract output fields that must be equal)
EXAMPLES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    (
        "security-class",
        {
            "subject_category": "essential",
            "in_ci_set": False,
            "resources": [
                {
                    "name": "citizens register",
                    "personal_data_subjects": 1200000,
                    "special_category_subjects": 0,
                    "national_security_harm": False,
                    "restricted_information": False,
                    "reputation_harm_lv": False,
                    "ownership_registration": False,
                    "integrity_breach_stops_state_functions_or_ci": False,
                    "integrity_breach_causes_disaster": False,
                    "integrity_breach_stops_own_service": True,
                    "integrity_breach_stops_other_subjects": False,
                    "tolerated_unplanned_downtime_pct": 0.5,
                    "unavailability_stops_state_functions_or_ci": False,
                    "dependent_systems_availability": ["B"],
                }
            ],
        },
        {
            "confidentiality": "A",
            "integrity": "B",
            "availability": "B",
            "class": "A",
            "resources": [{"name": "citizens register", "confidentiality": "A", "integrity": "B", "availability": "B"}],
            "warnings": [],
            "basis": ["22-TA-3183 Annex 4", "22-TA-3183 p.34.1"],
        },
    ),
    (
        "system-obligations",
        {"class": "A", "confidentiality": "A"},
        {
            "mfa_required_for": ["administrator", "standard"],
            "log_retention_months": 18,
            "restore_test_interval_months": 3,
            "pentest_before_production": True,
            "pentest_interval_years": 3,
            "encrypt_in_transit": True,
            "encrypt_at_rest": True,
        },
    ),
    (
        "report-deadlines",
        {
            "aware_at": "2025-03-01T10:15:00+02:00",
            "entity_type": "other",
            "trust_service_impact": False,
            "initial_report_submitted_at": None,
            "resolved_at": None,
            "as_of": "2025-03-05T12:00:00+02:00",
        },
        {
            "early_warning_due": "2025-03-02T10:15:00+02:00",
            "initial_report_due": "2025-03-04T10:15:00+02:00",
            "final_report_due": "2025-04-04T10:15:00+03:00",
            "progress_report_due": None,
            "overdue": ["early_warning", "initial_report"],
        },
    ),
    ("working-days", {"from": "2025-12-19", "working_days": 5}, {"due": "2026-01-05"}),
    (
        "self-assessment-due",
        {
            "is_ci_owner": False,
            "has_class_a_system": False,
            "status_since": "2025-08-15",
            "last_submitted_on": None,
            "frequency_years_override": None,
        },
        {"frequency_years": 3, "next_due": "2025-11-15"},
    ),
    (
        "action-plan-status",
        {
            "deadline": "2015. g. 2. cet.",
            "as_of": "2019-05-09",
            "progress": "partial",
            "work_ongoing": False,
            "relevant": True,
        },
        {"status": "partially_completed", "label_lv": "Daļēji izpildīts", "deadline_date": "2015-06-30"},
    ),
]


def cli(args: list[str], text: str = "") -> tuple[int, dict[str, Any]]:
    out = io.StringIO()
    status = rules_command(args, stdin=io.StringIO(text), out=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1, out.getvalue()
    return status, json.loads(lines[0])


@pytest.mark.parametrize(("rule", "payload", "expected"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_contract_example_via_stdin(rule: str, payload: dict[str, Any], expected: dict[str, Any]) -> None:
    status, result = cli([rule], json.dumps(payload))
    assert status == 0
    for key, value in expected.items():
        assert result[key] == value, key
    assert isinstance(result["basis"], list) and all(isinstance(b, str) for b in result["basis"])
    assert result["basis"]


@pytest.mark.parametrize(("rule", "payload", "expected"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_contract_example_via_file(
    rule: str, payload: dict[str, Any], expected: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "input.json"
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    status, result = cli([rule, str(path)])
    assert status == 0
    assert {k: result[k] for k in expected} == expected


# (rule, raw input text, expected error field paths)
INVALID: list[tuple[str, str, list[str]]] = [
    ("security-class", '{"subject_category": "essential", "resources": []}', ["resources"]),
    (
        "security-class",
        '{"subject_category": "essential", "resources": [{}]}',
        ["resources.0.tolerated_unplanned_downtime_pct"],
    ),
    ("system-obligations", '{"class": "X"}', ["class"]),
    ("report-deadlines", '{"aware_at": "2025-03-01T10:15:00"}', ["aware_at"]),
    ("working-days", '{"from": "2025-12-19", "working_days": -1}', ["working_days"]),
    ("working-days", '{"from": "2025-02-29", "working_days": 1}', ["from"]),
    ("working-days", '{"start": "2025-02-28", "working_days": 1}', ["from", "start"]),
    ("self-assessment-due", '{"status_since": "2025-13-01"}', ["status_since"]),
    ("action-plan-status", '{"deadline": "drīzumā", "as_of": "2019-05-09", "progress": "none"}', ["deadline"]),
    ("action-plan-status", "[1, 2]", ["$"]),
    ("working-days", '{"from": "2025-12-19", "working_days": 5', []),  # malformed JSON
]


@pytest.mark.parametrize(("rule", "text", "fields"), INVALID, ids=[f"{i[0]}:{i[2]}" for i in INVALID])
def test_invalid_input_exit_2(rule: str, text: str, fields: list[str]) -> None:
    status, result = cli([rule], text)
    assert status == 2
    assert set(result) == {"error"}
    assert result["error"]["fields"] == fields
    assert result["error"]["message"]


KIBER = Path(sys.executable).with_name("kiber")


@pytest.mark.skipif(not KIBER.exists(), reason="kiber console script not installed")
@pytest.mark.parametrize(
    ("rule", "text", "status"),
    [
        ("working-days", '{"from": "2025-12-19", "working_days": 5}', 0),
        ("report-deadlines", '{"aware_at": "9999-12-31T10:00:00+02:00"}', 2),
        ("self-assessment-due", '{"status_since": "9999-12-01"}', 2),
        ("working-days", '{"from": "9999-12-30", "working_days": 5}', 2),
        ("security-class", "not json", 2),
    ],
)
def test_subprocess_never_traceback(rule: str, text: str, status: int) -> None:
    proc = subprocess.run(
        [str(KIBER), "rules", rule], input=text, capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == status, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    data = json.loads(proc.stdout)
    assert ("error" in data) == (status == 2)
