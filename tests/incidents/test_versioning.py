"""Incidents refuse a stale save (issue 10, finding 5): the subject's log entry and significance, the
CSIRT's feedback, intermediate request and cross-border mark, web and API; nothing changes."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kiber.incidents import answers, services
from kiber.incidents.models import Incident
from kiber.registry.choices import Role
from kiber.registry.models import ApiToken
from tests.incidents.conftest import EW_ANSWERS
from tests.support import sign_in

pytestmark = pytest.mark.django_db

STALE = "Kāds cits jau ir mainījis šo ierakstu"


@pytest.fixture
def reported(significant_incident, cloud_user):
    """An incident the CSIRT sees: its early warning is submitted."""
    data = {**answers.prefill(significant_incident, "early_warning", cloud_user), **EW_ANSWERS}
    services.submit_report(cloud_user, significant_incident, "early_warning", data)
    significant_incident.refresh_from_db()
    return significant_incident


def _form_data(page) -> dict:
    form = page.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value in (None, "", False, []):
            continue
        if hasattr(field.widget, "format_value") and not isinstance(value, list):
            value = field.widget.format_value(value)
        data[name] = value
    return data


def test_two_people_editing_the_log_entry_second_gets_the_conflict(
    client, cloud, cloud_user, make_user, significant_incident
):
    incident = significant_incident
    url = reverse("incidents:edit", args=[incident.public_id])
    alice = sign_in(client, cloud_user)
    bob = sign_in(Client(), make_user(Role.SUBJECT_USER, cloud))
    form_a, form_b = _form_data(alice.get(url)), _form_data(bob.get(url))
    assert form_a["version"] == form_b["version"] == str(incident.version)

    assert alice.post(url, {**form_a, "impact": "Alises vērtējums"}).status_code == 302
    response = bob.post(url, {**form_b, "impact": "Boba vērtējums", "causes": "Boba cēlonis"})

    assert response.status_code == 200 and STALE in response.content.decode()
    incident.refresh_from_db()
    assert (incident.impact, incident.causes) == ("Alises vērtējums", "")


def test_a_stale_significance_assessment_is_refused(client, cloud_user, significant_incident):
    incident = significant_incident
    url = reverse("incidents:assess", args=[incident.public_id])
    signed = sign_in(client, cloud_user)
    assert f'name="version" value="{incident.version}"' in signed.get(url).content.decode()
    seen = incident.version
    services.update_incident(cloud_user, incident, {"impact": "cits"})
    response = signed.post(url, {"entity_type": "cloud", "complete_unavailability_minutes": "5", "version": seen})
    assert response.status_code == 200 and STALE in response.content.decode()
    incident.refresh_from_db()
    assert incident.significance_answers["complete_unavailability_minutes"] == 45


def test_two_analysts_giving_feedback_from_the_same_page_second_is_refused(client, csirt, make_user, reported):
    incident = reported
    page = reverse("incidents:detail", args=[incident.public_id])
    alice = sign_in(client, csirt)
    bob = sign_in(Client(), make_user(Role.CSIRT_ANALYST, username="certlv-otrs"))
    assert f'name="version" value="{incident.version}"' in alice.get(page).content.decode()
    seen = incident.version
    ack = reverse("incidents:acknowledge", args=[incident.public_id])
    alice.post(ack, {"feedback": "Alises saite", "version": seen})
    response = bob.post(ack, {"feedback": "Boba saite", "version": seen}, follow=True)
    assert STALE in response.content.decode()
    incident.refresh_from_db()
    assert incident.feedback == "Alises saite" and incident.version == seen + 1

    intermediate = reverse("incidents:request_intermediate", args=[incident.public_id])
    stale = bob.post(intermediate, {"note": "Boba", "version": seen}, follow=True)
    assert STALE in stale.content.decode()
    cross = reverse("incidents:cross_border", args=[incident.public_id])
    assert STALE in bob.post(cross, {"value": "1", "version": seen}, follow=True).content.decode()
    incident.refresh_from_db()
    assert incident.intermediate_requested_at is None and not incident.cross_border
    alice.post(cross, {"value": "1", "version": seen + 1})
    incident.refresh_from_db()
    assert incident.cross_border and incident.version == seen + 2


def test_api_significance_with_a_stale_if_match_is_412(cloud_user, significant_incident):
    incident = significant_incident
    _, key = ApiToken.issue(cloud_user, "soc")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    url = f"/api/v1/incidents/incidents/{incident.public_id}"
    read = api.get(url)
    assert read["ETag"] == f'"{incident.version}"' and read.json()["version"] == incident.version
    body = {"entity_type": "cloud", "facts": {"complete_unavailability_minutes": 5}}
    services.update_incident(cloud_user, incident, {"impact": "cits"})
    stale = api.post(f"{url}/significance", body, content_type="application/json", HTTP_IF_MATCH=read["ETag"])
    assert stale.status_code == 412 and stale.json()["version"] == incident.version + 1
    assert Incident.objects.get(pk=incident.pk).significance_answers["complete_unavailability_minutes"] == 45
    fresh = api.post(f"{url}/significance", body, content_type="application/json", HTTP_IF_MATCH=stale["ETag"])
    assert fresh.status_code == 200 and fresh["ETag"] == f'"{incident.version + 2}"'
