"""Reporting workflow: a responsible institution reports, the coordinator reviews, overrides and closes."""

from __future__ import annotations

from datetime import date

import pytest

from kiber.audit.models import AuditEntry
from kiber.plans import selectors, services
from kiber.plans.models import ProgressReport, ReportVersion


def task(plan, number):
    return plan.tasks.get(number=number)


def test_report_submit_computes_status_with_the_rule(plans, roadmap_round, sm_user):
    t = task(plans["roadmap"], "1.3.2.")
    report = services.save_progress(sm_user, roadmap_round, t, {"progress": "partial", "work_ongoing": True,
                                                                 "description": "Iekārtas iepirktas."}, submit=True)
    assert report.computed_status == "in_progress" and report.state == "submitted"
    assert report.institution.abbreviation == "SM"
    version = ReportVersion.objects.get(report=report)
    assert len(version.sha256) == 64 and version.snapshot["progress"] == "partial"
    services.save_progress(sm_user, roadmap_round, t, {"progress": "done", "work_ongoing": False,
                                                       "description": "Pabeigts."}, submit=True)
    report.refresh_from_db()
    assert report.status == "completed" and report.versions.count() == 2
    assert AuditEntry.objects.filter(object_type="plans.progressreport", action="submit").count() == 2


@pytest.mark.parametrize(("progress", "ongoing", "relevant", "expected"), [
    ("none", False, True, "not_completed"),  # 4.1.1 deadline 31.12.2025 < as of 31.12.2026
    ("partial", False, True, "partially_completed"),
    ("partial", True, True, "in_progress"),
    ("none", False, False, "no_longer_relevant"),
])
def test_status_from_facts(plans, roadmap_round, coordinator, progress, ongoing, relevant, expected):
    report = services.save_progress(coordinator, roadmap_round, task(plans["roadmap"], "4.1.1."), {
        "progress": progress, "work_ongoing": ongoing, "relevant": relevant})
    assert report.computed_status == expected


def test_not_started_when_deadline_in_future(plans, roadmap_round, coordinator):
    report = services.save_progress(coordinator, roadmap_round, task(plans["roadmap"], "3.1.1."),
                                    {"progress": "none"})
    assert report.computed_status == "not_started"


def test_other_institution_cannot_report(plans, roadmap_round, am_user):
    with pytest.raises(services.PlansError):
        services.save_progress(am_user, roadmap_round, task(plans["roadmap"], "1.3.2."), {"progress": "done"})
    assert not ProgressReport.objects.filter(round=roadmap_round).exists()


def test_closed_round_refuses_reports(plans, am_user):
    round = plans["action"].rounds.get()
    with pytest.raises(services.PlansError):
        services.save_progress(am_user, round, task(plans["action"], "1.1."), {"progress": "done"})


def test_override_needs_reason_and_coordinator(plans, roadmap_round, coordinator, sm_user):
    t = task(plans["roadmap"], "1.3.2.")
    with pytest.raises(services.PlansError):
        services.override_status(coordinator, roadmap_round, t, "no_information", " ")
    with pytest.raises(services.PlansError):
        services.override_status(sm_user, roadmap_round, t, "no_information", "nav ziņots")
    report = services.override_status(coordinator, roadmap_round, t, "no_information", "SM nav sniegusi informāciju")
    assert report.status == "no_information" and report.overridden_by == coordinator
    assert AuditEntry.objects.filter(object_type="plans.progressreport", action="override").exists()


def test_outstanding_review_and_close(plans, roadmap_round, coordinator, sm_user):
    waiting = {item.institution: [t.number for t in item.tasks] for item in
               selectors.outstanding(plans["roadmap"], roadmap_round)}
    assert "1.3.2." in waiting["SM"] and len(sum(waiting.values(), [])) == 19
    report = services.save_progress(sm_user, roadmap_round, task(plans["roadmap"], "1.3.2."),
                                    {"progress": "partial", "work_ongoing": True}, submit=True)
    waiting = {item.institution for item in selectors.outstanding(plans["roadmap"], roadmap_round)}
    assert "SM" not in waiting
    services.review_report(coordinator, report)
    report.refresh_from_db()
    assert report.state == "reviewed"
    with pytest.raises(services.PlansError):
        services.close_round(sm_user, roadmap_round)
    services.close_round(coordinator, roadmap_round)
    assert not roadmap_round.is_open
    with pytest.raises(services.PlansError):
        services.open_round(sm_user, plans["roadmap"], "x", date(2027, 3, 31))
    assert services.open_round(coordinator, plans["roadmap"], "2027. gada 1. ceturksnis", date(2027, 3, 31)).is_open


def test_overdue_and_at_risk_flags(plans, roadmap_round, coordinator):
    rows = {row.task.number: row for row in selectors.task_rows(coordinator, plans["roadmap"], roadmap_round,
                                                                 today=date(2026, 11, 23))}
    assert rows["4.1.1."].overdue and rows["4.1.2."].overdue and rows["4.1.4."].overdue
    assert rows["1.1.1."].at_risk and rows["4.1.3."].at_risk  # 31.12.2026: within the next quarter
    assert not rows["2.1.1."].overdue and not rows["2.1.1."].at_risk
    services.save_progress(coordinator, roadmap_round, task(plans["roadmap"], "4.1.1."), {
        "progress": "done", "description": "Saraksts apstiprināts."}, submit=True)
    rows = {row.task.number: row for row in selectors.task_rows(coordinator, plans["roadmap"], roadmap_round,
                                                                 today=date(2026, 11, 23))}
    assert not rows["4.1.1."].overdue


def test_closed_round_flags_against_as_of(plans, make_user):
    from kiber.registry.choices import Role

    admin = make_user(Role.PLATFORM_ADMIN)
    rows = selectors.task_rows(admin, plans["action"], plans["action"].rounds.get())
    overdue = sorted(row.task.number for row in rows if row.overdue)
    assert "1.3." in overdue and "1.6." in overdue and "1.1." not in overdue


def test_coordinator_reports_tasks_without_a_concrete_institution(plans, roadmap_round, coordinator, member):
    assert selectors.can_report(coordinator, task(plans["roadmap"], "2.1.1."), roadmap_round)  # "Noteiks MK"
    assert selectors.can_report(coordinator, task(plans["roadmap"], "1.2.1."), roadmap_round)  # "Ministrijas"
    assert not selectors.can_report(coordinator, task(plans["roadmap"], "1.3.2."), roadmap_round)  # SM's
    am_coordinator = member("AM", coordinator=True)
    assert not selectors.can_report(am_coordinator, task(plans["roadmap"], "2.1.1."), roadmap_round)
