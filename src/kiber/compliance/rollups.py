"""Supervision rollups: running totals per sector and CI status that the NKC/SAB dashboards read.

Their size depends on sectors × requirements (``RequirementRollup``), sectors × sections (``SectionRollup``)
and sectors (``ReviewRollup``), never on the number of subjects, so the all-sector dashboard and heat map
cost the same at 5 000 and at 50 000 subjects.

Invariant: a subject's current stored scores and its assessment awaiting review are counted under the
subject's *current* sector and CI status. Every writer keeps it in the transaction that changes the data:

- ``submit_assessment`` replaces the subject's current scores (``replace_scores``) and adds one awaiting;
- ``review_version`` removes the awaiting one (``add_awaiting`` with -1);
- a change of the subject's sector or CI status moves its figures to the new key (``move_subject``).

``rebuild`` recomputes everything from the stored scores and assessments (``kiber rebuild_compliance_rollup``,
e.g. after a subject was edited outside the services); ``contents`` is what a test compares between the two.

Rows are locked in primary-key order before they are changed, so two submissions in the same sector wait for
each other instead of deadlocking.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Iterable
from functools import reduce
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, Sum

from kiber.compliance.models import (
    Assessment,
    AssessmentStatus,
    RequirementRollup,
    RequirementScore,
    ReviewRollup,
    SectionRollup,
    SectionScore,
)
from kiber.registry.models import Organisation

Key = tuple[str, bool]  # (sector, is_ci_owner)


def key_of(organisation: Organisation) -> Key:
    return (organisation.sector or "", bool(organisation.is_ci_owner))


def _current_scores(organisation_id: int) -> tuple[list[tuple[str, float | None]], list[tuple[int, float]]]:
    sections = list(
        SectionScore.objects.filter(organisation_id=organisation_id, current=True).values_list("section", "score")
    )
    requirements = list(
        RequirementScore.objects.filter(organisation_id=organisation_id, current=True).values_list(
            "requirement_id", "score"
        )
    )
    return sections, requirements


def _section_deltas(
    deltas: dict[tuple[Key, str], list[float]], key: Key, values: Iterable[tuple[str, float | None]], sign: int
) -> None:
    for section, value in values:
        delta = deltas[(key, section)]
        if value is not None:
            delta[0] += sign * value
            delta[1] += sign
        delta[2] += sign


def _requirement_deltas(
    deltas: dict[tuple[Key, int], list[float]], key: Key, values: Iterable[tuple[int, float]], sign: int
) -> None:
    for requirement_id, value in values:
        delta = deltas[(key, requirement_id)]
        delta[0] += sign * value
        delta[1] += sign


def _apply(
    model: type[SectionRollup] | type[RequirementRollup],
    key_field: str,
    counters: tuple[str, ...],
    deltas: dict[tuple[Key, Any], list[float]],
) -> None:
    """Add ``deltas`` (score sum, then one amount per counter) to the rollup rows, creating missing ones.

    Rows are locked in primary-key order, so two concurrent submissions cannot deadlock on them.
    """
    deltas = {k: d for k, d in deltas.items() if any(d)}
    if not deltas:
        return
    model.objects.bulk_create(
        [model(sector=s, is_ci_owner=ci, **{key_field: value}) for (s, ci), value in deltas],
        ignore_conflicts=True,
    )
    rows = list(
        model.objects.select_for_update()
        .filter(_keys_q({k for k, _value in deltas}), **{f"{key_field}__in": {value for _k, value in deltas}})
        .order_by("pk")
    )
    changed = []
    for row in rows:
        delta = deltas.get(((row.sector, row.is_ci_owner), getattr(row, key_field)))
        if delta is None:
            continue
        row.score_sum += delta[0]
        for field, amount in zip(counters, delta[1:], strict=True):
            setattr(row, field, getattr(row, field) + int(amount))
        changed.append(row)
    model.objects.bulk_update(changed, ["score_sum", *counters])


def _apply_sections(deltas: dict[tuple[Key, str], list[float]]) -> None:
    _apply(SectionRollup, "section", ("scored", "count"), deltas)


def _apply_requirements(deltas: dict[tuple[Key, int], list[float]]) -> None:
    _apply(RequirementRollup, "requirement_id", ("count",), deltas)


def _keys_q(keys: Iterable[Key]) -> Q:
    return reduce(operator.or_, (Q(sector=sector, is_ci_owner=ci) for sector, ci in sorted(keys)))


def replace_scores(
    organisation: Organisation,
    sections: list[tuple[str, float | None]],
    requirements: list[tuple[int, float]],
) -> None:
    """Swap the subject's current scores (still marked current) for a new submission's, in the rollups.

    Call before the previous scores lose their ``current`` mark.
    """
    key = key_of(organisation)
    old_sections, old_requirements = _current_scores(organisation.pk)
    section_deltas: dict[tuple[Key, str], list[float]] = defaultdict(lambda: [0.0, 0, 0])
    _section_deltas(section_deltas, key, old_sections, -1)
    _section_deltas(section_deltas, key, sections, +1)
    requirement_deltas: dict[tuple[Key, int], list[float]] = defaultdict(lambda: [0.0, 0])
    _requirement_deltas(requirement_deltas, key, old_requirements, -1)
    _requirement_deltas(requirement_deltas, key, requirements, +1)
    _apply_requirements(requirement_deltas)
    _apply_sections(section_deltas)


def add_awaiting(organisation: Organisation, delta: int) -> None:
    """One more (+1) or one fewer (-1) assessment of the subject awaiting review."""
    _apply_awaiting({key_of(organisation): delta})


def _apply_awaiting(deltas: dict[Key, int]) -> None:
    deltas = {k: d for k, d in deltas.items() if d}
    if not deltas:
        return
    ReviewRollup.objects.bulk_create(
        [ReviewRollup(sector=s, is_ci_owner=ci) for s, ci in deltas], ignore_conflicts=True
    )
    rows = list(ReviewRollup.objects.select_for_update().filter(_keys_q(deltas)).order_by("pk"))
    for row in rows:
        row.awaiting += deltas[(row.sector, row.is_ci_owner)]
    ReviewRollup.objects.bulk_update(rows, ["awaiting"])


def move_subject(organisation_id: int, old: Key, new: Key) -> None:
    """The subject's sector or CI status changed: move its current figures from the old key to the new one."""
    if old == new:
        return
    sections, requirements = _current_scores(organisation_id)
    section_deltas: dict[tuple[Key, str], list[float]] = defaultdict(lambda: [0.0, 0, 0])
    _section_deltas(section_deltas, old, sections, -1)
    _section_deltas(section_deltas, new, sections, +1)
    requirement_deltas: dict[tuple[Key, int], list[float]] = defaultdict(lambda: [0.0, 0])
    _requirement_deltas(requirement_deltas, old, requirements, -1)
    _requirement_deltas(requirement_deltas, new, requirements, +1)
    _apply_requirements(requirement_deltas)
    _apply_sections(section_deltas)
    awaiting = Assessment.objects.filter(organisation_id=organisation_id, status=AssessmentStatus.SUBMITTED).count()
    _apply_awaiting({old: -awaiting, new: awaiting})


