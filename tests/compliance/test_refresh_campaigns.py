"""The nightly campaign refresh: every subject's next due year from ``self-assessment-due``, idempotent."""

from __future__ import annotations

from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.management import call_command

from kiber.audit.models import AuditEntry
from kiber.compliance import services
from kiber.compliance.models import Assessment, AssessmentStatus, AssessmentVersion
from kiber.jobs import runner, worker
from kiber.registry.models import Organisation
from tests.compliance.conftest import class_a_system, class_c_system


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def registered_at(organisation: Organisation, moment: datetime) -> Organisation:
    Organisation.objects.filter(pk=organisation.pk).update(created_at=moment)
    organisation.refresh_from_db()
    return organisation


def submitted(organisation: Organisation, year: int, at: datetime, status: str = AssessmentStatus.ACCEPTED):
    """A campaign of ``year`` whose first version was submitted at ``at`` (UTC)."""
    assessment = Assessment.objects.create(
        organisation=organisation, year=year, due_date=date(year, 10, 1), status=status, latest_version=1
    )
    AssessmentVersion.objects.create(
        assessment=assessment, organisation=organisation, number=1, snapshot={}, sha256="0" * 64, submitted_at=at
    )
    return assessment


def years(organisation: Organisation) -> list[int]:
    return sorted(Assessment.objects.filter(organisation=organisation).values_list("year", flat=True))


@pytest.mark.django_db
def test_refresh_opens_one_campaign_per_subject_in_scope_and_is_idempotent(catalogue, make_organisation):
    essential = registered_at(make_organisation(name="AS Banka"), utc(2026, 3, 2, 10))
    important = registered_at(make_organisation(name="SIA Vidēja", category="important"), utc(2026, 3, 2, 10))
    registered_at(make_organisation(name="SIA Ārpus", category="out_of_scope"), utc(2026, 3, 2, 10))

    first = services.refresh_campaigns()

    assert (first.subjects, first.created, first.realigned, first.failed) == (2, 2, 0, 0)
    for organisation in (essential, important):
        assessment = Assessment.objects.get(organisation=organisation)
        assert (assessment.year, assessment.due_date) == (2026, date(2026, 10, 1))
        assert assessment.status == AssessmentStatus.DRAFT and "22-TA-3183 p.152" in assessment.due_basis
    entries = AuditEntry.objects.count()
    second = services.refresh_campaigns()
    assert (second.subjects, second.created, second.realigned) == (2, 0, 0)
    assert Assessment.objects.count() == 2 and AuditEntry.objects.count() == entries


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("registered", "due"),
    [
        (utc(2026, 7, 1, 20, 59), date(2026, 10, 1)),  # 23:59 on 1 July in Riga: not "after 1 July" (p. 153)
        (utc(2026, 7, 1, 21, 0), date(2026, 10, 2)),  # 00:00 on 2 July in Riga: three months later
        (utc(2026, 11, 30, 12), date(2027, 2, 28)),  # after 1 July, the due date falls in the next year (clamped)
        (utc(2025, 12, 31, 21, 30), date(2026, 3, 31)),  # 23:30 on 31 December in Riga: three months later
        (utc(2025, 12, 31, 22, 30), date(2026, 10, 1)),  # 22:30 UTC on 31 December is 2026 in Riga
    ],
)
def test_first_campaign_year_at_the_boundaries(catalogue, organisation, registered, due):
    registered_at(organisation, registered)
    services.refresh_campaigns()
    assessment = Assessment.objects.get(organisation=organisation)
    assert (assessment.year, assessment.due_date) == (due.year, due)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("at", "next_year"),
    [
        (utc(2026, 12, 31, 21, 59), 2027),  # 23:59 on 31 December in Riga: submitted in 2026
        (utc(2026, 12, 31, 22, 0), 2028),  # 00:00 on 1 January in Riga: submitted in 2027
    ],
)
def test_next_campaign_follows_the_last_submission_in_riga_time(catalogue, organisation, at, next_year):
    class_a_system(organisation)  # yearly (p. 151.1)
    submitted(organisation, 2026, at)
    result = services.refresh_campaigns()
    assert result.created == 1
    assert years(organisation) == [2026, next_year]
    assert Assessment.objects.get(organisation=organisation, year=next_year).due_date == date(next_year, 10, 1)


@pytest.mark.django_db
def test_nothing_opened_while_a_report_awaits_review(catalogue, organisation):
    submitted(organisation, 2026, utc(2026, 9, 1, 9), status=AssessmentStatus.SUBMITTED)
    assert services.refresh_campaigns().created == 0
    assert years(organisation) == [2026]


@pytest.mark.django_db
def test_an_open_draft_follows_a_changed_frequency(catalogue, organisation, subject_admin):
    class_c_system(organisation)
    submitted(organisation, 2026, utc(2026, 5, 4, 9))
    services.refresh_campaigns()
    draft = Assessment.objects.get(organisation=organisation, status=AssessmentStatus.DRAFT)
    assert (draft.year, draft.frequency_years) == (2029, 3)  # every three years without class A (p. 151.2)

    class_a_system(organisation, actor=subject_admin)  # now yearly (p. 151.1): the draft moves to 2027
    result = services.refresh_campaigns()

    draft.refresh_from_db()
    assert (result.created, result.realigned) == (0, 1)
    assert (draft.year, draft.due_date, draft.frequency_years) == (2027, date(2027, 10, 1), 1)
    entry = AuditEntry.objects.get(action="reschedule", object_id=str(draft.pk))
    assert entry.changes["year"] == [2029, 2027]
    assert years(organisation) == [2026, 2027]
    assert services.refresh_campaigns().realigned == 0


@pytest.mark.django_db
def test_command_and_background_job_run_the_refresh(catalogue, organisation):
    out = StringIO()
    call_command("refresh_self_assessments", stdout=out)
    assert "campaigns opened: 1" in out.getvalue()
    assert years(organisation) != []
    # The embedded default runs the same job daily in the job worker; production on celery beat.
    assert ("kiber.compliance.jobs.refresh_campaigns", 86400.0) in worker.PERIODIC
    runner.run("kiber.compliance.jobs.refresh_campaigns")
    assert Assessment.objects.filter(organisation=organisation).count() == 1

    from kiber.celery import app
    from kiber.compliance import tasks

    assert app.conf.beat_schedule["compliance-refresh-campaigns-nightly"]["task"] == tasks.refresh_campaigns.name
