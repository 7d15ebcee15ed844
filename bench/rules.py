"""Throughput of the ``significance`` and ``report-deadlines`` rules.

Run: ``.venv/bin/python bench/rules.py [--n 10000] [--repeat 3]``

Measures, for each rule, evaluations per second
  1. through the Python API: the rule function called on already validated input models;
  2. the same including Pydantic validation of the JSON-decoded dict (``model_validate`` + call);
  3. through the JSON path ``kiber.rules.registry.evaluate`` (validation, rule, ``model_dump``);
  4. through the CLI: ``kiber rules <name> --batch FILE`` on a generated file of N JSON Lines inputs,
     timed as a subprocess (wall clock, including interpreter start-up).
The process (and the CLI subprocess) is pinned to one CPU where the OS allows it. Inputs are
generated with a fixed seed, so runs are comparable. Target: >= 20 000 significance evaluations/s
on one core via the Python API (1).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from kiber.rules.registry import evaluate, get_rule  # noqa: E402

TARGET_SIGNIFICANCE_PER_S = 20_000
ENTITY_TYPES = [
    "dns", "tld", "cloud", "data_centre", "cdn", "managed_service", "managed_security_service",
    "online_marketplace", "search_engine", "social_network", "trust_service", "other",
]  # fmt: skip
CAUSES = ["expired certificate", "ddos", "misconfiguration", "phishing", "ransomware"]


def _moment(rng: random.Random) -> datetime:
    base = datetime(2025, 1, 1, tzinfo=timezone(timedelta(hours=2)))
    return base + timedelta(minutes=rng.randrange(0, 365 * 24 * 60))


def significance_inputs(n: int, seed: int = 1) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        occurred = _moment(rng)
        users_total = rng.choice([0, 1_000, 100_000, 5_000_000])
        payload: dict[str, Any] = {
            "entity_type": rng.choice(ENTITY_TYPES),
            "annual_turnover_eur": rng.choice([0, 2_000_000, 8_000_000, 80_000_000]),
            "direct_financial_loss_eur": rng.choice([0, 0, 10_000, 450_000, 600_000]),
            "trade_secret_exfiltration": rng.random() < 0.05,
            "deaths": 1 if rng.random() < 0.01 else 0,
            "considerable_health_damage": rng.random() < 0.02,
            "malicious_unauthorised_access_severe": rng.random() < 0.05,
            "scheduled_maintenance": rng.random() < 0.05,
            "complete_unavailability_minutes": rng.choice([0, 5, 29, 31, 45, 120]),
            "limited_availability_minutes": rng.choice([0, 30, 60, 200]),
            "users_total_eu": users_total,
            "users_affected_eu": rng.randrange(0, users_total + 1) if users_total else 0,
            "avg_response_time_seconds": rng.choice([0, 5, 15]),
            "slow_response_minutes": rng.choice([0, 30, 90]),
            "data_compromised": rng.random() < 0.1,
            "suspected_malicious": rng.random() < 0.2,
            "users_data_compromised_eu": rng.choice([0, 10, 200_000]),
            "physical_access_compromised": rng.random() < 0.02,
            "domains_incorrect": rng.choice([0, 0, 5]),
            "domains_managed": rng.choice([0, 100, 10_000]),
            "misconfiguration": rng.random() < 0.1,
            "weekly_unavailability_minutes": rng.choice([0, 60, 600]),
            "occurred_at": occurred.isoformat(),
            "root_cause": rng.choice(CAUSES),
            "previous_incidents": [
                {
                    "occurred_at": (occurred - timedelta(days=rng.randrange(1, 300))).isoformat(),
                    "root_cause": rng.choice(CAUSES),
                    "direct_financial_loss_eur": rng.choice([0, 100_000, 300_000]),
                }
                for _ in range(rng.choice([0, 0, 1, 2]))
            ],
        }
        out.append(payload)
    return out


def report_deadlines_inputs(n: int, seed: int = 2) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        aware = _moment(rng)
        payload: dict[str, Any] = {
            "aware_at": aware.isoformat(),
            "entity_type": rng.choice(ENTITY_TYPES),
            "trust_service_impact": rng.random() < 0.1,
            "as_of": (aware + timedelta(hours=rng.randrange(0, 24 * 60))).isoformat(),
        }
        if rng.random() < 0.5:
            payload["initial_report_submitted_at"] = (aware + timedelta(hours=rng.randrange(1, 72))).isoformat()
        if rng.random() < 0.5:
            payload["resolved_at"] = (aware + timedelta(days=rng.randrange(0, 60))).isoformat()
        out.append(payload)
    return out


def rate(fn: Callable[[], int], repeat: int) -> float:
    """Best evaluations per second over ``repeat`` runs of ``fn`` (which returns its count)."""
    best = 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        count = fn()
        elapsed = time.perf_counter() - start
        best = max(best, count / elapsed)
    return best


def bench_rule(name: str, payloads: list[dict[str, Any]], repeat: int) -> dict[str, float]:
    rule = get_rule(name)
    assert rule.input_model is not None
    model, fn = rule.input_model, rule.fn
    models = [model.model_validate(p) for p in payloads]

    def api() -> int:
        for m in models:
            fn(m)
        return len(models)

    def api_validated() -> int:
        for p in payloads:
            fn(model.model_validate(p))
        return len(payloads)

    def json_path() -> int:
        for p in payloads:
            evaluate(name, p)
        return len(payloads)

    return {
        "api": rate(api, repeat),
        "api+validation": rate(api_validated, repeat),
        "registry.evaluate": rate(json_path, repeat),
        "cli --batch": cli_rate(name, payloads),
    }


def _kiber_command() -> list[str]:
    script = Path(sys.executable).parent / "kiber"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from kiber.cli import main; sys.exit(main())"]


def cli_rate(name: str, payloads: list[dict[str, Any]]) -> float:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as handle:
        for p in payloads:
            handle.write(json.dumps(p) + "\n")
        path = handle.name
    try:
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        start = time.perf_counter()
        done = subprocess.run(
            [*_kiber_command(), "rules", name, "--batch", path], capture_output=True, text=True, env=env, check=False
        )
        elapsed = time.perf_counter() - start
    finally:
        os.unlink(path)
    lines = done.stdout.splitlines()
    if done.returncode != 0 or len(lines) != len(payloads):
        errors = [line for line in lines if line.startswith('{"error"')][:3]
        raise SystemExit(
            f"CLI batch for {name} failed: exit {done.returncode}, {len(lines)} lines; {errors or done.stderr[-500:]}"
        )
    return len(payloads) / elapsed


def pin_one_cpu() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})  # inherited by the CLI subprocess
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="inputs per rule (default 10000)")
    parser.add_argument("--repeat", type=int, default=3, help="in-process runs, best kept (default 3)")
    args = parser.parse_args()

    print(f"Python {sys.version.split()[0]}, {pin_one_cpu()}, {args.n} inputs per rule")
    results = {
        "significance": bench_rule("significance", significance_inputs(args.n), args.repeat),
        "report-deadlines": bench_rule("report-deadlines", report_deadlines_inputs(args.n), args.repeat),
    }
    paths = ["api", "api+validation", "registry.evaluate", "cli --batch"]
    print(f"{'rule':<18}" + "".join(f"{p:>20}" for p in paths) + "   (evaluations/s)")
    for name, figures in results.items():
        print(f"{name:<18}" + "".join(f"{figures[p]:>20,.0f}" for p in paths))
    api = results["significance"]["api"]
    verdict = "meets" if api >= TARGET_SIGNIFICANCE_PER_S else "MISSES"
    print(f"significance via the Python API: {api:,.0f}/s {verdict} the target of {TARGET_SIGNIFICANCE_PER_S:,}/s")
    return 0 if api >= TARGET_SIGNIFICANCE_PER_S else 1


if __name__ == "__main__":
    sys.exit(main())
