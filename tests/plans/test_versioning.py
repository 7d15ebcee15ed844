"""Progress reports refuse a stale save (issue 10, finding 5): the progress form, the coordinator's
status override and review, and the API (If-Match / version -> 412); nothing changes."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kiber.plans import services
from kiber.plans.models import ProgressReport
from kiber.registry.models import ApiToken
from tests.support import sign_in

pytestmark = pytest.mark.django_db

STALE = "Kāds cits jau ir mainījis šo ierakstu"
NUMBER = "1.3.2."


def _task_url(plans, round) -> str:
    return reverse("plans:task", args=[plans["roadmap"].code, NUMBER]) + f"?round={round.pk}"


def test_two_members_saving_the_progress_form_second_gets_the_conflict(client, plans, roadmap_round, member):
    url = _task_url(plans, roadmap_round)
    alice = sign_in(client, member("SM"))
    bob = sign_in(Client(), member("SM"))
    assert 'name="version" value="0"' in alice.get(url).content.decode()  # no report yet
    bob.get(url)

    first = alice.post(
        url, {"progress": "partial", "work_ongoing": "on", "relevant": "on", "description": "Alises", "version": "0"}
    )
    assert first.status_code == 302
    second = bob.post(url, {"progress": "done", "relevant": "on", "description": "Boba", "version": "0"})
    assert second.status_code == 200 and STALE in second.content.decode()
    report = ProgressReport.objects.get(round=roadmap_round, task__number=NUMBER)
    assert (report.description, report.version) == ("Alises", 1)

    assert 'name="version" value="1"' in alice.get(url).content.decode()
    assert (
        alice.post(
            url, {"progress": "partial", "relevant": "on", "description": "Alises 2", "version": "1"}
        ).status_code
        == 302
    )
    again = bob.post(url, {"progress": "done", "relevant": "on", "description": "Boba 2", "version": "1"})
    assert STALE in again.content.decode()
    report.refresh_from_db()
    assert (report.description, report.version) == ("Alises 2", 2)


def test_coordinator_override_and_review_from_a_stale_page_are_refused(
    client, plans, roadmap_round, coordinator, sm_user
):
    task = plans["roadmap"].tasks.get(number=NUMBER)
    report = services.save_progress(sm_user, roadmap_round, task, {"progress": "partial"}, submit=True)
    seen = report.version
    signed = sign_in(client, coordinator)
    assert f'name="version" value="{seen}"' in signed.get(_task_url(plans, roadmap_round)).content.decode()
    services.save_progress(sm_user, roadmap_round, task, {"progress": "done", "description": "Pabeigts"})

    override = reverse("plans:override", args=[plans["roadmap"].code, NUMBER, roadmap_round.pk])
    response = signed.post(override, {"status": "no_information", "reason": "nav ziņu", "version": seen}, follow=True)
    assert STALE in response.content.decode()
    report.refresh_from_db()
    assert (report.override_status, report.progress) == ("", "done")

    services.submit_report(sm_user, report)  # submitted again: the coordinator's page still shows the old one
    review = reverse("plans:review", args=[plans["roadmap"].code, NUMBER, roadmap_round.pk])
    assert STALE in signed.post(review, {"version": seen}, follow=True).content.decode()
    report.refresh_from_db()
    assert report.state == "submitted" and report.reviewed_by is None


def test_api_progress_from_the_same_read_second_is_412(client, plans, roadmap_round, sm_user):
    _, key = ApiToken.issue(sm_user, "test")
    url = f"/api/v1/plans/plans/{plans['roadmap'].code}/rounds/{roadmap_round.pk}/tasks/{NUMBER}/progress"

    def post(body, **headers):
        return client.post(url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}", **headers)

    first = post({"progress": "partial", "description": "A", "version": 0})
    assert first.status_code == 200 and first.json()["version"] == 1 and first["ETag"] == '"1"'
    assert post({"progress": "done", "description": "B", "version": 0}).status_code == 412
    assert post({"progress": "done", "description": "B"}, HTTP_IF_MATCH='"7"').status_code == 412
    assert post({"progress": "done", "description": "B"}, HTTP_IF_MATCH=first["ETag"]).json()["version"] == 2
    submit = client.post(
        url.replace("/progress", "/submit"), HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_IF_MATCH=first["ETag"]
    )
    assert submit.status_code == 412
    report = ProgressReport.objects.get(round=roadmap_round, task__number=NUMBER)
    assert (report.description, report.state, report.version) == ("B", "draft", 2)
