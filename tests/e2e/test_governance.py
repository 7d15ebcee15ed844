"""Acceptance (issue 13) in Chromium: the CI bank's outsourcing contract with a p. 85 shareholder is refused
with its basis; with an eligible provider it asks SAB, SAB gives a positive opinion and the contract is
concluded; the bank approves a new policy version, sends it to SAB and the one-month deadline shows as met."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kiber.assets import services as asset_services
from kiber.governance.services import documents, outsourcing
from kiber.registry.choices import Role
from tests.governance.conftest import PDF, provider_data
from tests.support import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def _pdf(name: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


def _fill_contract(page, title: str, provider: str) -> None:
    page.get_by_label("Līguma nosaukums").fill(title)
    page.get_by_label("Pakalpojumi vai tehniskie resursi").fill("Internetbankas uzturēšana")
    page.locator("#id_contract_subject").select_option("service")
    page.locator("#id_provider").select_option(label=provider)
    page.get_by_label("Internetbanka (A, KI)").check()
    page.get_by_label("Iesaistītās fiziskās personas (90. p.)").fill("Pēteris Kalns; LV; izstrādātājs")
    agreed = (timezone.localdate() - timedelta(days=2)).isoformat()
    page.get_by_label("Saskaņots ar kiberdrošības pārvaldnieku (91. p.)").fill(agreed)
    page.get_by_label("Atbildīgais par līguma izpildes uzraudzību (91. p.)").fill("Līga Ozola")
    page.get_by_role("button", name="Saglabāt").click()


def test_ci_bank_outsourcing_sab_opinion_and_policy_delivery(
    page, chromium_browser, live_server, make_organisation, make_user
):
    bank = make_organisation(name="AS Daugavas Banka", is_ci_owner=True)
    admin = make_user(Role.SUBJECT_ADMIN, bank)
    sab = make_user(Role.SAB_OFFICER)
    asset_services.create_system(
        admin,
        bank,
        {"name": "Internetbanka", "in_ci_set": True},
        [{"name": "Klientu dati", "tolerated_unplanned_downtime_pct": 5}],
    )
    outsourcing.create_provider(admin, bank, provider_data(name="SIA Droši Mākoņi"))
    policy = documents.create_document(
        admin,
        bank,
        {
            "part": "policy",
            "title": "Kiberdrošības politika",
            "edition": "1.0",
            "approved_by": "Valde",
            "approved_on": timezone.localdate() - timedelta(days=400),
            "copy_location": "Seifs",
            "content_points": [],
        },
    )

    log_in(page, admin)
    page.locator("header nav").get_by_role("link", name="Pārvaldība").click()
    page.locator("nav.subnav").get_by_role("link", name="Sniedzēji").click()
    page.get_by_role("link", name="Reģistrēt sniedzēju").click()
    page.get_by_label("Nosaukums vai vārds, uzvārds").fill("SIA Austrumu Serviss")
    page.get_by_label("Reģistrācijas valsts (ISO kods)").fill("LV")
    page.get_by_label("Valdes un padomes locekļi").fill("Anna Bērziņa; LV")
    page.get_by_label("Dalībnieki — fiziskas personas").fill("Igors Petrovs; RU")
    page.get_by_role("button", name="Saglabāt").click()
    expect(page.locator("h1")).to_have_text("SIA Austrumu Serviss")

    page.goto("/governance/contracts/new/")
    _fill_contract(page, "Atbalsts ar aizliegtu sniedzēju", "SIA Austrumu Serviss")
    eligibility = page.locator("section.eligibility")
    expect(eligibility).to_contain_text("Aizliegts")
    expect(eligibility).to_contain_text("22-TA-3183 p.85.2")
    page.get_by_role("button", name="Atzīmēt kā noslēgtu").click()
    expect(page.locator(".msg-error")).to_contain_text("Līgumu slēgt aizliegts (22-TA-3183 p.85")

    page.goto("/governance/contracts/new/")
    _fill_contract(page, "Internetbankas uzturēšana", "SIA Droši Mākoņi")
    expect(page.locator("section.eligibility")).to_contain_text("Nepieciešams SAB atzinums")
    contract_url = page.url
    page.get_by_role("link", name="Pieprasīt SAB atzinumu").click()
    page.get_by_label("Parakstīta atzinuma pieprasījuma veidlapa (7. pielikums)").set_input_files(_pdf("7.pdf"))
    page.get_by_label("Ārpakalpojuma sniedzēja piekrišana pārbaudei (95.2. p.)").set_input_files(_pdf("p.pdf"))
    page.get_by_role("button", name="Saglabāt").click()
    expect(page.locator(".msg-success")).to_contain_text("Atzinuma pieprasījums iesniegts")

    sab_context = chromium_browser.new_context(base_url=live_server.url, locale="lv-LV")
    sab_page = sab_context.new_page()
    log_in(sab_page, sab)
    sab_page.goto("/governance/opinions/?status=filed")
    sab_page.get_by_role("row", name="Internetbankas uzturēšana").get_by_role("link").click()
    sab_page.get_by_label("Pozitīvs atzinums (92. p.)").check()
    sab_page.get_by_role("button", name="Reģistrēt atzinumu").click()
    expect(sab_page.locator(".msg-success")).to_contain_text("Atzinums reģistrēts")

    page.goto(contract_url)
    expect(page.locator("section.eligibility")).to_contain_text("Atļauts")
    page.get_by_label("Noslēgšanas datums").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Atzīmēt kā noslēgtu").click()
    expect(page.locator(".msg-success")).to_contain_text("Līgums atzīmēts kā noslēgts")

    page.goto(policy.get_absolute_url())
    page.get_by_role("link", name="Apstiprināt jaunu versiju").click()
    page.get_by_label("Dokumenta versija").fill("2.0")
    page.get_by_label("Fails").set_input_files(_pdf("politika-v2.pdf"))
    page.get_by_role("button", name="Saglabāt").click()
    expect(page.locator("h1")).to_contain_text("v2.0")
    page.get_by_role("button", name="Iesniegt SAB").click()
    expect(page.locator(".msg-success")).to_contain_text("Dokuments iesniegts")

    sab_page.goto("/governance/documents/?status=met")
    sab_page.get_by_role("link", name="Kiberdrošības politika").click()
    expect(sab_page.locator("body")).to_contain_text("Iesniegts SAB laikā")
    sab_context.close()
