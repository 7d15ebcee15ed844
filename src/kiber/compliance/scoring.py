"""Self-assessment scores — the documented method (pure Python, no queries).

1. Each answer is worth: implemented = 1, partially implemented = 0.5, not implemented = 0.
   "Not applicable" (always with a justification) and unanswered items are excluded.
2. A requirement's score is the mean of its answers (a per-system requirement has one answer per
   system; a subject-wide one has one answer).
3. A section's score is the mean of the scores of its requirements that have at least one counted
   answer; every requirement weighs the same, however many systems it covers.
4. The overall score is the mean of all requirement scores (again each requirement weighs the same).
   A section or the whole assessment with nothing to count has no score (``None``), not 0.

Scores are fractions 0..1; the UI shows percentages rounded to whole numbers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

VALUES: dict[str, float] = {"implemented": 1.0, "partial": 0.5, "not_implemented": 0.0}
METHOD = (
    "implemented=1, partial=0.5, not implemented=0; not applicable and unanswered excluded; requirement = mean of "
    "its answers (systems); section and overall = mean of requirement scores"
)


@dataclass(frozen=True)
class ScoredAnswer:
    requirement: str  # requirement ref
    section: str
    status: str
    system: str = ""  # system key, "" for subject-wide answers


@dataclass
class Scores:
    overall: float | None
    sections: dict[str, float | None]
    requirements: dict[str, float]
    systems: dict[str, float | None] = field(default_factory=dict)
    counted: int = 0
    not_applicable: int = 0


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def score(answers: Iterable[ScoredAnswer]) -> Scores:
    by_requirement: dict[str, list[float]] = defaultdict(list)
    section_of: dict[str, str] = {}
    sections_seen: dict[str, None] = {}
    by_system: dict[str, list[float]] = defaultdict(list)
    counted = not_applicable = 0
    for answer in answers:
        sections_seen.setdefault(answer.section)
        section_of[answer.requirement] = answer.section
        value = VALUES.get(answer.status)
        if answer.status == "not_applicable":
            not_applicable += 1
        if value is None:
            continue
        counted += 1
        by_requirement[answer.requirement].append(value)
        if answer.system:
            by_system[answer.system].append(value)
    requirements = {ref: sum(v) / len(v) for ref, v in by_requirement.items()}
    per_section: dict[str, list[float]] = defaultdict(list)
    for ref, value in requirements.items():
        per_section[section_of[ref]].append(value)
    sections = {section: _mean(per_section.get(section, [])) for section in sections_seen}
    systems = {key: _mean(values) for key, values in by_system.items()}
    return Scores(
        overall=_mean(list(requirements.values())),
        sections=sections,
        requirements=requirements,
        systems=systems,
        counted=counted,
        not_applicable=not_applicable,
    )
