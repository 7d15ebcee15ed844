"""Issue 16: each point of 22-TA-3183 the compliance app got wrong, with the point's Latvian text quoted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kiber.compliance import services
from kiber.compliance.exports import pdf_context
from kiber.incidents import services as incident_services
from tests.compliance.test_services import answer_everything

pytestmark = pytest.mark.django_db


def test_p28_2_ci_owner_self_assessment_carries_the_catalogue_and_the_incident_log(
    catalogue, make_organisation, make_user
):
    """p. 28.2: IKT kritiskās infrastruktūras īpašnieks "šo noteikumu 23.2. un 23.4. apakšpunktā noteikto
    kiberdrošības pārvaldības dokumentu kopuma daļas iesniedz Satversmes aizsardzības birojam kopā ar
    pašvērtējuma ziņojumu" — 23.2: IKT resursu un informācijas sistēmu katalogs; 23.4: kiberincidentu
    žurnāls."""
    from kiber.registry.choices import Role
    from tests.compliance.conftest import class_a_system

    ci = make_organisation(name="AS KI", is_ci_owner=True)
    admin = make_user(Role.SUBJECT_ADMIN, ci)
    system = class_a_system(ci)
    incident = incident_services.create_incident(
        admin,
        ci,
        {
            "title": "Ielaušanās mēģinājums",
            "detected_at": timezone.now() - timedelta(hours=2),
            "type_codes": ["06"],
            "description": "Bloķēts.",
        },
    )
    assessment = services.start_assessment(admin, ci)
    answer_everything(admin, assessment)
    version = services.submit_assessment(admin, assessment)
    snapshot = version.snapshot
    assert set(version.deliveries.values_list("recipient", flat=True)) == {"nkc", "sab"}
    assert "22-TA-3183 p.28.2" in snapshot["assessment"]["basis"]
    assert [s["name"] for s in snapshot["systems"]] == [system.name]  # the catalogue (p. 23.2)
    [entry] = snapshot["incident_log"]  # the incident log (p. 23.4) with the fields of p. 49
    assert entry["reference"] == incident.reference and entry["type_codes"] == ["06"]
    assert entry["description"] == "Bloķēts." and entry["significance"] == "not_assessed"
    rows = pdf_context(snapshot, version.sha256)["incident_log"]
    assert rows[0]["significance_label"] == "Nav novērtēts"

    # A subject that is not a CI owner sends NKC no incident log.
    bank = make_organisation(name="AS Banka")
    bank_admin = make_user(Role.SUBJECT_ADMIN, bank)
    other = services.start_assessment(bank_admin, bank)
    answer_everything(bank_admin, other)
    assert "incident_log" not in services.submit_assessment(bank_admin, other).snapshot


def test_p151_2_nkc_sets_another_self_assessment_frequency(client, catalogue, make_organisation, make_user):
    """p. 151.2: "reizi trijos gados – subjekts, kura īpašumā un valdījumā nav nevienas A klases
    informācijas sistēmas, ja vien Nacionālais kiberdrošības centrs nav noteicis citādāk." """
    from django.urls import reverse

    from kiber.audit.models import AuditEntry
    from kiber.compliance.models import Schedule
    from kiber.registry.choices import Role
    from tests.support import sign_in

    organisation = make_organisation(name="AS Bez A klases", category="important", size="medium")
    admin = make_user(Role.SUBJECT_ADMIN, organisation)
    draft = services.start_assessment(admin, organisation)
    assert Schedule.objects.get(organisation=organisation).frequency_years == 3
    nkc = make_user(Role.NKC_SUPERVISOR)
    sign_in(client, nkc)
    url = reverse("compliance:frequency", args=[organisation.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"years": "2", "reason": ""})
    assert refused.status_code == 200 and Schedule.objects.get(organisation=organisation).frequency_years == 3
    assert client.post(url, {"years": "2", "reason": "Augsts riska līmenis nozarē"}).status_code == 302
    schedule = Schedule.objects.get(organisation=organisation)
    assert schedule.frequency_years == 2 and "22-TA-3183 p.151.2" in schedule.basis
    assert AuditEntry.objects.filter(action="set_frequency").exists()
    draft.refresh_from_db()
    assert draft.frequency_years == 2  # the open campaign follows the schedule
    stale = client.post(url, {"years": "1", "reason": "Vēlreiz", "version": "99"})
    assert stale.status_code == 200 and Schedule.objects.get(organisation=organisation).frequency_years == 2
    with pytest.raises(PermissionError):
        services.set_frequency(admin, organisation, {"years": 1, "reason": "pats"})
