"""The outsourcing register (p. 85–105): eligibility by the rule, SAB opinion, conclusion, scoping."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kiber.governance.models import OutsourcingContract, SabOpinionRequest
from kiber.governance.services import outsourcing
from kiber.registry.choices import Role
from tests.governance.conftest import client_for, contract_data, pdf, provider_data

pytestmark = pytest.mark.django_db


def test_p85_shareholder_forbids_and_conclusion_is_refused_with_basis(bank, bank_admin, bank_system):
    shady = outsourcing.create_provider(
        bank_admin,
        bank,
        provider_data(
            name="SIA Ēnas",
            shareholders=[{"name": "Ivan", "kind": "natural_person", "citizenships": ["RU"]}],
        ),
    )
    contract = outsourcing.save_contract(bank_admin, bank, contract_data(shady, bank_system))
    assert contract.decision == "forbidden"
    assert "22-TA-3183 p.85.2" in contract.eligibility["basis"]
    with pytest.raises(ValidationError) as exc:
        outsourcing.conclude(bank_admin, contract, timezone.localdate())
    assert "85.2" in exc.value.messages[0]
    contract.refresh_from_db()
    assert contract.status == "draft"
    page = client_for(bank_admin).get(contract.get_absolute_url()).content.decode()
    assert "Aizliegts" in page and "85.1. punktā minētās valsts pilsonis" in page and "22-TA-3183 p.85.2" in page


def test_sab_opinion_then_conclusion(bank, bank_admin, bank_system, eligible_provider, sab_officer):
    contract = outsourcing.save_contract(bank_admin, bank, contract_data(eligible_provider, bank_system))
    assert contract.decision == "sab_opinion_required"
    assert contract.eligibility["sab_opinion_points"] == ["22-TA-3183 p.92"]
    with pytest.raises(ValidationError):
        outsourcing.conclude(bank_admin, contract, timezone.localdate())
    request = outsourcing.file_opinion_request(
        bank_admin, contract, "", pdf("veidlapa.pdf"), [(eligible_provider.name, pdf())]
    )
    sab = client_for(sab_officer)
    inbox = sab.get(reverse("governance:opinions") + "?status=filed").content.decode()
    assert contract.title in inbox
    response = sab.post(
        request.get_absolute_url(), {"status": "positive", "opinion_text": "Iebildumu nav", "version": request.version}
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.decision == "allowed"
    outsourcing.conclude(bank_admin, contract, timezone.localdate(), contract.version)
    contract.refresh_from_db()
    assert contract.status == "concluded"


def test_negative_opinion_forbids(bank, bank_admin, bank_system, eligible_provider, sab_officer):
    contract = outsourcing.save_contract(bank_admin, bank, contract_data(eligible_provider, bank_system))
    request = outsourcing.file_opinion_request(bank_admin, contract, "", pdf(), [("x", pdf())])
    outsourcing.decide_opinion(sab_officer, request, "negative", "Riski")
    contract.refresh_from_db()
    assert contract.decision == "forbidden"


def test_consent_of_wrong_type_is_refused(bank, bank_admin, bank_system, eligible_provider):
    contract = outsourcing.save_contract(bank_admin, bank, contract_data(eligible_provider, bank_system))
    client = client_for(bank_admin)
    response = client.post(
        reverse("governance:opinion_new", args=[contract.pk]),
        {
            "request_file": pdf("veidlapa.pdf"),
            "consent_file": SimpleUploadedFile("piekrisana.exe", b"MZ\x90\x00"),
        },
    )
    assert response.status_code == 200 and "Atļautie failu veidi" in response.content.decode()
    assert not SabOpinionRequest.objects.exists()


def test_conclusion_needs_manager_agreement(make_organisation, make_user):
    org = make_organisation(name="SIA Svarīgā", category="important")
    admin = make_user(Role.SUBJECT_ADMIN, org)
    from kiber.assets import services as asset_services

    system = asset_services.create_system(
        admin, org, {"name": "CRM"}, [{"name": "r", "tolerated_unplanned_downtime_pct": 5}]
    )
    provider = outsourcing.create_provider(admin, org, provider_data())
    contract = outsourcing.save_contract(admin, org, contract_data(provider, system, manager_agreed_on=None))
    assert contract.decision == "allowed" and contract.eligibility["regime"] == "general"
    with pytest.raises(ValidationError) as exc:
        outsourcing.conclude(admin, contract, timezone.localdate())
    assert "91" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        outsourcing.conclude(admin, contract, timezone.localdate() + timedelta(days=1))


def test_provider_change_reevaluates_contracts(bank, bank_admin, bank_system, eligible_provider):
    contract = outsourcing.save_contract(bank_admin, bank, contract_data(eligible_provider, bank_system))
    data = provider_data(beneficial_owners=[{"name": "X", "citizenships": ["BY"]}], version=eligible_provider.version)
    outsourcing.update_provider(bank_admin, eligible_provider, data)
    contract.refresh_from_db()
    assert contract.decision == "forbidden"


def test_outsourcing_hidden_from_nkc_for_ci_owner(
    bank, bank_admin, bank_system, eligible_provider, nkc, make_organisation, make_user
):
    contract = outsourcing.save_contract(bank_admin, bank, contract_data(eligible_provider, bank_system))
    client = client_for(nkc)
    assert client.get(contract.get_absolute_url()).status_code == 404
    assert contract.title not in client.get(reverse("governance:contracts")).content.decode()
    other = make_organisation(name="SIA Parasta", category="essential")
    other_admin = make_user(Role.SUBJECT_ADMIN, other)
    from kiber.assets import services as asset_services

    system = asset_services.create_system(
        other_admin, other, {"name": "ERP"}, [{"name": "r", "tolerated_unplanned_downtime_pct": 5}]
    )
    provider = outsourcing.create_provider(other_admin, other, provider_data())
    visible = outsourcing.save_contract(other_admin, other, contract_data(provider, system, title="ERP atbalsts"))
    assert client.get(visible.get_absolute_url()).status_code == 200


def test_contract_form_through_the_page(bank, bank_admin, bank_system, eligible_provider):
    client = client_for(bank_admin)
    response = client.post(
        reverse("governance:contract_new"),
        {
            "title": "Jauns",
            "description": "Atbalsts",
            "contract_subject": "technical_resource",
            "provider": eligible_provider.pk,
            "systems": [bank_system.pk],
            "supervising_person": "Līga",
            "personnel": "Pēteris Kalns; LV; izstrādātājs",
        },
    )
    assert response.status_code == 200 and "ražotāju" in response.content.decode()
    response = client.post(
        reverse("governance:contract_new"),
        {
            "title": "Jauns",
            "description": "Atbalsts",
            "contract_subject": "service",
            "provider": eligible_provider.pk,
            "systems": [bank_system.pk],
            "supervising_person": "Līga",
            "personnel": "Pēteris Kalns; XX",
        },
    )
    assert response.status_code == 200 and "XX" in response.content.decode()
    assert not OutsourcingContract.objects.exists()


def test_provider_change_after_conclusion_opens_a_report_due_in_10_working_days(
    bank, bank_admin, bank_system, eligible_provider, sab_officer
):
    from kiber.governance.models import ProviderChangeReport
    from kiber.rules.working_days import add_working_days

    contract = outsourcing.save_contract(bank_admin, bank, contract_data(eligible_provider, bank_system))
    request = outsourcing.file_opinion_request(bank_admin, contract, "", pdf(), [("x", pdf())])
    outsourcing.decide_opinion(sab_officer, request, "positive", "")
    contract.refresh_from_db()
    outsourcing.conclude(bank_admin, contract, timezone.localdate())
    eligible_provider.refresh_from_db()
    data = provider_data(
        shareholders=[{"name": "X", "kind": "natural_person", "citizenships": ["BY"]}],
        version=eligible_provider.version,
    )
    outsourcing.update_provider(bank_admin, eligible_provider, data)
    report = ProviderChangeReport.objects.get(contract=contract)
    assert report.basis == "22-TA-3183 p.99"
    assert report.report_due == add_working_days(timezone.localdate(), 10)
    client = client_for(bank_admin)
    page = client.get(contract.get_absolute_url()).content.decode()
    assert "22-TA-3183 p.99" in page
    response = client.post(
        reverse("governance:change_reported", args=[report.pk]), {"concluded_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.reported_on == timezone.localdate()
