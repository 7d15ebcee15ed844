"""The documented scoring method (its speed: ``bench/scoring.py``, no wall clock in tests)."""

from __future__ import annotations

from kiber.compliance.scoring import ScoredAnswer, score


def test_method():
    result = score([
        ScoredAnswer("r1", "3.1", "implemented"),
        ScoredAnswer("r2", "3.1", "partial"),
        ScoredAnswer("r3", "3.1", "not_applicable"),
        ScoredAnswer("r4", "3.7", "implemented", "s1"),
        ScoredAnswer("r4", "3.7", "not_implemented", "s2"),
        ScoredAnswer("r5", "3.9", "not_applicable"),
        ScoredAnswer("r6", "3.9", ""),
    ])
    assert result.requirements == {"r1": 1.0, "r2": 0.5, "r4": 0.5}
    assert result.sections == {"3.1": 0.75, "3.7": 0.5, "3.9": None}
    assert result.overall == (1.0 + 0.5 + 0.5) / 3
    assert result.systems == {"s1": 1.0, "s2": 0.0}
    assert result.counted == 4 and result.not_applicable == 2


def test_nothing_to_count_has_no_score():
    assert score([ScoredAnswer("r1", "3.1", "not_applicable")]).overall is None
    assert score([]).overall is None
