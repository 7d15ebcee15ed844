"""Acceptance: a bank admin opens the catalogue, adds a system with 1.2 million data subjects and
sees class A with its reason; an important subject sees the lowered class with the warning."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kiber.assets import services
from kiber.registry.choices import Role
from tests.support import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_bank_admin_adds_system_and_sees_class_a_with_reason(page, make_organisation, make_user):
    bank = make_organisation(name="AS Daugavas Banka", sector="banking", category="essential")
    admin = make_user(Role.SUBJECT_ADMIN, bank)
    services.create_system(admin, bank, {"name": "Datu centrs"},
                           [{"name": "Virtualizācija", "tolerated_unplanned_downtime_pct": 2}])
    log_in(page, admin)
    page.locator("header nav").get_by_role("link", name="IKT resursi").click()
    expect(page.locator("h1")).to_contain_text("IKT resursu un informācijas sistēmu katalogs")
    expect(page.get_by_role("link", name="Datu centrs")).to_be_visible()

    page.get_by_role("link", name="Pievienot sistēmu").click()
    page.get_by_label("Nosaukums").fill("Kredītkaršu sistēma")
    page.locator("#id_resource-name").fill("Kartu turētāju dati")
    page.get_by_label("Datu subjektu skaits (personas dati)").fill("1200000")
    page.get_by_label("Pieļaujamais neplānotais pārtraukums, % mēnesī").fill("1")
    page.get_by_role("button", name="Saglabāt un noteikt klasi").click()

    expect(page.locator("h1")).to_have_text("Kredītkaršu sistēma")
    expect(page.locator("#class .big-class")).to_contain_text("A (paaugstinātas drošības)")
    reasons = page.get_by_test_id("class-reasons")
    expect(reasons).to_contain_text("Konfidencialitāte A")
    expect(reasons).to_contain_text("Kartu turētāju dati")
    expect(reasons).to_contain_text("datu subjektu personas datus")
    expect(page.locator("#class")).to_contain_text("22-TA-3183 p.34.1")
    expect(page.locator("#obligations")).to_contain_text("Daudzfaktoru autentifikācija")

    page.get_by_role("link", name="IKT resursu katalogs").click()
    row = page.get_by_role("row", name="Kredītkaršu sistēma")
    expect(row.locator(".badge.class-A").first).to_be_visible()


def test_important_subject_sees_warning_instead_of_class_a(page, make_organisation, make_user):
    subject = make_organisation(name="SIA Reģionālā Slimnīca", sector="health", category="important")
    admin = make_user(Role.SUBJECT_ADMIN, subject)
    log_in(page, admin)
    page.goto("/assets/systems/new/")
    page.get_by_label("Nosaukums").fill("Pacientu reģistrs")
    page.locator("#id_resource-name").fill("Pacientu dati")
    page.get_by_label("Datu subjektu skaits (personas dati)").fill("1500000")
    page.get_by_label("Pieļaujamais neplānotais pārtraukums, % mēnesī").fill("5")
    page.get_by_role("button", name="Saglabāt un noteikt klasi").click()
    expect(page.locator("#class .big-class")).to_contain_text("B (pamata drošības)")
    expect(page.locator("#class .warning-box")).to_contain_text("A klase var būt tikai būtisko pakalpojumu sniedzējam")
