"""Acceptance of issue 5 in Chromium: significant incident at a cloud provider, early warning,
72-hour countdown, CSIRT inbox and intermediate request, SAB does not see it."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kiber.incidents.models import Incident, Report
from kiber.registry.choices import Role
from tests.support import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _no_background(settings):
    settings.KIBER_JOBS_BACKEND = "off"


def test_cloud_provider_early_warning_reaches_csirt_not_sab(page, make_organisation, make_user, chromium_browser,
                                                            live_server):
    cloud = make_organisation(name="SIA Mākoņpakalpojumi", sector="digital_infrastructure", category="important",
                              size="medium", employees=80, annual_turnover_eur=8000000, balance_sheet_eur=6000000)
    subject = make_user(Role.SUBJECT_USER, cloud, username="makonis.lietotajs", email="soc@makonis.example")
    csirt = make_user(Role.CSIRT_ANALYST, username="certlv")
    sab = make_user(Role.SAB_OFFICER, username="sab")

    log_in(page, subject)
    page.goto("/incidents/")
    page.click("text=Reģistrēt kiberincidentu")
    page.fill("#id_title", "Mākoņkrātuves API nepieejamība")
    page.fill("#id_detected_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.check("input[name=type_codes][value='06']")
    page.fill("#id_description", "Pilnīga nepieejamība 45 minūtes.")
    page.select_option("#id_resolution", "in_progress")
    page.click("button.primary")
    expect(page.locator("h1")).to_contain_text("Mākoņkrātuves API nepieejamība")

    page.click("text=Novērtēt nozīmīgumu")
    page.select_option("#id_entity_type", "cloud")
    page.fill("#id_complete_unavailability_minutes", "45")
    page.click("button.primary")
    expect(page.locator("#significance")).to_have_text("nozīmīgs — CIR 2024/2690 Art.7(a)")

    page.click("text=Iesniegt: Agrīnais brīdinājums")
    page.select_option("#id_suspected_malicious", "no")
    page.select_option("#id_cross_border_impact", "unknown")
    page.click("#submit-report")
    expect(page.locator(".msg-success")).to_contain_text("Ziņojums iesniegts")
    assert Report.objects.filter(stage="early_warning").count() == 1
    incident = Incident.objects.get()

    page.goto(f"/incidents/{incident.public_id}/")
    initial = page.locator(".deadlines li", has_text="Sākotnējais ziņojums")
    expect(initial.locator(".countdown")).to_have_text(re.compile(r"^2 d 2[23] h \d+ min$"))  # 72 hours

    csirt_page = chromium_browser.new_context(base_url=live_server.url, locale="lv-LV").new_page()
    log_in(csirt_page, csirt)
    csirt_page.goto("/incidents/inbox/")
    expect(csirt_page.locator("#inbox")).to_contain_text(incident.reference)
    csirt_page.click(f"text={incident.reference}")
    csirt_page.fill("#id_note", "Lūdzam precizēt skarto klientu skaitu.")
    csirt_page.click("#request-intermediate")
    expect(csirt_page.locator(".msg-success")).to_contain_text("Starpposma ziņojums pieprasīts")
    incident.refresh_from_db()
    assert incident.intermediate_requested_at is not None

    sab_page = chromium_browser.new_context(base_url=live_server.url, locale="lv-LV").new_page()
    log_in(sab_page, sab)
    sab_page.goto("/incidents/inbox/")
    expect(sab_page.locator("main")).not_to_contain_text(incident.reference)
    response = sab_page.goto(f"/incidents/{incident.public_id}/")
    assert response.status == 404
