"""system-obligations: 22-TA-3183 p. 53, 58, 75, 82, 132.1."""

from __future__ import annotations

from typing import Any

import pytest

from kiber.rules.base import RuleInputError
from kiber.rules.registry import evaluate

# (input, expected output fields, points checked)
CASES: list[tuple[dict[str, Any], dict[str, Any], str]] = [
    (
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
        "A: p.53.1, p.58.1 18 months, p.75 3 months, p.132.1, p.82.1-82.2",
    ),
    (
        {"class": "A"},
        {"encrypt_in_transit": True, "encrypt_at_rest": True},
        "confidentiality defaults to class",
    ),
    (
        {"class": "A", "confidentiality": "B"},
        {"encrypt_in_transit": True, "encrypt_at_rest": False, "pentest_interval_years": 3},
        "p.82.1 in transit for conf B, p.82.2 at rest only for conf A",
    ),
    (
        {"class": "A", "confidentiality": "C"},
        {"encrypt_in_transit": False, "encrypt_at_rest": False, "mfa_required_for": ["administrator", "standard"]},
        "p.82: conf C needs no encryption; MFA follows the class",
    ),
    (
        {"class": "B"},
        {
            "mfa_required_for": ["administrator", "standard_remote"],
            "log_retention_months": 12,
            "restore_test_interval_months": 6,
            "pentest_before_production": False,
            "pentest_interval_years": None,
            "encrypt_in_transit": True,
            "encrypt_at_rest": False,
        },
        "B: p.53.2-53.3, p.58.2 12 months, p.75 6 months, no p.132.1",
    ),
    (
        {"class": "B", "confidentiality": "C"},
        {"encrypt_in_transit": False, "encrypt_at_rest": False},
        "B system with C confidentiality",
    ),
    (
        {"class": "C"},
        {
            "mfa_required_for": [],
            "log_retention_months": 6,
            "restore_test_interval_months": None,
            "pentest_before_production": False,
            "pentest_interval_years": None,
            "encrypt_in_transit": False,
            "encrypt_at_rest": False,
        },
        "C: no MFA (p.53), p.58.3 6 months, no p.75 interval",
    ),
]


@pytest.mark.parametrize(("payload", "expected", "why"), CASES, ids=[c[2] for c in CASES])
def test_obligations(payload: dict[str, Any], expected: dict[str, Any], why: str) -> None:
    out = evaluate("system-obligations", payload)
    for key, value in expected.items():
        assert out[key] == value, key
    assert "22-TA-3183 p.58" in out["basis"]


def test_basis_starts_as_in_contract() -> None:
    out = evaluate("system-obligations", {"class": "A", "confidentiality": "A"})
    assert out["basis"][:2] == ["22-TA-3183 p.53.1", "22-TA-3183 p.58"]
    assert {"22-TA-3183 p.75", "22-TA-3183 p.132.1", "22-TA-3183 p.82.1", "22-TA-3183 p.82.2"} <= set(out["basis"])


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({}, ["class"]),
        ({"class": "D"}, ["class"]),
        ({"class": "a"}, ["class"]),
        ({"class": "B", "confidentiality": "A"}, ["confidentiality"]),  # decision: conf cannot exceed class
        ({"class": "C", "confidentiality": "B"}, ["confidentiality"]),
        ({"klass": "A"}, ["class", "klass"]),
        ({"class": "A", "integrity": "A"}, ["integrity"]),
    ],
)
def test_invalid_input(payload: dict[str, Any], fields: list[str]) -> None:
    with pytest.raises(RuleInputError) as info:
        evaluate("system-obligations", payload)
    assert info.value.fields == fields
