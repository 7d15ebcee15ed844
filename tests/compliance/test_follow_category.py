"""A change of the subject's category (rule result or NKC override) re-computes its systems' classes and the
applicability of its open self-assessment, in one transaction, audited; submitted versions never change."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kiber.audit.models import AuditEntry
from kiber.compliance import services
from kiber.compliance.models import AssessmentStatus, AssessmentVersion, Schedule
from kiber.registry import services as registry_services
from tests.compliance.conftest import class_a_system
from tests.compliance.test_services import answer_everything

MEDIUM_BANK = {"employees": 100, "annual_turnover_eur": Decimal("20000000"), "balance_sheet_eur": Decimal("20000000")}


def refreshes(assessment):
    return AuditEntry.objects.filter(
        action="refresh_applicability", object_type="compliance.assessment", object_id=str(assessment.pk)
    )


@pytest.mark.django_db
def test_essential_to_important_lowers_a_to_b_and_refreshes_the_open_campaign(
    catalogue, organisation, subject_admin, nkc_supervisor
):
    system = class_a_system(organisation)
    assert system.security_class == "A"
    assessment = services.start_assessment(subject_admin, organisation)
    answer_everything(subject_admin, assessment)
    v1 = services.submit_assessment(subject_admin, assessment)
    services.review_version(nkc_supervisor, v1, "revision_required", "Precizējiet.")
    frozen = (v1.sha256, v1.snapshot, v1.pdf.name)
    class_a_only = {f"22-TA-3183:{p}#{system.pk}" for p in ("53.1", "58.1", "71.1", "73.2")}
    class_b_only = {f"22-TA-3183:{p}#{system.pk}" for p in ("53.2", "58.2", "71.2")}
    assert class_a_only <= services.applicable_keys(organisation)

    organisation = registry_services.update_organisation(subject_admin, organisation, MEDIUM_BANK)

    assert organisation.effective_category == "important"
    system.refresh_from_db()
    assert system.security_class == "B"
    assert "class_a_not_available_to_important_subject" in system.class_warnings
    assert {"kind": "lowered", "subject_category": "important", "basis": "22-TA-3183 Annex 4"} in system.class_reasons
    keys = services.applicable_keys(organisation)
    assert not class_a_only & keys and class_b_only <= keys
    assert {"22-TA-3183:41.2"} <= keys and "22-TA-3183:41.1" not in keys
    # The open campaign (revision required) now asks for the class B items, unanswered, before resubmitting.
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.REVISION
    rows = {row.key: row for row in services.working_items(assessment)}
    assert class_b_only <= set(rows) and not any(rows[key].answered for key in class_b_only)
    assert not class_a_only & set(rows)
    entry = refreshes(assessment).get()
    assert class_a_only <= set(entry.changes["lost"]) and class_b_only <= set(entry.changes["gained"])
    assert entry.actor == subject_admin
    reclassified = AuditEntry.objects.get(action="reclassify", object_id=str(organisation.ict_catalogue.pk))
    assert reclassified.changes == {str(system.pk): ["A", "B"]}
    # The submitted version is frozen: same snapshot, digest and PDF, and no new version.
    v1 = AssessmentVersion.objects.get(pk=v1.pk)
    assert (v1.sha256, v1.snapshot, v1.pdf.name) == frozen
    assert v1.snapshot["organisation"]["category"] == "essential"
    assert any(item["key"] in class_a_only for item in v1.snapshot["items"])
    assert AssessmentVersion.objects.filter(assessment=assessment).count() == 1


@pytest.mark.django_db
def test_override_to_essential_restores_class_a_and_its_requirements(
    catalogue, make_organisation, make_user, nkc_supervisor
):
    organisation = make_organisation(name="AS Vidēja Banka", category="important", size="medium", **MEDIUM_BANK)
    admin = make_user("subject_admin", organisation)
    system = class_a_system(organisation)
    assert system.security_class == "B" and "class_a_not_available_to_important_subject" in system.class_warnings
    assessment = services.start_assessment(admin, organisation)
    assert f"22-TA-3183:53.1#{system.pk}" not in services.applicable_keys(organisation)

    registry_services.override_category(nkc_supervisor, organisation, "essential", "Nozīmīgs tirgus dalībnieks.")

    system.refresh_from_db()
    assert system.security_class == "A" and system.class_warnings == []
    entry = refreshes(assessment).get()
    assert f"22-TA-3183:53.1#{system.pk}" in entry.changes["gained"]
    assert f"22-TA-3183:53.2#{system.pk}" in entry.changes["lost"]
    assert entry.actor == nkc_supervisor and entry.changes["category"] == "essential"
    # The schedule follows: a class A system makes the report yearly (p. 151.1).
    assert Schedule.objects.get(organisation=organisation).frequency_years == 1
    assessment.refresh_from_db()
    assert assessment.frequency_years == 1 and "22-TA-3183 p.151.1" in assessment.due_basis


@pytest.mark.django_db
def test_no_category_change_changes_nothing_else(catalogue, organisation, subject_admin):
    class_a_system(organisation)
    assessment = services.start_assessment(subject_admin, organisation)
    registry_services.update_organisation(subject_admin, organisation, {"phone": "+37167000001"})
    assert not refreshes(assessment).exists()
    assert not AuditEntry.objects.filter(action="reclassify").exists()


@pytest.mark.django_db
def test_a_failure_downstream_rolls_the_category_change_back(
    catalogue, organisation, subject_admin, nkc_supervisor, monkeypatch
):
    system = class_a_system(organisation)
    services.start_assessment(subject_admin, organisation)

    def fail(*args, **kwargs):
        raise RuntimeError("compliance refresh failed")

    monkeypatch.setattr(services, "sync_campaigns", fail)
    with pytest.raises(RuntimeError):
        registry_services.override_category(nkc_supervisor, organisation, "important", "Pārbaude.")
    organisation.refresh_from_db()
    system.refresh_from_db()
    assert organisation.category_override == "" and system.security_class == "A"
    assert not AuditEntry.objects.filter(action__in=["override_category", "reclassify"]).exists()
