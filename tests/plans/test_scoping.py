"""Scoping: who may read plans, who may report for which task, and 404 for everyone else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kiber.plans import services
from kiber.plans.models import ProgressReport
from kiber.registry.choices import Role
from tests.support import sign_in


def pages(plans, round):
    code = plans["roadmap"].code
    return [
        reverse("plans:list"), reverse("plans:mine"), reverse("plans:detail", args=[code]),
        reverse("plans:stats", args=[code]), reverse("plans:timeline", args=[code]),
        reverse("plans:task", args=[code, "1.3.2."]), reverse("plans:report", args=[code, round.pk]),
        reverse("plans:report_file", args=[code, round.pk, "xlsx"]),
    ]


def test_subject_user_of_an_organisation_gets_404_everywhere(client, plans, roadmap_round, subject_admin):
    sign_in(client, subject_admin)
    for url in pages(plans, roadmap_round) + [reverse("plans:round", args=[plans["roadmap"].code, roadmap_round.pk])]:
        assert client.get(url).status_code == 404, url
    api = [f"/api/v1/plans/plans/{plans['roadmap'].code}", f"/api/v1/plans/plans/{plans['roadmap'].code}/tasks",
           f"/api/v1/plans/plans/{plans['roadmap'].code}/rounds/{roadmap_round.pk}/reports"]
    for url in api:
        assert client.get(url).status_code == 404, url
    assert client.get("/api/v1/plans/plans").json() == []
    url = f"/api/v1/plans/plans/{plans['roadmap'].code}/rounds/{roadmap_round.pk}/tasks/1.3.2./progress"
    response = client.post(url, {"progress": "done"}, content_type="application/json")
    assert response.status_code == 404


def test_anonymous_is_sent_to_login(client, plans, roadmap_round):
    for url in pages(plans, roadmap_round):
        assert client.get(url).status_code == 302


def test_members_and_supervisors_read(client, plans, roadmap_round, am_user, nkc_supervisor):
    for user in (am_user, nkc_supervisor):
        sign_in(client, user)
        for url in pages(plans, roadmap_round):
            assert client.get(url).status_code == 200, (user, url)


def test_user_of_another_institution_cannot_report(client, plans, roadmap_round, am_user):
    sign_in(client, am_user)
    url = reverse("plans:task", args=[plans["roadmap"].code, "1.3.2."]) + f"?round={roadmap_round.pk}"
    page = client.get(url).content.decode()
    assert 'name="progress"' not in page
    client.post(url, {"progress": "done", "description": "x", "relevant": "on", "submit": "1"})
    assert not ProgressReport.objects.filter(round=roadmap_round).exists()
    api = f"/api/v1/plans/plans/{plans['roadmap'].code}/rounds/{roadmap_round.pk}/tasks/1.3.2./progress"
    response = client.post(api, {"progress": "done"}, content_type="application/json")
    assert response.status_code == 403
    assert not ProgressReport.objects.filter(round=roadmap_round).exists()


def test_only_the_coordinator_coordinates(client, plans, roadmap_round, sm_user, am_user, coordinator):
    code = plans["roadmap"].code
    for user in (sm_user, am_user):
        sign_in(client, user)
        assert client.get(reverse("plans:round", args=[code, roadmap_round.pk])).status_code == 404
        assert client.post(reverse("plans:round_close", args=[code, roadmap_round.pk])).status_code == 404
        assert client.post(reverse("plans:override", args=[code, "1.3.2.", roadmap_round.pk]),
                           {"status": "completed", "reason": "x"}).status_code == 404
    roadmap_round.refresh_from_db()
    assert roadmap_round.is_open
    sign_in(client, coordinator)
    assert client.get(reverse("plans:round", args=[code, roadmap_round.pk])).status_code == 200


def test_drafts_are_visible_only_to_their_institution_and_the_coordinator(
        client, plans, roadmap_round, sm_user, am_user, coordinator):
    services.save_progress(sm_user, roadmap_round, plans["roadmap"].tasks.get(number="1.3.2."),
                           {"progress": "partial", "work_ongoing": True, "description": "Slepens melnraksts"})
    url = reverse("plans:task", args=[plans["roadmap"].code, "1.3.2."]) + f"?round={roadmap_round.pk}"
    for user, visible in ((sm_user, True), (coordinator, True), (am_user, False)):
        sign_in(client, user)
        assert ("Slepens melnraksts" in client.get(url).content.decode()) is visible, user
        reports = client.get(f"/api/v1/plans/plans/{plans['roadmap'].code}/rounds/{roadmap_round.pk}/reports").json()
        assert (len(reports) == 1) is visible


@pytest.mark.parametrize("role", [Role.SUBJECT_USER, Role.AUDITOR])
def test_roles_without_membership_see_nothing(client, plans, make_user, organisation, role):
    sign_in(client, make_user(role, organisation if role == Role.SUBJECT_USER else None))
    assert client.get(reverse("plans:list")).status_code == 404
