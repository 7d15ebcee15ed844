"""End to end in Chromium: a ministry user reports progress on a roadmap task; the coordinator sees the
status change and the implementation report regenerate."""

from __future__ import annotations

import io
from datetime import date

import pytest
from playwright.sync_api import expect

from kiber.plans import services
from kiber.plans.importers import ROADMAP_CODE, import_all, institution
from kiber.plans.models import Plan
from kiber.registry.choices import Role
from kiber.registry.models import User
from tests.support import log_in


def member(username: str, abbreviation: str, coordinator: bool = False) -> User:
    user = User.objects.create_user(username=username, password="Demo-parole-2026!", role=Role.SUBJECT_USER)
    services.add_member(None, user, institution(abbreviation), is_coordinator=coordinator)
    return user


@pytest.mark.django_db(transaction=True)
def test_ministry_reports_and_coordinator_sees_report_regenerate(page):
    import_all()
    roadmap = Plan.objects.get(code=ROADMAP_CODE)
    coordinator = member("varam-koord", "VARAM", coordinator=True)
    sm = member("sm-lietotajs", "SM")
    round = services.open_round(coordinator, roadmap, "2026. gada 4. ceturksnis", date(2026, 12, 31))

    # The coordinator first sees 1.3.2 without a report.
    log_in(page, coordinator)
    page.goto(f"/plans/{ROADMAP_CODE}/kartas/{round.pk}/")
    expect(page.locator("main")).to_contain_text("Kas vēl nav ziņojis")
    expect(page.locator("tr", has_text="SM").first).to_contain_text("1.3.2.")
    page.click("button.link")  # Iziet

    # The ministry user reports and submits.
    log_in(page, sm)
    page.goto("/plans/mani-uzdevumi/")
    row = page.locator("tr", has_text="1.3.2.")
    expect(row).to_contain_text("Nav iesniegts")
    row.get_by_role("link", name="Ziņot").click()
    page.check("input[name=progress][value=partial]")
    page.check("#id_work_ongoing")
    page.fill("#id_description", "LVRTC datu centra iekārtu iepirkums noslēgts, uzstādīšana notiek.")
    page.fill("#id_challenges", "Piegādes kavējas par diviem mēnešiem.")
    page.click("button[name=submit]")
    expect(page.locator(".messages")).to_contain_text("Ziņojums iesniegts.")
    expect(page.locator(".page-head")).to_contain_text("Izpildes procesā")
    page.click("button.link")

    # The coordinator sees the status change, reviews, and the report regenerates with the new row.
    log_in(page, coordinator)
    page.goto(f"/plans/{ROADMAP_CODE}/")
    expect(page.locator("tr", has_text="1.3.2.")).to_contain_text("Izpildes procesā")
    page.goto(f"/plans/{ROADMAP_CODE}/kartas/{round.pk}/")
    submitted = page.locator("tr", has_text="1.3.2.").last
    expect(submitted).to_contain_text("Iesniegts")
    submitted.get_by_role("button", name="Pārskatīts").click()
    expect(page.locator(".messages")).to_contain_text("pārskatīts")
    page.get_by_role("link", name="Izpildes ziņojums").click()
    report = page.locator("#report")
    expect(report).to_contain_text("Izpildes statusa atšifrējums")
    expect(report).to_contain_text("LVRTC datu centra iekārtu iepirkums noslēgts")
    expect(report.locator("tr", has_text="SM – LVRTC mākonis")).to_contain_text("Izpildes procesā")
    with page.expect_download() as download:
        page.get_by_role("link", name="Lejupielādēt DOCX").click()
    from docx import Document

    docx = Document(io.BytesIO(open(download.value.path(), "rb").read()))
    text = "\n".join(cell.text for table in docx.tables for row in table.rows for cell in row.cells)
    assert "LVRTC datu centra iekārtu iepirkums noslēgts" in text and "Izpildes procesā" in text