@transaction.atomic
def rebuild() -> int:
    """Recompute every rollup from the current stored scores, the assessments and the subjects' current keys."""
    RequirementRollup.objects.all().delete()
    SectionRollup.objects.all().delete()
    ReviewRollup.objects.all().delete()
    requirement_rows = [
        RequirementRollup(
            requirement_id=t["requirement_id"],
            sector=t["organisation__sector"],
            is_ci_owner=t["organisation__is_ci_owner"],
            score_sum=t["total"],
            count=t["n"],
        )
        for t in RequirementScore.objects.filter(current=True)
        .values("requirement_id", "organisation__sector", "organisation__is_ci_owner")
        .annotate(total=Sum("score"), n=Count("id"))
        .order_by()
    ]
    RequirementRollup.objects.bulk_create(requirement_rows, batch_size=5000)
    section_rows = [
        SectionRollup(
            sector=t["organisation__sector"],
            is_ci_owner=t["organisation__is_ci_owner"],
            section=t["section"],
            score_sum=t["total"] or 0.0,
            scored=t["scored"],
            count=t["n"],
        )
        for t in SectionScore.objects.filter(current=True)
        .values("organisation__sector", "organisation__is_ci_owner", "section")
        .annotate(total=Sum("score"), scored=Count("score"), n=Count("id"))
        .order_by()
    ]
    SectionRollup.objects.bulk_create(section_rows, batch_size=5000)
    review_rows = [
        ReviewRollup(sector=t["organisation__sector"], is_ci_owner=t["organisation__is_ci_owner"], awaiting=t["n"])
        for t in Assessment.objects.filter(status=AssessmentStatus.SUBMITTED)
        .values("organisation__sector", "organisation__is_ci_owner")
        .annotate(n=Count("id"))
        .order_by()
    ]
    ReviewRollup.objects.bulk_create(review_rows)
    return len(requirement_rows) + len(section_rows) + len(review_rows)


def contents() -> dict[str, dict[Any, tuple[float, ...]]]:
    """Every non-empty rollup row by its key (sums rounded: incremental sums differ in the last bits)."""
    return {
        "requirements": {
            (r.sector, r.is_ci_owner, r.requirement_id): (round(r.score_sum, 9), r.count)
            for r in RequirementRollup.objects.exclude(count=0)
        },
        "sections": {
            (r.sector, r.is_ci_owner, r.section): (round(r.score_sum, 9), r.scored, r.count)
            for r in SectionRollup.objects.exclude(count=0)
        },
        "reviews": {(r.sector, r.is_ci_owner): (r.awaiting,) for r in ReviewRollup.objects.exclude(awaiting=0)},
    }
