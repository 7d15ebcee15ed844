"""Contract examples and error contract through the CLI: entity-category, sectors, significance."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kiber.cli import rules_command

KIBER = Path(sys.executable).with_name("kiber")

ENTITY_EXAMPLE = {
    "sector": "energy",
    "subsector": "electricity",
    "entity_kind": "other",
    "employees": 120,
    "annual_turnover_eur": 30000000,
    "balance_sheet_eur": 20000000,
}

SIGNIFICANCE_EXAMPLE = json.loads(
    """{"entity_type": "cloud", "annual_turnover_eur": 8000000,
 "direct_financial_loss_eur": 0, "trade_secret_exfiltration": false, "deaths": 0,
 "considerable_health_damage": false, "malicious_unauthorised_access_severe": false,
 "scheduled_maintenance": false,
 "complete_unavailability_minutes": 45, "limited_availability_minutes": 0,
 "users_total_eu": 100000, "users_affected_eu": 0,
 "avg_response_time_seconds": 0, "slow_response_minutes": 0,
 "data_compromised": false, "suspected_malicious": false, "users_data_compromised_eu": 0,
 "physical_access_compromised": false,
 "domains_incorrect": 0, "domains_managed": 0, "misconfiguration": false,
 "weekly_unavailability_minutes": 0,
 "occurred_at": "2025-03-01T10:00:00+02:00", "root_cause": "expired certificate",
 "previous_incidents": [{"occurred_at": "2024-12-01T09:00:00+02:00", "root_cause": "expired certificate",
                          "direct_financial_loss_eur": 300000}]}"""
)


def cli(args: list[str], text: str) -> tuple[int, dict[str, Any]]:
    out = io.StringIO()
    status = rules_command(args, stdin=io.StringIO(text), out=out)
    return status, json.loads(out.getvalue())


def subprocess_cli(name: str, text: str) -> tuple[int, dict[str, Any]]:
    done = subprocess.run(
        [str(KIBER), "rules", name], input=text, capture_output=True, text=True, timeout=60, check=False
    )
    assert "Traceback" not in done.stderr
    return done.returncode, json.loads(done.stdout)


# --- contract examples ---


def test_entity_category_contract_example() -> None:
    status, out = cli(["entity-category"], json.dumps(ENTITY_EXAMPLE))
    assert status == 0
    assert out["category"] == "important" and out["size"] == "medium"
    assert {"category", "size", "basis", "reasons"} <= out.keys()
    assert "NIS2 Art.3(2)" in out["basis"]


def test_significance_contract_example() -> None:
    """Contract: {"significant": true, "criteria": ["CIR 2024/2690 Art.7(a)"], "basis": [...]}.

    The earlier incident has the same cause within 6 months, but 300 000 + 0 is not above 5 % of
    EUR 8 m (400 000), so Art. 4 is not met.
    """
    status, out = cli(["significance"], json.dumps(SIGNIFICANCE_EXAMPLE))
    assert status == 0
    assert out["significant"] is True
    assert out["criteria"] == ["CIR 2024/2690 Art.7(a)"]
    assert out["basis"] and all(isinstance(b, str) for b in out["basis"])


def test_sectors_listing_without_input() -> None:
    status, out = cli(["sectors"], "")
    assert status == 0
    slugs = [s["slug"] for s in out["sectors"]]
    assert len(slugs) == 18 and slugs[0] == "energy" and slugs[-1] == "research"
    energy = out["sectors"][0]
    assert energy["name_lv"] == "Enerģētika" and energy["name_en"] == "Energy"
    assert [s["slug"] for s in energy["subsectors"]] == [
        "electricity",
        "district_heating_cooling",
        "oil",
        "gas",
        "hydrogen",
    ]


def test_rule_list_names_the_rules() -> None:
    status, out = cli([], "")
    assert status == 0
    assert {"entity-category", "sectors", "significance"} <= out.keys()


def test_file_argument(tmp_path: Path) -> None:
    path = tmp_path / "in.json"
    path.write_text(json.dumps(SIGNIFICANCE_EXAMPLE), encoding="utf-8")
    status, out = cli(["significance", str(path)], "")
    assert status == 0 and out["criteria"] == ["CIR 2024/2690 Art.7(a)"]


def test_batch() -> None:
    lines = "\n".join(
        [
            json.dumps({"entity_type": "dns", "complete_unavailability_minutes": 31}),
            json.dumps({"entity_type": "dns", "complete_unavailability_minutes": -1}),
        ]
    )
    out = io.StringIO()
    status = rules_command(["significance", "--batch"], stdin=io.StringIO(lines), out=out)
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert status == 2
    assert first["criteria"] == ["CIR 2024/2690 Art.5(a)"]
    assert second["error"]["fields"] == ["complete_unavailability_minutes"]


# --- the real executable ---


def test_executable_contract_examples() -> None:
    status, out = subprocess_cli("significance", json.dumps(SIGNIFICANCE_EXAMPLE))
    assert status == 0 and out["criteria"] == ["CIR 2024/2690 Art.7(a)"] and out["significant"] is True
    status, out = subprocess_cli("entity-category", json.dumps(ENTITY_EXAMPLE))
    assert status == 0 and (out["category"], out["size"]) == ("important", "medium")
    status, out = subprocess_cli("sectors", "")
    assert status == 0 and len(out["sectors"]) == 18


def test_executable_bad_type_exits_2() -> None:
    """echo '{"entity_type":"cloud","complete_unavailability_minutes":"x"}' | kiber rules significance"""
    status, out = subprocess_cli("significance", '{"entity_type":"cloud","complete_unavailability_minutes":"x"}')
    assert status == 2
    assert "complete_unavailability_minutes" in out["error"]["fields"]
    assert out["error"]["message"]


# --- error contract ---

ERROR_CASES = [
    (
        "significance",
        '{"entity_type":"cloud","complete_unavailability_minutes":"x"}',
        "complete_unavailability_minutes",
    ),
    ("significance", '{"entity_type":"cloud","typo_field":1}', "typo_field"),
    ("significance", '{"entity_type":"cloud","users_affected_eu":-3}', "users_affected_eu"),
    ("significance", '{"entity_type":"cloud","occurred_at":"2025-03-01T10:00:00"}', "occurred_at"),
    ("significance", '{"entity_type":"isp"}', "entity_type"),
    ("significance", "{}", "entity_type"),
    ("entity-category", json.dumps({**ENTITY_EXAMPLE, "employees": -1}), "employees"),
    ("entity-category", json.dumps({**ENTITY_EXAMPLE, "entity_kind": "bank"}), "entity_kind"),
    ("entity-category", json.dumps({**ENTITY_EXAMPLE, "subsector": "rail"}), "subsector"),
    ("entity-category", json.dumps({**ENTITY_EXAMPLE, "subsector": None}), "subsector"),
    ("entity-category", json.dumps({**ENTITY_EXAMPLE, "sektors": "x"}), "sektors"),
]


@pytest.mark.parametrize(("name", "text", "field"), ERROR_CASES)
def test_error_contract(name: str, text: str, field: str) -> None:
    status, out = cli([name], text)
    assert status == 2
    assert set(out) == {"error"} and set(out["error"]) == {"message", "fields"}
    assert field in out["error"]["fields"]


@pytest.mark.parametrize("name", ["significance", "entity-category"])
@pytest.mark.parametrize("text", ["{not json", "[1, 2]", '"text"', ""])
def test_malformed_or_non_object_input(name: str, text: str) -> None:
    status, out = cli([name], text)
    assert status == 2 and "error" in out
