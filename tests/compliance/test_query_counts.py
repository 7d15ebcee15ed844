"""The NKC dashboards aggregate in SQL: their query count does not grow with the number of subjects."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from kiber.compliance import services
from kiber.compliance.models import (
    Assessment,
    AssessmentVersion,
    Requirement,
    RequirementScore,
    Schedule,
    SectionScore,
)
from tests.support import sign_in

SECTORS = ["banking", "energy", "health", "transport"]
MAX_QUERIES = 16  # session, user, OTP device, dashboard aggregates — fixed, whatever the subject count


def fabricate(make_organisation, count: int) -> None:
    """``count`` subjects, each with a submitted version and its stored scores (as submit stores them)."""
    requirements = list(Requirement.objects.all()[:40])
    now = timezone.now()
    for index in range(count):
        organisation = make_organisation(name=f"SIA Subjekts {index}", sector=SECTORS[index % len(SECTORS)])
        assessment = Assessment.objects.create(organisation=organisation, year=2026, due_date=date(2026, 10, 1),
                                               status="submitted", latest_version=1)
        version = AssessmentVersion.objects.create(assessment=assessment, organisation=organisation, number=1,
                                                   snapshot={}, sha256="0" * 64, overall_score=0.5,
                                                   submitted_at=now)
        SectionScore.objects.bulk_create(
            [SectionScore(version=version, organisation=organisation, section=s, score=0.5 + index % 3 * 0.1)
             for s in ("", "3.1", "3.7", "3.9")]
        )
        RequirementScore.objects.bulk_create(
            RequirementScore(version=version, organisation=organisation, requirement=r, score=(index + i) % 3 / 2)
            for i, r in enumerate(requirements)
        )
        Schedule.objects.create(organisation=organisation, frequency_years=1, next_due=date(2025, 10, 1),
                                basis=["22-TA-3183 p.151.1"], status_since=date(2024, 1, 1))
    services.rebuild_rollup()


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["compliance:home", "compliance:heatmap"])
def test_dashboard_query_count_is_constant(client, catalogue, make_organisation, nkc_supervisor, page,
                                           django_assert_max_num_queries, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sign_in(client, nkc_supervisor)
    # The idle-session middleware stores the last activity on the first request, then at most once per
    # resolution period: warm up, and keep that write out of the counted requests however slow the machine.
    monkeypatch.setattr("kiber.web.middleware.ACTIVITY_RESOLUTION_SECONDS", 10**9)
    client.get(reverse(page))
    counts = []
    for more in (3, 12):
        fabricate(make_organisation, more)
        with django_assert_max_num_queries(MAX_QUERIES), CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(page))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    if page == "compliance:home":
        assert "SIA Subjekts 11" in response.content.decode()  # overdue list shows the fabricated subjects
