"""Speed of the documented scoring method on one synthetic assessment (no database).

Run: ``.venv/bin/python bench/scoring.py [--repeat 100]``

600 answers over 210 requirements, 12 sections and 5 systems, every status; target: one assessment
scores in under 20 ms. This was a test once; wall-clock limits belong here, not in the test suite (a
loaded machine failed it). ``bench/compliance_dashboards.py`` times the same on real, loaded assessments.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from kiber.compliance.scoring import ScoredAnswer, score  # noqa: E402

TARGET_MS = 20.0
STATUSES = ("implemented", "partial", "not_implemented", "not_applicable")


def synthetic_answers() -> list[ScoredAnswer]:
    return [ScoredAnswer(f"r{i % 210}", f"3.{i % 12}", STATUSES[i % 4], f"s{i % 5}") for i in range(600)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=100)
    args = parser.parse_args()
    answers = synthetic_answers()
    start = time.perf_counter()
    for _ in range(args.repeat):
        score(answers)
    ms = (time.perf_counter() - start) * 1000 / args.repeat
    verdict = "ok" if ms < TARGET_MS else "OVER TARGET"
    print(f"Scoring one assessment ({len(answers)} answers): {ms:.2f} ms (target < {TARGET_MS:.0f} ms) {verdict}")


if __name__ == "__main__":
    main()
