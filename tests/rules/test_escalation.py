"""escalation-target: non-compliance escalation by public body type (22-TA-3183 p. 155-157)."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from kiber.cli import rules_command
from kiber.rules.escalation import EscalationInput, escalation_target
from kiber.rules.registry import evaluate

# (point, public_body_type, report_to, basis, also_informed)
CASES: list[tuple[str, str, str | None, list[str], list[str]]] = [
    (
        "p.155 direct administration",
        "direct_administration_institution",
        "responsible_cabinet_member",
        ["22-TA-3183 p.155"],
        [],
    ),
    (
        "p.156 municipality",
        "municipality",
        "municipal_council_chair",
        ["22-TA-3183 p.156"],
        ["minister_for_smart_administration_and_regional_development"],
    ),
    (
        "p.156 municipal indirect administration",
        "municipal_indirect_administration_institution",
        "municipal_council_chair",
        ["22-TA-3183 p.156"],
        ["minister_for_smart_administration_and_regional_development"],
    ),
    ("p.157 derived public person", "derived_public_person", "cabinet", ["22-TA-3183 p.157"], []),
    ("p.157 state indirect administration", "indirect_administration_institution", "cabinet", ["22-TA-3183 p.157"], []),
    ("p.157 other state institution", "other_state_institution", "cabinet", ["22-TA-3183 p.157"], []),
    (
        "p.155-157 not a public body",
        "not_public_body",
        None,
        ["22-TA-3183 p.155", "22-TA-3183 p.156", "22-TA-3183 p.157"],
        [],
    ),
]


@pytest.mark.parametrize(("point", "body", "target", "basis", "also"), CASES, ids=[c[0] for c in CASES])
def test_cases(point: str, body: str, target: str | None, basis: list[str], also: list[str]) -> None:
    out = evaluate("escalation-target", {"public_body_type": body})
    assert out["report_to"] == target
    assert out["applies"] is (target is not None)
    assert out["basis"] == basis and out["also_informed"] == also and out["reasons"]
    if target:
        assert out["report_to_lv"] and out["follow_up"]


def test_p155_follow_up_includes_disciplinary_assessment() -> None:
    out = evaluate("escalation-target", {"public_body_type": "direct_administration_institution"})
    assert any("disciplinary" in step for step in out["follow_up"])
    assert any("reports on the progress to the Cabinet" in step for step in out["follow_up"])


@pytest.mark.parametrize(
    ("is_ci_owner", "reported_by"),
    [
        (True, ["constitution_protection_bureau"]),
        (False, ["national_cybersecurity_centre"]),
        (None, ["national_cybersecurity_centre", "constitution_protection_bureau"]),
    ],
)
def test_reported_by_supervision_split(is_ci_owner: bool | None, reported_by: list[str]) -> None:
    out = escalation_target(EscalationInput(public_body_type="municipality", is_ci_owner=is_ci_owner))
    assert out.reported_by == reported_by


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({}, ["public_body_type"]),
        ({"public_body_type": "ministry"}, ["public_body_type"]),
        ({"public_body_type": "municipality", "is_ci_owner": "yes"}, ["is_ci_owner"]),
        ({"public_body_type": "municipality", "ci_owner": True}, ["ci_owner"]),
    ],
)
def test_invalid_input(payload: dict[str, Any], fields: list[str]) -> None:
    out = io.StringIO()
    status = rules_command(["escalation-target"], stdin=io.StringIO(json.dumps(payload)), out=out)
    assert status == 2
    assert json.loads(out.getvalue())["error"]["fields"] == fields


def test_input_must_be_object() -> None:
    out = io.StringIO()
    assert rules_command(["escalation-target"], stdin=io.StringIO("[1]"), out=out) == 2
    assert json.loads(out.getvalue())["error"]["fields"] == ["$"]
