"""Registry records refuse a stale save (issue 10, finding 5): responsible persons, the manager
appointment, NKC's category override and SAB's check; nothing changes. (The subject's own data:
tests/test_versioning.py.)"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kiber.registry import services
from kiber.registry.choices import Role
from kiber.registry.models import ApiToken, ManagerAppointment, ResponsiblePerson
from tests.registry.conftest import manager_data
from tests.registry.test_views import MANAGER_POST
from tests.support import sign_in

pytestmark = pytest.mark.django_db

STALE = "Kāds cits jau ir mainījis šo ierakstu"


def _initial(page) -> dict:
    form = page.context["form"]
    values = {name: form[name].value() for name in form.fields}
    return {name: value for name, value in values.items() if value is not None and value != "" and value is not False}


def test_two_people_saving_responsible_persons_second_gets_the_conflict(client, subject_admin, make_user, organisation):
    url = reverse("registry:responsible")
    alice = sign_in(client, subject_admin)
    bob = sign_in(Client(), make_user(Role.CYBER_MANAGER, organisation))
    form_a, form_b = _initial(alice.get(url)), _initial(bob.get(url))
    assert form_a["plan_version"] == form_b["plan_version"] == 0

    assert alice.post(url, {**form_a, "plan_name": "Alise Bērziņa"}).status_code == 302
    response = bob.post(url, {**form_b, "plan_name": "Bobs Kalns", "logs_name": "Bobs Kalns"})
    assert response.status_code == 200 and STALE in response.content.decode()
    assert list(ResponsiblePerson.objects.values_list("duty", "full_name", "version")) == [
        ("plan", "Alise Bērziņa", 1)
    ]  # Bob's logs person was rolled back with the rest of his form

    # Removing a person someone else has changed since is refused too.
    form_b = _initial(bob.get(url))
    assert alice.post(url, {**_initial(alice.get(url)), "plan_name": "Alise Ozola"}).status_code == 302
    refused = bob.post(url, {**form_b, "plan_name": ""})
    assert STALE in refused.content.decode()
    assert ResponsiblePerson.objects.get().full_name == "Alise Ozola"


def test_two_people_appointing_a_manager_from_the_same_page_second_gets_the_conflict(
    client, subject_admin, make_user, organisation
):
    url = reverse("registry:appoint")
    alice = sign_in(client, subject_admin)
    bob = sign_in(Client(), make_user(Role.CYBER_MANAGER, organisation))
    assert 'name="replaces" value="0"' in alice.get(url).content.decode()
    bob.get(url)
    assert alice.post(url, {**MANAGER_POST, "replaces": "0"}).status_code == 302
    response = bob.post(
        url,
        {
            **MANAGER_POST,
            "first_name": "Boriss",
            "email": "boriss@example.lv",
            "personal_code": "",
            "birth_date": "1980-01-01",
            "replaces": "0",
        },
    )
    assert response.status_code == 200 and STALE in response.content.decode()
    assert list(ManagerAppointment.objects.values_list("first_name", "ended_on")) == [("Ilze", None)]


def test_api_appointment_replacing_a_superseded_one_is_412(subject_admin, organisation):
    first = services.appoint_manager(subject_admin, organisation, manager_data())
    _, key = ApiToken.issue(subject_admin, "test")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    body = {**manager_data(first_name="Jānis", personal_code="", email="janis@example.lv"), "replaces": 0}
    body = {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in body.items()}
    body["certificates"] = [{"name": "CISM", "valid_until": "2030-01-01"}]
    response = api.post("/api/v1/registry/managers", body, content_type="application/json")
    assert response.status_code == 412
    assert ManagerAppointment.objects.get().pk == first.pk
    accepted = api.post("/api/v1/registry/managers", {**body, "replaces": first.pk}, content_type="application/json")
    assert accepted.status_code == 201, accepted.content


def test_nkc_category_override_from_a_stale_page_is_refused(client, nkc_supervisor, subject_admin, organisation):
    signed = sign_in(client, nkc_supervisor)
    page = signed.get(reverse("registry:detail", args=[organisation.pk])).content.decode()
    assert f'name="version" value="{organisation.version}"' in page
    services.update_organisation(subject_admin, organisation, {"phone": "+37167111111"})
    response = signed.post(
        reverse("registry:override", args=[organisation.pk]),
        {"category": "important", "reason": "Meitas sabiedrība", "version": organisation.version - 1},
    )
    assert response.status_code == 409 and STALE in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.category_override == "" and organisation.phone == "+37167111111"


def test_sab_check_from_a_stale_page_is_refused(client, make_organisation, make_user):
    ci = make_organisation(name="AS KI Īpašnieks", registration_number="40003000555", is_ci_owner=True)
    appointment = services.appoint_manager(make_user(Role.SUBJECT_ADMIN, ci), ci, manager_data())
    alice, bob = make_user(Role.SAB_OFFICER), make_user(Role.SAB_OFFICER)
    signed = sign_in(client, bob)
    page = signed.get(reverse("registry:detail", args=[ci.pk])).content.decode()
    assert f'name="version" value="{appointment.version}"' in page
    services.record_sab_check(alice, appointment, "no_risks", appointment.version)
    url = reverse("registry:sab_check", args=[appointment.pk])
    response = signed.post(url, {"sab_check": "risks_identified", "version": appointment.version}, follow=True)
    assert STALE in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.sab_check == "no_risks" and appointment.version == 2
