"""API: systems, resources, dependencies; 422 with field paths; nothing saved on error."""

from __future__ import annotations

import pytest

from kiber.assets.models import InformationSystem
from kiber.registry.models import ApiToken

pytestmark = pytest.mark.django_db

URL = "/api/v1/assets"


@pytest.fixture
def api(client, subject_admin):
    _, key = ApiToken.issue(subject_admin, "test")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


def post(api, url, body):
    return api.post(url, body, content_type="application/json")


def test_create_system_returns_class_a_with_reasons(api, organisation):
    response = post(api, f"{URL}/systems", {
        "name": "Internetbanka",
        "resources": [{"name": "Klientu dati", "personal_data_subjects": 1_200_000,
                       "tolerated_unplanned_downtime_pct": 1}],
    })
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["security_class"] == "A"
    assert body["class_basis"] == ["22-TA-3183 Annex 4", "22-TA-3183 p.34.1"]
    reason = body["class_reasons"][0]
    assert reason["indicator"] == "personal_data_subjects" and reason["value"] == 1_200_000
    assert "Klientu dati" in reason["text"]
    assert body["obligations"]["mfa_required_for"] == ["administrator", "standard"]
    system_id = body["id"]

    assert api.get(f"{URL}/systems").json()[0]["id"] == system_id
    assert api.get(f"{URL}/systems/{system_id}").json()["resources"][0]["confidentiality"] == "A"

    response = api.patch(f"{URL}/systems/{system_id}", {"description": "Klientu kanāls"},
                         content_type="application/json")
    assert response.status_code == 200 and response.json()["description"] == "Klientu kanāls"

    response = post(api, f"{URL}/systems/{system_id}/resources",
                    {"name": "Žurnāli", "tolerated_unplanned_downtime_pct": 0.05})
    assert response.status_code == 201 and response.json()["availability"] == "A"
    resource_id = response.json()["id"]
    response = api.patch(f"{URL}/resources/{resource_id}", {"tolerated_unplanned_downtime_pct": 5},
                         content_type="application/json")
    assert response.json()["availability"] == "C"
    assert api.delete(f"{URL}/resources/{resource_id}").status_code == 204


def test_422_with_field_paths_and_nothing_saved(api, organisation):
    response = post(api, f"{URL}/systems", {
        "name": "",
        "resources": [{"name": "r", "personal_data_subjects": -1, "tolerated_unplanned_downtime_pct": 101}],
    })
    assert response.status_code == 422
    locs = {tuple(e["loc"]) for e in response.json()["detail"]}
    assert ("body", "payload", "name") in locs
    assert ("body", "payload", "resources", 0, "personal_data_subjects") in locs
    assert ("body", "payload", "resources", 0, "tolerated_unplanned_downtime_pct") in locs
    # Missing required downtime.
    response = post(api, f"{URL}/systems", {"name": "X", "resources": [{"name": "r"}]})
    assert response.status_code == 422
    assert ["body", "payload", "resources", 0, "tolerated_unplanned_downtime_pct"] in [
        e["loc"] for e in response.json()["detail"]]
    assert not InformationSystem.objects.exists()
    # A duplicate name is a service error with the same shape.
    assert post(api, f"{URL}/systems", {"name": "X"}).status_code == 201
    response = post(api, f"{URL}/systems", {"name": "X"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "name"]


def test_dependencies_and_cycle_422(api, organisation):
    a = post(api, f"{URL}/systems", {"name": "A", "resources": [
        {"name": "r", "tolerated_unplanned_downtime_pct": 0.05}]}).json()["id"]
    b = post(api, f"{URL}/systems", {"name": "B", "resources": [
        {"name": "r", "tolerated_unplanned_downtime_pct": 5}]}).json()["id"]
    response = post(api, f"{URL}/systems/{a}/dependencies", {"provider_id": b})
    assert response.status_code == 201
    dependency_id = response.json()["id"]
    assert api.get(f"{URL}/systems/{b}").json()["availability"] == "A"
    assert api.get(f"{URL}/systems/{a}/dependencies").json()[0]["provider_id"] == b
    response = post(api, f"{URL}/systems/{b}/dependencies", {"provider_id": a})
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["loc"] == ["body", "payload", "provider_id"] and "B → A → B" in detail["msg"]
    assert api.delete(f"{URL}/dependencies/{dependency_id}").status_code == 204
    assert api.get(f"{URL}/systems/{b}").json()["availability"] == "C"
    assert api.delete(f"{URL}/systems/{a}").status_code == 204


def test_supervisor_reads_but_cannot_write(client, nkc_supervisor, subject_admin, organisation):
    from kiber.assets import services

    system = services.create_system(subject_admin, organisation, {"name": "X"})
    _, key = ApiToken.issue(nkc_supervisor, "nkc")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get(f"{URL}/systems/{system.pk}", **headers).status_code == 200
    assert client.get(f"{URL}/systems?organisation={organisation.pk}", **headers).json()[0]["name"] == "X"
    response = client.patch(f"{URL}/systems/{system.pk}", {"name": "Y"}, content_type="application/json", **headers)
    assert response.status_code == 403


def test_organisation_filter_beyond_bigint_is_empty(api, organisation):
    # Found by the schemathesis run: the foreign key filter overflowed on SQLite (500).
    post(api, f"{URL}/systems", {"name": "Intranets", "resources": []})
    assert len(api.get(f"{URL}/systems?organisation={organisation.pk}").json()) == 1
    response = api.get(f"{URL}/systems?organisation={2**63}")
    assert response.status_code == 200 and response.json() == []


def test_patch_with_nulls_changes_nothing(api, organisation):
    # Found by the schemathesis run: an explicit null reached NOT NULL columns (500).
    resources = [{"name": "r", "tolerated_unplanned_downtime_pct": 5}]
    system = post(api, f"{URL}/systems", {"name": "Intranets", "resources": resources}).json()
    nulls = {"name": None, "description": None, "controller_name": None, "controller_registration_number": None}
    response = api.patch(f"{URL}/systems/{system['id']}", nulls, content_type="application/json")
    assert response.status_code == 200 and response.json()["name"] == "Intranets"
    resource_id = system["resources"][0]["id"]
    nulls = {"name": None, "tolerated_unplanned_downtime_pct": None}
    response = api.patch(f"{URL}/resources/{resource_id}", nulls, content_type="application/json")
    assert response.status_code == 200 and response.json()["tolerated_unplanned_downtime_pct"] == "5.000"
