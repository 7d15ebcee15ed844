"""Scoped reads of compliance data (everything goes through ``kiber.registry.scoping.scope``).

Who sees what:
- subject roles: their own organisation's assessments (drafts included);
- NKC supervisors: submitted assessments of the subjects they supervise (their sectors);
- SAB officers: submitted assessments of ICT critical infrastructure owners (p. 154, restricted);
- any other role: nothing (404).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language

from kiber.compliance.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    AssessmentVersion,
    Evidence,
    Requirement,
    RequirementRollup,
    ReviewRollup,
    Schedule,
    SectionRollup,
)
from kiber.registry.choices import SUBJECT_ROLES, Role
from kiber.registry.models import Organisation, User
from kiber.registry.scoping import scope, visible_organisations

SUPERVISOR_ROLES = frozenset({Role.NKC_SUPERVISOR, Role.SAB_OFFICER})


def is_subject(user: User) -> bool:
    return user.is_authenticated and user.role in SUBJECT_ROLES and user.organisation_id is not None


def is_supervisor(user: User) -> bool:
    return user.is_authenticated and user.role in SUPERVISOR_ROLES


def can_use(user: User) -> bool:
    return is_subject(user) or is_supervisor(user)


def can_review(user: User) -> bool:
    return user.is_authenticated and user.role == Role.NKC_SUPERVISOR


def _scoped(queryset: QuerySet[Any], user: User, path: str) -> QuerySet[Any]:
    if not can_use(user):
        return queryset.none()
    queryset = scope(queryset, user, path)
    if user.role == Role.SAB_OFFICER:
        queryset = queryset.filter(**{f"{path}__is_ci_owner": True})
    return queryset


def assessments(user: User) -> QuerySet[Assessment]:
    queryset = _scoped(Assessment.objects.select_related("organisation"), user, "organisation")
    if is_supervisor(user):
        queryset = queryset.filter(latest_version__gt=0)
    return queryset


def get_assessment(user: User, pk: int) -> Assessment:
    try:
        return assessments(user).get(pk=pk)
    except Assessment.DoesNotExist:
        raise Http404 from None


def get_editable_assessment(user: User, pk: int) -> Assessment:
    """An assessment the user may answer: subject editors and users of the own organisation."""
    if not is_subject(user):
        raise Http404
    return get_assessment(user, pk)


def versions(user: User) -> QuerySet[AssessmentVersion]:
    return _scoped(AssessmentVersion.objects.select_related("assessment", "organisation"), user, "organisation")


def get_version(user: User, assessment_pk: int, number: int) -> AssessmentVersion:
    try:
        # ``assessment__pk``, not the raw ``assessment_id``: Django turns an id beyond bigint into no
        # result for a primary key, while SQLite fails with OverflowError on the foreign key column.
        return versions(user).get(assessment__pk=assessment_pk, number=number)
    except AssessmentVersion.DoesNotExist:
        raise Http404 from None


def get_answer(user: User, pk: int) -> Answer:
    if not is_subject(user):
        raise Http404
    queryset = _scoped(
        Answer.objects.select_related("assessment", "assessment__organisation", "requirement", "system"),
        user,
        "assessment__organisation",
    )
    try:
        return queryset.get(pk=pk)
    except Answer.DoesNotExist:
        raise Http404 from None


def get_evidence(user: User, pk: int) -> Evidence:
    queryset = _scoped(
        Evidence.objects.select_related("answer__assessment__organisation"), user, "answer__assessment__organisation"
    )
    if is_supervisor(user):
        queryset = queryset.filter(answer__assessment__latest_version__gt=0)
    try:
        return queryset.get(pk=pk)
    except Evidence.DoesNotExist:
        raise Http404 from None


def requirements(active_only: bool = True) -> QuerySet[Requirement]:
    queryset = Requirement.objects.order_by("sort_key")
    return queryset.filter(active=True) if active_only else queryset


def current_assessment(organisation: Organisation) -> Assessment | None:
    """The open (draft or revision) assessment, else the latest one."""
    open_one = (
        Assessment.objects.filter(
            organisation=organisation, status__in=[AssessmentStatus.DRAFT, AssessmentStatus.REVISION]
        )
        .order_by("-year")
        .first()
    )
    return open_one or Assessment.objects.filter(organisation=organisation).order_by("-year").first()


# --------------------------------------------------------------------------- NKC dashboard

PAGE_SIZE = 25


def _by_key(queryset: QuerySet[Any], user: User) -> QuerySet[Any]:
    """A rollup (keyed by sector and CI status) within the user's scope: sectors of an NKC supervisor, CI for SAB."""
    if not is_supervisor(user):
        return queryset.none()
    if user.role == Role.NKC_SUPERVISOR and user.supervised_sectors:
        queryset = queryset.filter(sector__in=user.supervised_sectors)
    if user.role == Role.SAB_OFFICER:
        queryset = queryset.filter(is_ci_owner=True)
    return queryset


@dataclass
class ListPage:
    """One page of a dashboard list, read through an index (``LIMIT``/``OFFSET``), with the total beside it."""

    rows: list[Any]
    number: int
    total: int
    size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None

    @property
    def first_shown(self) -> int:
        return (self.number - 1) * self.size + 1 if self.rows else 0

    @property
    def last_shown(self) -> int:
        return (self.number - 1) * self.size + len(self.rows)


