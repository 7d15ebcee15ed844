"""The supervision rollups, maintained in each submit/review transaction, equal a full recomputation."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest
from django.db.models import Avg, Count

from kiber.compliance import rollups, selectors, services
from kiber.compliance.models import Requirement, SectionScore
from kiber.registry.choices import Role
from kiber.registry.services import record_ci_designation, update_organisation
from tests.compliance.conftest import class_a_system
from tests.compliance.test_services import answer_everything

GAP = {"gap_owner": "Valde", "target_date": date(2027, 1, 31)}


def set_status(actor, assessment, ref, status):
    data = {"status": status, **(GAP if status in ("partial", "not_implemented") else {})}
    services.save_answer(actor, assessment, Requirement.objects.get(ref=ref), None, data)


def full_recomputation():
    """What the dashboard showed before the rollups: averages over every subject's current stored scores."""
    rows = (
        SectionScore.objects.filter(current=True)
        .values("organisation__sector", "section")
        .annotate(avg=Avg("score"), n=Count("id"))
    )
    return {(r["organisation__sector"], r["section"]): (round(r["avg"] or 0, 9), r["n"]) for r in rows}


def from_dashboard(data):
    shown = {(row["sector"], ""): (round(row["avg"] or 0, 9), row["n"]) for row in data.by_sector}
    counts = {row["sector"]: row["n"] for row in data.by_sector}
    for sector, sections in data.sector_sections.items():
        for section, avg in sections.items():
            shown[(sector, section)] = (round(avg or 0, 9), counts[sector])
    return shown


@pytest.mark.django_db
def test_incremental_rollups_equal_full_recomputation(catalogue, make_organisation, make_user, nkc_supervisor):
    bank = make_organisation(name="AS Banka")
    hospital = make_organisation(name="VSIA Slimnīca", sector="health", is_ci_owner=True)
    grid = make_organisation(name="AS Tīkls", sector="energy")
    class_a_system(bank)
    admins = {org.pk: make_user(Role.SUBJECT_ADMIN, org) for org in (bank, hospital, grid)}
    campaigns = {org.pk: services.start_assessment(admins[org.pk], org) for org in (bank, hospital, grid)}
    for org in (bank, hospital, grid):
        answer_everything(admins[org.pk], campaigns[org.pk], status="partial" if org == grid else "implemented")

    # bank: submit, returned for revision, resubmitted with a gap, accepted
    v1 = services.submit_assessment(admins[bank.pk], campaigns[bank.pk])
    services.review_version(nkc_supervisor, v1, "revision_required", "Precizējiet.")
    set_status(admins[bank.pk], campaigns[bank.pk], "22-TA-3183:11.1", "not_implemented")
    v2 = services.submit_assessment(admins[bank.pk], campaigns[bank.pk])
    services.review_version(nkc_supervisor, v2, "accepted")
    # hospital: submitted, still awaiting review
    services.submit_assessment(admins[hospital.pk], campaigns[hospital.pk])
    # grid: submitted, returned, then the subject moves to another sector before resubmitting
    g1 = services.submit_assessment(admins[grid.pk], campaigns[grid.pk])
    services.review_version(nkc_supervisor, g1, "revision_required", "Pievienojiet pierādījumus.")
    update_organisation(admins[grid.pk], grid, {"sector": "drinking_water"})
    set_status(admins[grid.pk], campaigns[grid.pk], "22-TA-3183:11.1", "implemented")
    services.submit_assessment(admins[grid.pk], campaigns[grid.pk])
    # SAB excludes the hospital from critical infrastructure while its submission awaits review
    record_ci_designation(make_user(Role.SAB_OFFICER), hospital, {"notice": "exclusion", "notice_date": date.today()})

    incremental = rollups.contents()
    dashboard = selectors.supervisor_dashboard(nkc_supervisor, with_heat=True)
    assert incremental["reviews"] == {("health", False): (1,), ("drinking_water", False): (1,)}
    assert dashboard.awaiting_review == 2 == len(dashboard.review_queue)
    assert dashboard.submitted == 3
    assert from_dashboard(dashboard) == full_recomputation()
    assert "energy" not in dashboard.heat_sectors and "drinking_water" in dashboard.heat_sectors

    services.rebuild_rollup()
    assert rollups.contents() == incremental


@pytest.mark.django_db
def test_heat_map_equals_the_stored_requirement_scores(catalogue, organisation, subject_admin, nkc_supervisor):
    assessment = services.start_assessment(subject_admin, organisation)
    answer_everything(subject_admin, assessment, status="partial")
    set_status(subject_admin, assessment, "22-TA-3183:11.1", "implemented")
    services.submit_assessment(subject_admin, assessment)
    data = selectors.supervisor_dashboard(nkc_supervisor, with_heat=True)
    from kiber.compliance.models import RequirementScore

    expected = defaultdict(dict)
    for score in RequirementScore.objects.filter(current=True):
        expected[score.requirement_id]["banking"] = (score.score, 1)
    assert data.heat == dict(expected)
    assert data.heat[Requirement.objects.get(ref="22-TA-3183:11.1").pk]["banking"] == (1.0, 1)


@pytest.mark.django_db
def test_review_queue_and_overdue_list_are_paged(client, catalogue, make_organisation, nkc_supervisor):
    from django.urls import reverse

    from tests.compliance.test_query_counts import fabricate
    from tests.support import sign_in

    fabricate(make_organisation, 30)
    data = selectors.supervisor_dashboard(nkc_supervisor, queue_page=2, overdue_page=9)
    assert (data.awaiting_review, data.queue_page.pages, data.queue_page.number) == (30, 2, 2)
    assert len(data.review_queue) == 5 and data.queue_page.first_shown == 26
    assert data.overdue_page.number == 2 and data.overdue_page.previous == 1  # beyond the last page: the last
    first = selectors.supervisor_dashboard(nkc_supervisor).review_queue
    assert not {a.pk for a in first} & {a.pk for a in data.review_queue}
    sign_in(client, nkc_supervisor)
    page = client.get(reverse("compliance:home"), {"queue": "2", "overdue": "x"}).content.decode()
    assert "26–30 no 30" in page and "?queue=1&amp;overdue=1#queue" in page
