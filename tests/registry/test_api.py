"""Registry API: scoped reads, updates and submissions; 422 with field paths, nothing saved."""

from __future__ import annotations

import pytest

from kiber.registry import services
from kiber.registry.choices import Role
from kiber.registry.models import ApiToken, ManagerAppointment, Submission
from tests.registry.conftest import status_data

pytestmark = pytest.mark.django_db

API = "/api/v1/registry"

MANAGER = {
    "first_name": "Ilze",
    "last_name": "Ozola",
    "personal_code": "050585-11876",
    "birth_date": "1985-05-05",
    "email": "ilze.ozola@example.lv",
    "phone": "+371 29000000",
    "citizenships": ["LV"],
    "term_start": "2025-09-01",
    "experience_months": 30,
    "certificates": [{"name": "CISM", "valid_until": "2030-01-01"}],
    "under_guardianship": False,
    "intentional_offence_conviction": False,
}


@pytest.fixture
def api(client, subject_admin):
    _, key = ApiToken.issue(subject_admin, "test")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


def _fields(response) -> set[str]:
    return {".".join(str(p) for p in e["loc"][2:]) for e in response.json()["detail"]}


def test_requires_auth(client):
    assert client.get(f"{API}/organisations").status_code == 401


def test_list_and_detail_are_scoped(api, organisation, other_organisation):
    items = api.get(f"{API}/organisations").json()["items"]
    assert [o["name"] for o in items] == [organisation.name]
    assert api.get(f"{API}/organisations/{organisation.pk}").json()["category"] == "essential"
    assert api.get(f"{API}/organisations/{other_organisation.pk}").status_code == 404


def test_nkc_filters(client, nkc_supervisor, organisation, other_organisation):
    _, key = ApiToken.issue(nkc_supervisor, "t")
    response = client.get(f"{API}/organisations", {"sector": "health"}, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert [o["name"] for o in response.json()["items"]] == [other_organisation.name]
    response = client.get(f"{API}/organisations", {"category": "nonsense"}, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 422


def test_update_own(api, organisation):
    response = api.patch(
        f"{API}/organisations/own",
        {"employees": 10, "annual_turnover_eur": 1, "balance_sheet_eur": 1},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["category"] == "out_of_scope"


def test_update_own_bad_input(api, organisation):
    response = api.patch(
        f"{API}/organisations/own",
        {"email": "nav", "employees": -1, "sector": "energy"},
        content_type="application/json",
    )
    assert response.status_code == 422 and {"email", "employees"} <= _fields(response)
    response = api.patch(f"{API}/organisations/own", {"sector": "energy"}, content_type="application/json")
    assert response.status_code == 422 and _fields(response) == {"subsector"}
    organisation.refresh_from_db()
    assert organisation.sector == "banking" and organisation.employees == 300


def test_subject_user_cannot_write(client, make_user, organisation):
    _, key = ApiToken.issue(make_user(Role.SUBJECT_USER, organisation), "t")
    response = client.patch(
        f"{API}/organisations/own", {"name": "X"}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 403


def test_submit_status_and_read_back(api, organisation):
    payload = {**status_data(), "ip_ranges": ["10.0.0.0/8", "10.0.0.1/8", "nonsense"], "member_states": ["XX"]}
    response = api.post(f"{API}/submissions/status", payload, content_type="application/json")
    assert response.status_code == 422 and {"ip_ranges", "member_states.0"} <= _fields(response)
    assert not Submission.objects.exists()
    response = api.post(f"{API}/submissions/status", status_data(), content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["version"] == 1 and body["snapshot"]["ip_ranges"] == ["195.13.128.0/20"]
    assert [d["recipient"] for d in body["deliveries"]] == ["nkc"]
    listed = api.get(f"{API}/submissions").json()["items"]
    assert [s["id"] for s in listed] == [body["id"]]
    assert api.get(f"{API}/submissions/{body['id']}").json()["sha256"] == body["sha256"]
    again = api.post(f"{API}/submissions/status", status_data(), content_type="application/json")
    assert again.status_code == 422 and _fields(again) == {"notice_type"}


def test_appoint_manager(api, organisation):
    bad = {**MANAGER, "citizenships": ["RU"], "certificates": [], "experience_months": 3}
    response = api.post(f"{API}/managers", bad, content_type="application/json")
    assert response.status_code == 422 and {"citizenships", "education_in_cybersecurity"} <= _fields(response)
    response = api.post(f"{API}/managers", {**MANAGER, "personal_code": "abc"}, content_type="application/json")
    assert response.status_code == 422 and _fields(response) == {"personal_code"}
    assert not ManagerAppointment.objects.exists()
    response = api.post(f"{API}/managers", MANAGER, content_type="application/json")
    assert response.status_code == 201 and response.json()["eligible"] is True
    assert api.get(f"{API}/managers").json()["items"][0]["last_name"] == "Ozola"
    submitted = api.post(f"{API}/submissions/manager")
    assert submitted.status_code == 201 and submitted.json()["notice_type"] == "appointment"


def test_manager_notification_without_manager(api):
    response = api.post(f"{API}/submissions/manager")
    assert response.status_code == 422 and _fields(response) == {"appointment"}


def test_other_organisation_records_are_404(api, make_user, other_organisation):
    admin = make_user(Role.SUBJECT_ADMIN, other_organisation)
    submission = services.submit_status_notification(admin, other_organisation, status_data())
    assert api.get(f"{API}/submissions/{submission.pk}").status_code == 404
    assert api.get(f"{API}/submissions").json()["items"] == []


@pytest.mark.parametrize("path", ["organisations", "submissions", "managers"])
@pytest.mark.parametrize("query", ["limit=9223372036854775808", "offset=9223372036854775808", "limit=0", "offset=-1"])
def test_pagination_out_of_range_is_422(api, path, query):
    # Found by the schemathesis run: a limit beyond bigint reached SQL LIMIT and the database failed (500).
    response = api.get(f"{API}/{path}?{query}")
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["loc"] == ["query", query.split("=")[0]]


def test_pagination_in_range(api, organisation):
    response = api.get(f"{API}/organisations?limit=1000&offset=0")
    assert response.status_code == 200 and response.json()["count"] == 1
