"""Registry services: categories, overrides, managers (p. 11–22), versioned submissions."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest

from kiber.audit.models import AuditEntry
from kiber.audit.services import history
from kiber.registry import services
from kiber.registry.choices import Duty, Role
from kiber.registry.models import Delivery, ManagerAppointment, Organisation, Submission
from tests.registry.conftest import manager_data, status_data

pytestmark = pytest.mark.django_db

BANK = {
    "registration_number": "40003999001",
    "name": "AS Testa Banka",
    "legal_address": "Rīga, Brīvības iela 1",
    "email": "info@banka.lv",
    "phone": "+371 67000000",
    "sector": "banking",
    "subsector": "",
    "entity_kind": "other",
    "employees": 400,
    "annual_turnover_eur": Decimal("90000000"),
    "balance_sheet_eur": Decimal("800000000"),
    "is_ci_owner": False,
    "is_domain_registrar": False,
}


def test_register_subject_computes_category_and_creates_admin(nkc_supervisor):
    created = services.register_subject(nkc_supervisor, BANK, {"username": "testa.admin", "email": "a@banka.lv"})
    org = created.organisation
    assert org.category == "essential" and org.size == "large"
    assert "NIS2 Art.3(1)(a)" in " ".join(org.category_basis) or org.category_basis
    assert created.admin.role == Role.SUBJECT_ADMIN and created.admin.organisation == org
    assert created.admin.check_password(created.password)
    assert history(org).filter(action="create").exists()


def test_nkc_limited_to_sectors_cannot_register_elsewhere(make_user):
    limited = make_user(Role.NKC_SUPERVISOR, supervised_sectors=["health"])
    with pytest.raises(services.RegistryError) as exc:
        services.register_subject(limited, BANK, {"username": "x.admin"})
    assert "sector" in exc.value.errors
    assert not Organisation.objects.filter(registration_number=BANK["registration_number"]).exists()


def test_duplicate_registration_number_is_a_field_error(nkc_supervisor, organisation):
    with pytest.raises(services.RegistryError) as exc:
        services.register_subject(
            nkc_supervisor, {**BANK, "registration_number": organisation.registration_number}, {"username": "y"}
        )
    assert "registration_number" in exc.value.errors


def test_update_recomputes_category_and_audits(subject_admin, organisation):
    services.update_organisation(
        subject_admin,
        organisation,
        {"employees": 20, "annual_turnover_eur": Decimal(1), "balance_sheet_eur": Decimal(1)},
    )
    organisation.refresh_from_db()
    assert organisation.category == "out_of_scope"
    entry = history(organisation).filter(action="update").last()
    assert entry.changes["employees"] == [300, 20]


def test_subject_user_cannot_update(make_user, organisation):
    reader = make_user(Role.SUBJECT_USER, organisation)
    with pytest.raises(PermissionError):
        services.update_organisation(reader, organisation, {"name": "X"})


def test_override_needs_reason_and_is_audited(nkc_supervisor, organisation):
    with pytest.raises(services.RegistryError):
        services.override_category(nkc_supervisor, organisation, "important", "  ")
    services.override_category(nkc_supervisor, organisation, "important", "Grupas meitas sabiedrība")
    organisation.refresh_from_db()
    assert organisation.effective_category == "important" and organisation.category == "essential"
    assert history(organisation).filter(action="override_category").exists()


def test_appoint_eligible_manager(subject_admin, organisation):
    appointment = services.appoint_manager(subject_admin, organisation, manager_data())
    assert appointment.eligible and appointment.subject_tier == "essential"
    assert "22-TA-3183 p.13" in appointment.eligibility["basis"]
    assert services.active_appointment(organisation) == appointment


def test_ci_manager_is_pending_sab_check(make_organisation, make_user):
    ci = make_organisation(name="CI", is_ci_owner=True)
    admin = make_user(Role.SUBJECT_ADMIN, ci)
    appointment = services.appoint_manager(admin, ci, manager_data())
    assert not appointment.eligible and appointment.eligibility["pending"][0]["code"] == "sab_check_pending"
    assert appointment.term_end is not None  # longest term of p. 16 assumed
    sab = make_user(Role.SAB_OFFICER)
    services.record_sab_check(sab, appointment, "no_risks")
    appointment.refresh_from_db()
    assert appointment.eligible


def test_p12_violation_is_a_field_error_and_nothing_saved(make_organisation, make_user):
    ci = make_organisation(name="CI", is_ci_owner=True)
    admin = make_user(Role.SUBJECT_ADMIN, ci)
    with pytest.raises(services.RegistryError) as exc:
        services.appoint_manager(admin, ci, manager_data(citizenships=["LT"], under_guardianship=None))
    assert "citizenships" in exc.value.errors and "12.1" in exc.value.errors["citizenships"][0]
    assert "under_guardianship" in exc.value.errors
    assert not ManagerAppointment.objects.exists()


def test_sixth_essential_provider_is_refused(make_organisation, make_user):
    for n in range(5):
        org = make_organisation(name=f"Būtisks {n}")
        services.appoint_manager(make_user(Role.SUBJECT_ADMIN, org), org, manager_data())
    sixth = make_organisation(name="Sestais")
    with pytest.raises(services.RegistryError) as exc:
        services.appoint_manager(
            make_user(Role.SUBJECT_ADMIN, sixth), sixth, manager_data(personal_code="", email="ILZE.OZOLA@example.lv")
        )
    assert "p.20" in exc.value.errors["email"][0]
    assert not ManagerAppointment.objects.filter(organisation=sixth).exists()


def test_sixth_in_managed_group_is_allowed(make_organisation, make_user):
    for n in range(5):
        org = make_organisation(name=f"Būtisks {n}")
        services.appoint_manager(make_user(Role.SUBJECT_ADMIN, org), org, manager_data())
    sixth = make_organisation(name="Meita")
    appointment = services.appoint_manager(
        make_user(Role.SUBJECT_ADMIN, sixth), sixth, manager_data(subject_in_managed_group=True)
    )
    assert appointment.eligible


def test_ci_manager_cannot_manage_elsewhere(make_organisation, make_user, subject_admin, organisation):
    ci = make_organisation(name="CI", is_ci_owner=True)
    services.appoint_manager(make_user(Role.SUBJECT_ADMIN, ci), ci, manager_data(state_secret_clearance=True))
    with pytest.raises(services.RegistryError) as exc:
        services.appoint_manager(subject_admin, organisation, manager_data())
    assert "p.19" in exc.value.errors["personal_code"][0]


def test_ci_manager_must_not_hold_backup_duty(make_organisation, make_user):
    ci = make_organisation(name="CI", is_ci_owner=True)
    admin = make_user(Role.SUBJECT_ADMIN, ci)
    services.set_responsible_person(admin, ci, Duty.BACKUPS, "Ilze Ozola", "", "ilze.ozola@example.lv")
    with pytest.raises(services.RegistryError) as exc:
        services.appoint_manager(admin, ci, manager_data())
    assert "p.22" in exc.value.errors["__all__"][0]


def test_new_appointment_ends_the_previous_one(subject_admin, organisation):
    first = services.appoint_manager(subject_admin, organisation, manager_data())
    from datetime import date

    second = services.appoint_manager(
        subject_admin,
        organisation,
        manager_data(
            first_name="Jānis", personal_code="120378-10234", email="janis@example.lv", term_start=date(2026, 1, 1)
        ),
    )
    first.refresh_from_db()
    assert first.ended_on == date(2025, 12, 31) and services.active_appointment(organisation) == second


def test_status_notification_is_frozen_and_delivered(
    subject_admin, organisation, settings, django_capture_on_commit_callbacks
):
    settings.KIBER_JOBS_BACKEND = "inline"
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.submit_status_notification(subject_admin, organisation, status_data())
    assert submission.version == 1 and submission.snapshot["subject"]["name"] == organisation.name
    canonical = services.canonical_json(submission.snapshot)
    assert hashlib.sha256(canonical.encode()).hexdigest() == submission.sha256
    submission.refresh_from_db()  # the PDF was rendered after the commit
    assert submission.pdf.read()[:4] == b"%PDF"
    assert list(submission.deliveries.values_list("recipient", flat=True)) == ["nkc"]
    assert AuditEntry.objects.filter(action="submit", object_id=str(submission.pk)).exists()
    with pytest.raises(PermissionError):
        submission.save()
    with pytest.raises(PermissionError):
        submission.delete()


def test_ci_owner_notification_goes_to_sab_too(make_organisation, make_user):
    ci = make_organisation(name="CI", is_ci_owner=True)
    submission = services.submit_status_notification(make_user(Role.SUBJECT_ADMIN, ci), ci, status_data())
    assert set(submission.deliveries.values_list("recipient", flat=True)) == {"nkc", "sab"}
    assert "22-TA-3183 p.9" in submission.snapshot["basis"]


def test_versions_and_differences(subject_admin, organisation):
    services.submit_status_notification(subject_admin, organisation, status_data())
    with pytest.raises(services.RegistryError) as exc:
        services.submit_status_notification(subject_admin, organisation, status_data())
    assert "notice_type" in exc.value.errors
    second = services.submit_status_notification(
        subject_admin, organisation, status_data(notice_type="change", ip_ranges=["10.0.0.0/8"])
    )
    first = Submission.objects.get(version=1)
    assert second.version == 2
    diff = services.diff_snapshots(first.snapshot, second.snapshot)
    assert [(str(k), o, n) for k, o, n in diff] == [("Publisko IP adrešu apgabali", "195.13.128.0/20", "10.0.0.0/8")]


def test_loss_needs_reason(subject_admin, organisation):
    services.submit_status_notification(subject_admin, organisation, status_data())
    with pytest.raises(services.RegistryError) as exc:
        services.submit_status_notification(subject_admin, organisation, status_data(notice_type="loss"))
    assert "loss_reason" in exc.value.errors
    assert Submission.objects.count() == 1 and Delivery.objects.count() == 1


def test_manager_notification(subject_admin, organisation):
    appointment = services.appoint_manager(subject_admin, organisation, manager_data())
    first = services.submit_manager_notification(subject_admin, organisation, appointment)
    second = services.submit_manager_notification(subject_admin, organisation, appointment)
    assert (first.notice_type, second.notice_type) == ("appointment", "manager_change")
    assert first.snapshot["manager"]["last_name"] == "Ozola" and first.snapshot["basis"] == [
        "22-TA-3183 p.11",
        "22-TA-3183 p.11.1",
    ]
