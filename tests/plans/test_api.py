"""API: plans, tasks, reports and progress submission; 422 with field paths on bad input."""

from __future__ import annotations

import pytest

from kiber.plans.models import ProgressReport
from kiber.registry.models import ApiToken


@pytest.fixture
def sm_api(client, sm_user):
    _token, key = ApiToken.issue(sm_user, "test")
    return lambda method, url, **kw: getattr(client, method)(url, HTTP_AUTHORIZATION=f"Bearer {key}", **kw)


def progress_url(plans, round, number="1.3.2."):
    return f"/api/v1/plans/plans/{plans['roadmap'].code}/rounds/{round.pk}/tasks/{number}/progress"


def test_list_plans_and_tasks(plans, roadmap_round, sm_api):
    listed = sm_api("get", "/api/v1/plans/plans").json()
    assert {p["code"] for p in listed} == {plans["action"].code, plans["roadmap"].code}
    tasks = sm_api("get", f"/api/v1/plans/plans/{plans['action'].code}/tasks").json()
    assert len(tasks) == 58
    assert sum(t["status"] == "completed" for t in tasks) == 36
    roadmap = {t["number"]: t for t in sm_api("get", f"/api/v1/plans/plans/{plans['roadmap'].code}/tasks").json()}
    assert roadmap["1.3.2."]["can_report"] and not roadmap["1.1.1."]["can_report"]
    assert roadmap["4.1.3."]["depends_on"] == ["4.1.1.", "4.1.2."]


def test_submit_progress(plans, roadmap_round, sm_api):
    response = sm_api("post", progress_url(plans, roadmap_round), data={
        "progress": "partial", "work_ongoing": True, "description": "Iepirkums notiek.", "submit": True},
        content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "in_progress" and body["state"] == "submitted" and body["versions"] == 1
    assert body["status_basis"]
    again = sm_api("post", progress_url(plans, roadmap_round).replace("/progress", "/submit"))
    assert again.status_code == 200 and again.json()["versions"] == 2
    reports = sm_api("get", f"/api/v1/plans/plans/{plans['roadmap'].code}/rounds/{roadmap_round.pk}/reports").json()
    assert [r["task"] for r in reports] == ["1.3.2."]


@pytest.mark.parametrize(("payload", "field"), [
    ({}, "progress"),
    ({"progress": "maybe"}, "progress"),
    ({"progress": "done", "work_ongoing": "yes"}, "work_ongoing"),
    ({"progress": "done", "colour": "red"}, "colour"),
])
def test_bad_input_422_with_field_paths_and_nothing_saved(plans, roadmap_round, sm_api, payload, field):
    response = sm_api("post", progress_url(plans, roadmap_round), data=payload, content_type="application/json")
    assert response.status_code == 422
    assert any(field in [str(part) for part in error["loc"]] for error in response.json()["detail"])
    assert not ProgressReport.objects.filter(round=roadmap_round).exists()


def test_business_refusals(plans, roadmap_round, sm_api):
    closed = plans["action"].rounds.get()
    response = sm_api("post", f"/api/v1/plans/plans/{plans['action'].code}/rounds/{closed.pk}/tasks/1.1./progress",
                      data={"progress": "done"}, content_type="application/json")
    assert response.status_code == 409
    assert sm_api("post", progress_url(plans, roadmap_round, "9.9.9."), data={"progress": "done"},
                  content_type="application/json").status_code == 404
    assert sm_api("post", progress_url(plans, roadmap_round).replace("/progress", "/submit")).status_code == 422
