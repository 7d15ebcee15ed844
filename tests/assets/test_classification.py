"""Classification through the services: rule results, reasons, warnings, propagation, cycles."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kiber.assets import services
from kiber.assets.models import InformationSystem, OrganisationCatalogue
from kiber.assets.reasons import reasons_for, warning_texts
from kiber.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

LOW = {"name": "Iekšējie dokumenti", "tolerated_unplanned_downtime_pct": 5}


def resource(**indicators):
    return {**LOW, **indicators}


def test_many_data_subjects_give_class_a_with_reason(organisation, subject_admin):
    system = services.create_system(
        subject_admin,
        organisation,
        {"name": "Internetbanka"},
        [resource(name="Klientu dati", personal_data_subjects=1_200_000)],
    )
    assert (system.confidentiality, system.integrity, system.availability) == ("A", "C", "C")
    assert system.security_class == "A"
    assert "22-TA-3183 p.34.1" in system.class_basis
    decisive = [r for r in reasons_for(system) if r["decisive"]]
    assert decisive[0]["indicator"] == "personal_data_subjects"
    assert "1" in decisive[0]["text"] and "Klientu dati" in decisive[0]["text"]
    # Obligations of a class A system (p. 53.1, 58, 75, 132.1, 82.2).
    assert system.obligations["mfa_required_for"] == ["administrator", "standard"]
    assert system.obligations["log_retention_months"] == 18
    assert system.obligations["encrypt_at_rest"] is True
    assert AuditEntry.objects.filter(object_type="assets.informationsystem", action="create").exists()
    catalogue = OrganisationCatalogue.objects.get(organisation=organisation)
    assert catalogue.updated_at is not None


def test_important_subject_gets_b_with_warning(make_organisation, subject_admin):
    important = make_organisation(name="SIA Svarīgs", category="important")
    system = services.create_system(
        subject_admin, important, {"name": "CRM"}, [resource(personal_data_subjects=2_000_000)]
    )
    assert system.security_class == "B"
    assert system.class_warnings == ["class_a_not_available_to_important_subject"]
    assert "A klase var būt tikai" in warning_texts(system.class_warnings)[0]
    assert any(r["kind"] == "lowered" for r in system.class_reasons)


def test_low_indicators_give_c(organisation, subject_admin):
    system = services.create_system(subject_admin, organisation, {"name": "Intranets"}, [resource()])
    assert system.security_class == "C"
    assert system.obligations["mfa_required_for"] == []


def test_system_without_resources_is_unclassified(organisation, subject_admin):
    system = services.create_system(subject_admin, organisation, {"name": "Tukša"})
    assert system.security_class == ""
    assert system.class_reasons == [{"kind": "no_resources"}]


def test_availability_propagates_transitively(organisation, subject_admin):
    core = services.create_system(
        subject_admin, organisation, {"name": "Maksājumi"}, [resource(tolerated_unplanned_downtime_pct=0.05)]
    )
    middle = services.create_system(subject_admin, organisation, {"name": "Integrācijas slānis"}, [resource()])
    base = services.create_system(subject_admin, organisation, {"name": "Datu centrs"}, [resource()])
    services.add_dependency(subject_admin, middle, base)
    services.add_dependency(subject_admin, core, middle)
    middle.refresh_from_db()
    base.refresh_from_db()
    assert core.availability == "A"
    assert middle.availability == "A" and middle.security_class == "A"
    assert base.availability == "A" and base.security_class == "A"
    assert any(r["kind"] == "dependency" and r["value"] == ["Integrācijas slānis"] for r in base.class_reasons)

    # Lowering the top system's availability re-computes the whole chain.
    top_resource = core.resources.get()
    services.update_resource(subject_admin, top_resource, {"tolerated_unplanned_downtime_pct": 0.5})
    base.refresh_from_db()
    assert base.availability == "B"

    # Removing the dependency drops the propagated class.
    services.remove_dependency(subject_admin, core.dependencies.get())
    base.refresh_from_db()
    assert base.availability == "C" and base.security_class == "C"


def test_deleting_a_dependent_reclassifies_its_provider(organisation, subject_admin):
    top = services.create_system(
        subject_admin, organisation, {"name": "A"}, [resource(unavailability_stops_state_functions_or_ci=True)]
    )
    provider = services.create_system(subject_admin, organisation, {"name": "B"}, [resource()])
    services.add_dependency(subject_admin, top, provider)
    provider.refresh_from_db()
    assert provider.availability == "A"
    services.delete_system(subject_admin, top)
    provider.refresh_from_db()
    assert provider.availability == "C"


def test_cycle_is_rejected(organisation, subject_admin):
    a = services.create_system(subject_admin, organisation, {"name": "A"}, [resource()])
    b = services.create_system(subject_admin, organisation, {"name": "B"}, [resource()])
    c = services.create_system(subject_admin, organisation, {"name": "C"}, [resource()])
    services.add_dependency(subject_admin, a, b)
    services.add_dependency(subject_admin, b, c)
    with pytest.raises(ValidationError) as exc:
        services.add_dependency(subject_admin, c, a)
    message = exc.value.message_dict["provider"][0]
    assert "C → A → B → C" in message
    with pytest.raises(ValidationError):
        services.add_dependency(subject_admin, a, a)


def test_ci_set_and_whole_infrastructure(organisation, subject_admin):
    system = services.create_system(subject_admin, organisation, {"name": "SCADA", "in_ci_set": True}, [resource()])
    assert system.security_class == "A" and "22-TA-3183 p.35" in system.class_basis
    other = services.create_system(subject_admin, organisation, {"name": "Grāmatvedība"}, [resource()])
    assert other.security_class == "C"
    services.set_whole_infrastructure_ci(subject_admin, organisation, True)
    other.refresh_from_db()
    assert other.security_class == "A"
    assert "whole_infrastructure_ci_agree_with_sab" in other.class_warnings


def test_duplicate_name_and_bad_values_are_field_errors(organisation, subject_admin):
    services.create_system(subject_admin, organisation, {"name": "X"}, [resource()])
    with pytest.raises(ValidationError) as exc:
        services.create_system(subject_admin, organisation, {"name": "X"})
    assert "name" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.create_system(
            subject_admin, organisation, {"name": "Y"}, [resource(tolerated_unplanned_downtime_pct=None)]
        )
    assert "resources.0.tolerated_unplanned_downtime_pct" in exc.value.message_dict
    assert not InformationSystem.objects.filter(name="Y").exists()


def test_stale_catalogue_uses_review_intervals(organisation, subject_admin):
    from datetime import date

    catalogue = services.report_change(subject_admin, organisation, date(2026, 1, 31), "Jauns serveris")
    assert catalogue.update_due == date(2026, 2, 28)
    assert catalogue.is_stale(as_of=date(2026, 3, 1))
    assert not catalogue.is_stale(as_of=date(2026, 2, 28))
    catalogue = services.confirm_up_to_date(subject_admin, organisation)
    assert not catalogue.is_stale(as_of=date(2026, 3, 1))
