"""Registry pages and forms: bad input gives field errors and saves nothing; who may do what."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kiber.registry import services
from kiber.registry.choices import Role
from kiber.registry.models import ManagerAppointment, Organisation, Submission, User
from tests.registry.conftest import manager_data, status_data
from tests.support import sign_in

pytestmark = pytest.mark.django_db

REGISTER = {
    "registration_number": "40003999002",
    "name": "SIA Jauns Subjekts",
    "legal_address": "Rīga, Tērbatas iela 2",
    "email": "info@jauns.lv",
    "phone": "+371 67000002",
    "sector": "health",
    "entity_kind": "other",
    "employees": "80",
    "annual_turnover_eur": "12000000",
    "balance_sheet_eur": "11000000",
    "admin_first_name": "Līga",
    "admin_last_name": "Kalna",
    "admin_email": "liga@jauns.lv",
    "admin_username": "jauns.admin",
}

MANAGER_POST = {
    "first_name": "Ilze",
    "last_name": "Ozola",
    "personal_code": "050585-11876",
    "email": "ilze.ozola@example.lv",
    "phone": "+371 29000000",
    "citizenships": "LV",
    "term_start": "2025-09-01",
    "experience_months": "30",
    "certificates": "CISM, 2030-01-01",
    "under_guardianship": "no",
    "intentional_offence_conviction": "no",
}


def test_nkc_registers_subject_and_sees_one_time_password(nkc_client):
    response = nkc_client.post(reverse("registry:register"), REGISTER)
    assert response.status_code == 200 and 'id="new-password"' in response.content.decode()
    org = Organisation.objects.get(registration_number="40003999002")
    assert org.category == "important"
    assert User.objects.get(username="jauns.admin").organisation == org


@pytest.mark.parametrize("number", ["123", "4000300000A", "400030000012", ""])
def test_invalid_registration_number_is_a_field_error(nkc_client, number):
    response = nkc_client.post(reverse("registry:register"), {**REGISTER, "registration_number": number})
    assert response.status_code == 200
    form = response.context["form"]
    assert "registration_number" in form.errors
    assert not Organisation.objects.filter(name="SIA Jauns Subjekts").exists()


def test_missing_fields_and_wrong_subsector(nkc_client):
    data = {**REGISTER, "name": "", "sector": "energy", "subsector": "rail"}
    response = nkc_client.post(reverse("registry:register"), data)
    form = response.context["form"]
    assert {"name", "subsector"} <= set(form.errors)
    assert not Organisation.objects.filter(registration_number="40003999002").exists()


def test_subject_cannot_register_or_list(subject_client):
    assert subject_client.get(reverse("registry:register")).status_code == 403
    assert subject_client.get(reverse("registry:list")).status_code == 403


def test_own_page_and_edit(subject_client, organisation):
    page = subject_client.get(reverse("registry:own"))
    assert page.status_code == 200 and organisation.name in page.content.decode()
    data = {f: getattr(organisation, f) for f in services.SUBJECT_EDITABLE_FIELDS}
    data.update(
        name="AS Demo Banka 2", website="", postal_address="", subsector="", is_ci_owner="", is_domain_registrar=""
    )
    data = {k: v for k, v in data.items() if v not in ("", False)}
    response = subject_client.post(reverse("registry:edit"), data)
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "AS Demo Banka 2"


def test_subject_user_may_read_but_not_edit(client, make_user, organisation):
    sign_in(client, make_user(Role.SUBJECT_USER, organisation))
    assert client.get(reverse("registry:own")).status_code == 200
    for name in ("registry:edit", "registry:notify", "registry:appoint", "registry:responsible"):
        assert client.get(reverse(name)).status_code == 403


def test_manager_form_valid(subject_client, organisation):
    response = subject_client.post(reverse("registry:appoint"), MANAGER_POST)
    assert response.status_code == 302
    appointment = ManagerAppointment.objects.get(organisation=organisation)
    assert appointment.birth_date.isoformat() == "1985-05-05"  # from the personal code
    assert appointment.certificates == [{"name": "CISM", "valid_until": "2030-01-01"}]


def test_manager_violating_p13_shows_field_errors(subject_client):
    data = {
        **MANAGER_POST,
        "citizenships": "RU",
        "certificates": "",
        "experience_months": "6",
        "intentional_offence_conviction": "",
    }
    response = subject_client.post(reverse("registry:appoint"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "13.1" in errors["citizenships"][0]
    assert "13.3" in errors["education_in_cybersecurity"][0]
    assert "intentional_offence_conviction" in errors
    assert not ManagerAppointment.objects.exists()


def test_manager_form_bad_input(subject_client):
    data = {
        **MANAGER_POST,
        "personal_code": "12345",
        "citizenships": "XX",
        "certificates": "CISM, 31.12.2027",
        "email": "nav-epasts",
    }
    response = subject_client.post(reverse("registry:appoint"), data)
    errors = response.context["form"].errors
    assert {"personal_code", "citizenships", "certificates", "email"} <= set(errors)
    assert not ManagerAppointment.objects.exists()


def test_sixth_essential_provider_in_form(subject_client, organisation, make_organisation, make_user):
    for n in range(5):
        org = make_organisation(name=f"Būtisks {n}")
        services.appoint_manager(make_user(Role.SUBJECT_ADMIN, org), org, manager_data())
    response = subject_client.post(reverse("registry:appoint"), MANAGER_POST)
    assert response.status_code == 200
    assert "p.20" in response.context["form"].errors["personal_code"][0]
    assert not ManagerAppointment.objects.filter(organisation=organisation).exists()


def test_status_notification_form(subject_client, organisation):
    bad = {
        "notice_type": "initial",
        "contact_name": "A",
        "contact_email": "a@b.lv",
        "contact_phone": "+37120000000",
        "services": "x",
        "member_states": ["LV"],
        "ip_ranges": "10.0.0.0/8\n300.1.1.0/24\n10.0.0.1/8",
    }
    response = subject_client.post(reverse("registry:notify"), bad)
    assert "300.1.1.0/24" in response.context["form"].errors["ip_ranges"][0]
    assert "10.0.0.1/8" in response.context["form"].errors["ip_ranges"][0]
    assert not Submission.objects.exists()
    good = {**bad, "ip_ranges": "10.0.0.0/8"}
    response = subject_client.post(reverse("registry:notify"), good)
    submission = Submission.objects.get()
    assert response.status_code == 302 and submission.snapshot["ip_ranges"] == ["10.0.0.0/8"]
    page = subject_client.get(reverse("registry:submission", args=[submission.pk]))
    assert submission.sha256 in page.content.decode()
    pdf = subject_client.get(reverse("registry:submission_pdf", args=[submission.pk]))
    assert b"".join(pdf.streaming_content)[:4] == b"%PDF"


def test_nkc_list_filters_and_inbox(nkc_client, nkc_supervisor, organisation, other_organisation, subject_admin):
    services.submit_status_notification(subject_admin, organisation, status_data())
    page = nkc_client.get(reverse("registry:list"))
    assert organisation.name in page.content.decode() and other_organisation.name in page.content.decode()
    page = nkc_client.get(reverse("registry:list"), {"missing_notification": "1"}).content.decode()
    assert organisation.name not in page and other_organisation.name in page
    page = nkc_client.get(reverse("registry:list"), {"sector": "health"}).content.decode()
    assert organisation.name not in page
    inbox = nkc_client.get(reverse("registry:inbox")).content.decode()
    assert organisation.name in inbox
    detail = nkc_client.get(reverse("registry:detail", args=[organisation.pk])).content.decode()
    assert 'Iesniegts<div class="muted">Iesniegums' in detail  # audit history lists the submission, in Latvian


def test_nkc_limited_to_sectors(client, make_user, organisation, other_organisation):
    sign_in(client, make_user(Role.NKC_SUPERVISOR, supervised_sectors=["health"]))
    page = client.get(reverse("registry:list")).content.decode()
    assert other_organisation.name in page and organisation.name not in page
    assert client.get(reverse("registry:detail", args=[organisation.pk])).status_code == 404


def test_override_via_page(nkc_client, organisation):
    response = nkc_client.post(
        reverse("registry:override", args=[organisation.pk]), {"category": "important", "reason": ""}
    )
    assert response.status_code == 422
    response = nkc_client.post(
        reverse("registry:override", args=[organisation.pk]), {"category": "important", "reason": "Meitas sabiedrība"}
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.category_override == "important"


def test_subject_cannot_override(subject_client, organisation):
    response = subject_client.post(
        reverse("registry:override", args=[organisation.pk]), {"category": "out_of_scope", "reason": "x"}
    )
    assert response.status_code == 403
