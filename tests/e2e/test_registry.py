"""E2E: NKC registers a subject; its administrator appoints a manager and submits the status
notification; NKC sees the notification in its inbox and on the subject's page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kiber.registry.choices import Role
from kiber.registry.models import User
from tests.support import log_in


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _log_out(page) -> None:
    with page.expect_navigation():
        page.click("header form button.link")


@pytest.mark.django_db(transaction=True)
def test_register_appoint_notify_and_supervise(page, make_user):
    nkc = make_user(Role.NKC_SUPERVISOR, username="nkc.e2e")
    log_in(page, nkc)
    page.goto("/registry/")
    page.click("text=Reģistrēt subjektu")
    page.fill("#id_registration_number", "4000312345")  # 10 digits: a field error first
    page.fill("#id_name", "SIA Ziemeļu Slimnīca")
    page.fill("#id_legal_address", "Rīga, Ziemeļu iela 1")
    page.fill("#id_email", "info@ziemelu.lv")
    page.fill("#id_phone", "+371 67111222")
    page.select_option("#id_sector", "health")
    page.fill("#id_employees", "300")
    page.fill("#id_annual_turnover_eur", "30000000")
    page.fill("#id_balance_sheet_eur", "25000000")
    page.fill("#id_admin_first_name", "Līga")
    page.fill("#id_admin_last_name", "Kalna")
    page.fill("#id_admin_email", "liga@ziemelu.lv")
    page.fill("#id_admin_username", "ziemelu.admin")
    page.click("button.primary")
    expect(page.locator(".has-error .error")).to_contain_text("11 cipariem")
    page.fill("#id_registration_number", "40003123456")
    page.click("button.primary")
    expect(page.locator("h1")).to_have_text("Subjekts reģistrēts")
    password = page.locator("#new-password").inner_text()
    _log_out(page)

    admin = User.objects.get(username="ziemelu.admin")
    log_in(page, admin, password=password)
    # NKC's one-time password must be changed before anything else (issue 10, finding 10).
    page.goto("/registry/own/")
    expect(page.locator("h1")).to_have_text("Paroles maiņa")
    page.fill("#id_old_password", password)
    page.fill("#id_new_password1", "Ziemelu-Slimnica-Parole-2027")
    page.fill("#id_new_password2", "Ziemelu-Slimnica-Parole-2027")
    page.click("button.primary")
    page.goto("/registry/own/")
    expect(page.locator("h1")).to_have_text("SIA Ziemeļu Slimnīca")
    page.click("text=Noteikt pārvaldnieku")
    page.fill("#id_first_name", "Marta")
    page.fill("#id_last_name", "Liepa")
    page.fill("#id_personal_code", "110292-10987")
    page.fill("#id_email", "marta.liepa@ziemelu.lv")
    page.fill("#id_phone", "+371 29111222")
    page.fill("#id_term_start", "2025-09-01")
    page.fill("#id_experience_months", "30")
    page.fill("#id_certificates", "CISM, 2028-06-30")
    page.select_option("#id_under_guardianship", "no")
    page.select_option("#id_intentional_offence_conviction", "no")
    page.click("button.primary")
    expect(page.locator(".msg-success")).to_contain_text("pārvaldnieks noteikts")
    expect(page.locator("text=Marta Liepa")).to_be_visible()
    page.click("text=Iesniegt paziņojumu par pārvaldnieku")
    expect(page.locator("h1")).to_contain_text("Paziņojums par kiberdrošības pārvaldnieku")

    page.goto("/registry/own/")
    page.click("text=Iesniegt statusa paziņojumu")
    page.fill("#id_contact_name", "Līga Kalna")
    page.fill("#id_services", "Stacionārā veselības aprūpe")
    page.fill("#id_ip_ranges", "195.13.200.0/24")
    page.click("button.primary")
    expect(page.locator(".msg-success")).to_contain_text("Statusa paziņojums iesniegts")
    expect(page.locator("h1")).to_contain_text("Statusa paziņojums")
    _log_out(page)

    # Another NKC supervisor reads the inbox (a TOTP code cannot be used twice in one time step).
    log_in(page, make_user(Role.NKC_SUPERVISOR, username="nkc.e2e.2"))
    page.goto("/registry/inbox/")
    row = page.locator("tr", has_text="SIA Ziemeļu Slimnīca").filter(has_text="Statusa paziņojums")
    expect(row).to_be_visible()
    row.locator("a", has_text="Statusa paziņojums").click()
    expect(page.locator("dd.hash")).to_have_text(admin.organisation.submissions.get(kind="status").sha256)
    page.click("text=Subjekts")
    expect(page.locator("h1")).to_have_text("SIA Ziemeļu Slimnīca")
    history = page.locator("section", has_text="Vēsture")
    expect(history).to_contain_text("Iesniegts")  # the audit action, in Latvian
    expect(history).to_contain_text("Saņēmēji: Nacionālais kiberdrošības centrs")
