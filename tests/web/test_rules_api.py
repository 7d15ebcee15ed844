"""The rules over HTTP answer exactly what the CLI prints (contract: same JSON, 422 = exit 2)."""

from __future__ import annotations

import io
import json

import pytest

from kiber.cli import rules_command
from kiber.rules.registry import all_rules

CASES = [
    ("working-days", {"from": "2025-12-19", "working_days": 5}),
    ("system-obligations", {"class": "B"}),
    ("entity-category", {"sector": "banking", "entity_kind": "other", "employees": 300,
                         "annual_turnover_eur": 1, "balance_sheet_eur": 1}),
    ("significance", {"entity_type": "cloud", "complete_unavailability_minutes": 45}),
    ("significance", {"entity_type": "cloud", "complete_unavailability_minutes": "x"}),
    ("significance", {"entity_type": "cloud", "no_such_field": 1}),
    ("report-deadlines", {"aware_at": "2025-03-01T10:15:00"}),
]


def cli(name: str, payload: object) -> tuple[int, dict]:
    out = io.StringIO()
    status = rules_command([name, "-"], stdin=io.StringIO(json.dumps(payload)), out=out)
    return status, json.loads(out.getvalue())


@pytest.mark.parametrize(("name", "payload"), CASES)
def test_api_equals_cli(client, name, payload):
    status, expected = cli(name, payload)
    response = client.post(f"/api/v1/rules/{name}", data=json.dumps(payload), content_type="application/json")
    assert response.json() == expected
    assert response.status_code == (200 if status == 0 else 422)
    assert status in (0, 2)


def test_malformed_json_is_an_input_error(client):
    response = client.post("/api/v1/rules/significance", data="{oops", content_type="application/json")
    assert response.status_code == 422
    assert "malformed JSON" in response.json()["error"]["message"]
    out = io.StringIO()
    assert rules_command(["significance"], stdin=io.StringIO("{oops"), out=out) == 2
    assert json.loads(out.getvalue())["error"]["fields"] == []


def test_json_nested_too_deeply_is_an_input_error(client):
    # Found by the schemathesis run: json.loads raised RecursionError, which was a 500.
    deep = "[" * 100_000 + "]" * 100_000
    response = client.post("/api/v1/rules/significance", data=deep, content_type="application/json")
    assert response.status_code == 422
    assert "nested too deeply" in response.json()["error"]["message"]
    assert rules_command(["significance"], stdin=io.StringIO(deep), out=io.StringIO()) == 2


def test_unknown_rule(client):
    assert client.post("/api/v1/rules/no-such-rule", data="{}", content_type="application/json").status_code == 404
    out = io.StringIO()
    assert rules_command(["no-such-rule"], stdin=io.StringIO("{}"), out=out) == 2


def test_sectors_listing_over_http(client):
    response = client.get("/api/v1/rules/sectors")
    assert response.status_code == 200
    out = io.StringIO()
    assert rules_command(["sectors"], stdin=io.StringIO(""), out=out) == 0
    assert json.loads(out.getvalue()) == response.json()


def test_every_rule_is_listed(client):
    listed = client.get("/api/v1/rules/").json()
    assert set(listed) == set(all_rules())
    assert {"entity-category", "sectors", "security-class", "system-obligations", "significance",
            "report-deadlines", "working-days", "self-assessment-due", "action-plan-status"} <= set(listed)


def test_batch_mode_reports_each_line(tmp_path):
    lines = [json.dumps({"entity_type": "cloud", "complete_unavailability_minutes": 45}), "{bad", ""]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines))
    out = io.StringIO()
    assert rules_command(["significance", str(source), "--batch"], out=out) == 2
    results = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(results) == 2 and "significant" in results[0] and "error" in results[1]
