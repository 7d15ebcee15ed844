"""Acceptance (issue 4): a bank adds a system with 1.2 million data subjects, sees class A, sees the MFA, log
and backup requirements appear in its self-assessment for that system, answers them with evidence, submits
to NKC and SAB, and the NKC supervisor reviews it. Data mirrors the demo (a bank with a catalogue and an
assessment in progress)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kiber.assets import services as asset_services
from kiber.assets.models import InformationSystem
from kiber.compliance import services
from kiber.compliance.loader import load_catalogue
from kiber.compliance.models import AssessmentStatus, Requirement
from kiber.registry.choices import Role
from tests.compliance.test_services import answer_everything
from tests.support import log_in

pytestmark = pytest.mark.django_db(transaction=True)

ITEMS = {"53.1": "3.7", "58.1": "3.9", "71.1": "3.10"}  # MFA, logs, backups of a class A system


@pytest.fixture
def bank(make_organisation, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_catalogue()
    bank = make_organisation(name="AS Daugavas Banka", sector="banking", category="essential", is_ci_owner=True)
    admin = make_user(Role.SUBJECT_ADMIN, bank, first_name="Ilze", last_name="Ozola")
    asset_services.create_system(admin, bank, {"name": "Datu centrs"},
                                 [{"name": "Virtualizācija", "tolerated_unplanned_downtime_pct": 50}])
    assessment = services.start_assessment(admin, bank)
    answer_everything(admin, assessment)
    return bank, admin, assessment


def _article(page, point: str, system: InformationSystem):
    requirement = Requirement.objects.get(point=point)
    return page.locator(f"#item-{requirement.pk}-{system.pk}")


def test_bank_answers_class_a_requirements_and_nkc_reviews(page, bank, make_user):
    organisation, admin, assessment = bank
    log_in(page, admin)

    # Before: no class A system, so no MFA item in section 3.7.
    page.goto(f"/compliance/{assessment.pk}/?section=3.7")
    expect(page.locator("h1")).to_contain_text("Pašnovērtējums")
    expect(page.locator('[data-point="53.1"]')).to_have_count(0)

    # The ICT catalogue (assets app): add a system with 1.2 million data subjects; it is class A with a reason.
    page.locator("header nav").get_by_role("link", name="IKT resursi").click()
    page.get_by_role("link", name="Pievienot sistēmu").click()
    page.get_by_label("Nosaukums").fill("Kredītkaršu sistēma")
    page.locator("#id_resource-name").fill("Kartu turētāju dati")
    page.get_by_label("Datu subjektu skaits (personas dati)").fill("1200000")
    page.get_by_label("Pieļaujamais neplānotais pārtraukums, % mēnesī").fill("1")
    page.get_by_role("button", name="Saglabāt un noteikt klasi").click()
    expect(page.locator("#class .big-class")).to_contain_text("A (paaugstinātas drošības)")
    expect(page.get_by_test_id("class-reasons")).to_contain_text("Kartu turētāju dati")
    system = InformationSystem.objects.get(organisation=organisation, name="Kredītkaršu sistēma")

    # The self-assessment now has the MFA, log and backup items of that system; answer them with evidence.
    page.locator("header nav").get_by_role("link", name="Pašnovērtējums").click()
    expect(page.locator("h1")).to_contain_text("AS Daugavas Banka")
    page.get_by_role("link", name="Aizpildīt").click()
    for point, section in ITEMS.items():
        page.goto(f"/compliance/{assessment.pk}/?section={section}&system={system.pk}")
        article = _article(page, point, system)
        expect(article).to_contain_text("Kredītkaršu sistēma · klase A")
        expect(article).to_contain_text("Nav atbildēts")
        article.get_by_label("Ieviesta", exact=True).check()
        article.get_by_label("Komentārs").fill(f"Ieviests visiem lietotājiem ({point}).")
        article.locator('input[type="file"]').set_input_files(
            {"name": f"pieradijums-{point}.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 pieradijums"}
        )
        article.get_by_role("button", name="Saglabāt atbildi").click()
        expect(page.locator(".msg-success")).to_contain_text(f"{point}. punkts")
        article = _article(page, point, system)
        expect(article).to_contain_text("Ieviesta")
        expect(article.get_by_role("link", name=f"pieradijums-{point}.pdf")).to_be_visible()

    # A bad answer is refused with a clear error and nothing changes.
    page.goto(f"/compliance/{assessment.pk}/?section=3.7&system={system.pk}")
    article = _article(page, "52.1", system)
    article.get_by_label("Nav attiecināma", exact=True).check()
    article.get_by_role("button", name="Saglabāt atbildi").click()
    expect(page.locator(".error").first).to_contain_text("Norādiet, kāpēc prasība nav attiecināma")

    # The rest of the system's items are answered by colleagues (as in the demo), then the admin submits.
    answer_everything(admin, assessment)
    page.goto(f"/compliance/{assessment.pk}/")
    page.locator("#submit-assessment").click()
    expect(page.locator(".msg-success")).to_contain_text("Versija 1 iesniegta")
    expect(page.locator(".msg-success")).to_contain_text("Satversmes aizsardzības birojs")
    expect(page.locator(".restricted")).to_be_visible()
    page.get_by_role("button", name="Iziet").click()

    # The NKC supervisor reviews it.
    supervisor = make_user(Role.NKC_SUPERVISOR, first_name="Anna", last_name="Kalniņa")
    log_in(page, supervisor)
    page.locator("header nav").get_by_role("link", name="Pašnovērtējums").click()
    expect(page.locator("h1")).to_contain_text("uzraudzība")
    page.get_by_role("link", name="AS Daugavas Banka").click()
    expect(page.locator("h1")).to_contain_text("v1")
    expect(page.get_by_role("link", name="pieradijums-53.1.pdf")).to_be_visible()
    page.get_by_label("Pieņemts", exact=True).check()
    page.locator("#id_comment").fill("Pašnovērtējums pieņemts.")
    page.locator("#save-review").click()
    expect(page.locator(".messages .msg-success")).to_contain_text("Izvērtējums saglabāts")
    expect(page.locator("h1")).to_contain_text("Pieņemts")
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.ACCEPTED