def _page(queryset: QuerySet[Any], total: int, number: int, size: int) -> ListPage:
    pages = max(1, -(-total // size))
    number = min(max(1, number), pages)
    start = (number - 1) * size
    return ListPage(list(queryset[start : start + size]), number, total, size)


@dataclass
class SupervisorDashboard:
    subjects: int
    submitted: int
    awaiting_review: int
    overdue_count: int
    by_sector: list[dict[str, Any]]
    sections: list[tuple[str, str]]
    sector_sections: dict[str, dict[str, float | None]]
    heat_sectors: list[str]
    heat: dict[int, dict[str, tuple[float, int]]]
    requirement_avg: dict[int, tuple[float, int]]
    overdue_page: ListPage | None = None
    queue_page: ListPage | None = None

    @property
    def overdue(self) -> list[Schedule]:
        return self.overdue_page.rows if self.overdue_page else []

    @property
    def review_queue(self) -> list[Assessment]:
        return self.queue_page.rows if self.queue_page else []


def supervisor_dashboard(
    user: User,
    today: date | None = None,
    limit: int = PAGE_SIZE,
    with_heat: bool = False,
    queue_page: int = 1,
    overdue_page: int = 1,
) -> SupervisorDashboard:
    """NKC/SAB dashboard data: a fixed number of queries whose cost does not grow with the number of subjects.

    Figures come from the supervision rollups (``kiber.compliance.rollups``: sectors × sections, sectors ×
    requirements); the two lists are pages read through indexes (``compliance_assessment_queue``,
    ``compliance_schedule_due``). Only the subject count and the overdue count still count rows: the first
    an index-only count of the register, the second of the overdue schedules alone.
    """
    today = today or timezone.localdate()
    organisations = visible_organisations(user)
    if user.role == Role.SAB_OFFICER:
        organisations = organisations.filter(is_ci_owner=True)
    if not is_supervisor(user):
        organisations = organisations.none()
    subject_count = organisations.count()
    by_sector: list[dict[str, Any]] = []
    sector_sections: dict[str, dict[str, float | None]] = defaultdict(dict)
    submitted = 0
    # Plain rows summed here over the CI split (an SQL SUM would cost a value converter per row and column).
    section_totals: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0, 0])  # type: ignore[arg-type, list-item]
    for sector, section, total, scored, n in (
        _by_key(SectionRollup.objects.filter(count__gt=0), user)
        .values_list("sector", "section", "score_sum", "scored", "count")
        .order_by()
    ):
        cell = section_totals[(sector, section)]
        cell[0] += total
        cell[1] += scored
        cell[2] += n
    for (sector, section), (total, scored, n) in sorted(section_totals.items()):
        avg = total / scored if scored else None
        if section == "":
            by_sector.append({"sector": sector, "avg": avg, "n": int(n)})
            submitted += int(n)
        else:
            sector_sections[sector][section] = avg
    heat: dict[int, dict[str, tuple[float, int]]] = defaultdict(dict)
    totals: dict[int, list[float]] = defaultdict(lambda: [0.0, 0])  # type: ignore[arg-type, list-item]
    if with_heat:
        # Plain rows, summed here over the CI split: an SQL SUM per cell would cost a value converter per row.
        cells: dict[tuple[int, str], list[float]] = defaultdict(lambda: [0.0, 0])  # type: ignore[arg-type, list-item]
        for requirement_id, sector, total, n in (
            _by_key(RequirementRollup.objects.filter(count__gt=0), user)
            .values_list("requirement_id", "sector", "score_sum", "count")
            .order_by()
        ):
            cell = cells[(requirement_id, sector)]
            cell[0] += total
            cell[1] += n
        for (requirement_id, sector), (total, n) in cells.items():
            heat[requirement_id][sector] = (total / n, int(n))
            totals[requirement_id][0] += total
            totals[requirement_id][1] += n
    requirement_avg = {rid: (t / n, int(n)) for rid, (t, n) in totals.items() if n}
    sections = list(
        Requirement.objects.filter(active=True)
        .order_by("sort_key")
        .values_list("section_number", "section_title_lv", "section_title_en")
        .distinct()
    )
    english = (get_language() or "").startswith("en")
    seen: dict[str, str] = {}
    for number, title_lv, title_en in sections:
        seen.setdefault(number, title_en if english and title_en else title_lv)
    awaiting = _by_key(ReviewRollup.objects.all(), user).aggregate(n=Sum("awaiting"))["n"] or 0
    overdue_qs = _scoped(Schedule.objects.filter(next_due__lt=today), user, "organisation")
    overdue_count = overdue_qs.count()
    queue_qs = _scoped(Assessment.objects.filter(status=AssessmentStatus.SUBMITTED), user, "organisation")
    return SupervisorDashboard(
        subjects=subject_count,
        submitted=submitted,
        awaiting_review=awaiting,
        overdue_count=overdue_count,
        by_sector=by_sector,
        sections=list(seen.items()),
        sector_sections=dict(sector_sections),
        heat_sectors=sorted({sector for values in heat.values() for sector in values})
        if with_heat
        else sorted({row["sector"] for row in by_sector}),
        heat=dict(heat),
        requirement_avg=requirement_avg,
        overdue_page=_page(
            overdue_qs.select_related("organisation").order_by("next_due", "organisation_id"),
            overdue_count, overdue_page, limit,
        ),
        queue_page=_page(
            queue_qs.select_related("organisation").order_by("updated_at", "id"), awaiting, queue_page, limit
        ),
    )


def get_version_evidence(assessment: Assessment) -> QuerySet[Evidence]:
    """Evidence rows of an assessment the caller has already been allowed to see (for download links)."""
    return Evidence.objects.filter(answer__assessment=assessment).select_related("answer__requirement")
