"""Pages: the catalogue, adding a system, detail with class and reasons, supervisors' view, forms."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kiber.assets import services
from kiber.assets.models import InformationSystem
from kiber.registry.choices import Role
from tests.support import sign_in

pytestmark = pytest.mark.django_db


def new_system_post(**overrides):
    data = {
        "system-name": "Kredītu sistēma",
        "system-description": "",
        "system-controller_name": "",
        "system-controller_registration_number": "",
        "resource-name": "Klientu dati",
        "resource-description": "",
        "resource-personal_data_subjects": "1200000",
        "resource-special_category_subjects": "0",
        "resource-tolerated_unplanned_downtime_pct": "1",
    }
    data.update(overrides)
    return data


def test_add_system_shows_class_a_with_reason(subject_client, organisation):
    assert subject_client.get(reverse("assets:list")).status_code == 200
    response = subject_client.post(reverse("assets:system_new"), new_system_post(), follow=True)
    assert response.status_code == 200
    system = InformationSystem.objects.get(organisation=organisation, name="Kredītu sistēma")
    assert system.security_class == "A"
    html = response.content.decode()
    assert "class-A" in html
    assert "Klientu dati" in html and "datu subjektu personas datus" in html
    assert "22-TA-3183 p.34.1" in html
    assert "Daudzfaktoru autentifikācija" in html


def test_form_errors_are_shown_per_field(subject_client, organisation):
    response = subject_client.post(
        reverse("assets:system_new"),
        new_system_post(**{"system-name": "", "resource-tolerated_unplanned_downtime_pct": "150"}),
    )
    assert response.status_code == 200
    form_errors = response.context["system_form"].errors
    assert "name" in form_errors
    assert "tolerated_unplanned_downtime_pct" in response.context["resource_form"].errors
    assert not InformationSystem.objects.filter(organisation=organisation).exists()


def test_cycle_is_a_form_error(subject_client, subject_admin, organisation):
    a = services.create_system(subject_admin, organisation, {"name": "A"},
                               [{"name": "r", "tolerated_unplanned_downtime_pct": 5}])
    b = services.create_system(subject_admin, organisation, {"name": "B"},
                               [{"name": "r", "tolerated_unplanned_downtime_pct": 5}])
    services.add_dependency(subject_admin, a, b)
    response = subject_client.post(reverse("assets:dependency_new", args=[b.pk]), {"provider": a.pk})
    assert response.status_code == 200
    assert "ciklu" in str(response.context["form"].errors["provider"])


def test_supervisor_sees_subjects_catalogue(nkc_client, subject_admin, organisation):
    system = services.create_system(subject_admin, organisation, {"name": "Internetbanka"},
                                    [{"name": "r", "personal_data_subjects": 2_000_000,
                                      "tolerated_unplanned_downtime_pct": 5}])
    listing = nkc_client.get(reverse("assets:list"))
    assert listing.status_code == 200 and organisation.name in listing.content.decode()
    page = nkc_client.get(reverse("assets:organisation", args=[organisation.pk]))
    assert "Internetbanka" in page.content.decode()
    detail = nkc_client.get(reverse("assets:system", args=[system.pk]))
    assert detail.status_code == 200
    # Supervisors read, they do not edit the subject's catalogue.
    assert nkc_client.get(reverse("assets:system_edit", args=[system.pk])).status_code == 403


def test_read_only_subject_user_cannot_edit(client, make_user, organisation, subject_admin):
    system = services.create_system(subject_admin, organisation, {"name": "X"})
    reader = sign_in(client, make_user(Role.SUBJECT_USER, organisation))
    assert reader.get(reverse("assets:system", args=[system.pk])).status_code == 200
    assert reader.get(reverse("assets:system_new")).status_code == 403
    assert reader.post(reverse("assets:system_delete", args=[system.pk])).status_code == 403


def test_stale_flag_on_catalogue(subject_client, subject_admin, organisation):
    from datetime import timedelta

    from django.utils import timezone

    services.report_change(subject_admin, organisation, timezone.localdate() - timedelta(days=40), "Jauns serveris")
    html = subject_client.get(reverse("assets:list")).content.decode()
    assert "Katalogs nav aktualizēts laikā" in html


def test_edit_and_delete_pages(subject_client, subject_admin, organisation):
    system = services.create_system(subject_admin, organisation, {"name": "X"},
                                    [{"name": "r", "tolerated_unplanned_downtime_pct": 5}])
    resource = system.resources.get()
    person = services.add_person(subject_admin, system, {"name": "Anna Bērziņa", "role": "owner"})
    for name, args in [("system_edit", [system.pk]), ("resource_new", [system.pk]), ("resource_edit", [resource.pk]),
                       ("person_new", [system.pk]), ("person_edit", [person.pk]), ("dependency_new", [system.pk]),
                       ("resource_delete", [resource.pk]), ("person_delete", [person.pk]),
                       ("system_delete", [system.pk]), ("import", [])]:
        assert subject_client.get(reverse(f"assets:{name}", args=args)).status_code == 200, name
    response = subject_client.post(reverse("assets:resource_edit", args=[resource.pk]),
                                   {"name": "r", "tolerated_unplanned_downtime_pct": "0.05"})
    assert response.status_code == 302
    system.refresh_from_db()
    assert system.availability == "A"
