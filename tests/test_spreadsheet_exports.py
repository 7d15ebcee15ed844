"""Spreadsheet formula injection (issue 10, finding 4): subject-written text never becomes a live formula.

Every XLSX and CSV export is written by ``kiber.xlsx``. A value such as ``=HYPERLINK("http://x")`` is a
text cell with the quote prefix in XLSX (no ``<f>`` formula element in the sheet) and ``'=HYPERLINK...``
in CSV. Before: openpyxl stored it as a formula, the CSV as the bare text.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kiber import xlsx
from kiber.assets import importers
from kiber.compliance import services as compliance
from kiber.compliance.exports import catalogue_xlsx
from kiber.compliance.models import Requirement
from kiber.incidents import answers
from kiber.incidents import exports as incident_exports
from kiber.incidents import services as incidents
from kiber.plans import outputs, selectors
from kiber.plans.importers import ACTION_PLAN_CODE, import_all
from kiber.plans.models import Plan, ProgressReport
from kiber.registry import services as registry
from kiber.registry.choices import Role
from tests.compliance.conftest import class_a_system
from tests.compliance.test_services import answer_everything
from tests.incidents.conftest import EW_ANSWERS, incident_data
from tests.registry.conftest import status_data
from tests.support import sign_in

pytestmark = pytest.mark.django_db

INJECTION = '=HYPERLINK("http://x")'
OTHERS = ["+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def assert_inert_xlsx(content: bytes, expected: str = INJECTION) -> None:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in sheet or "<f " in sheet for sheet in sheets), "a formula was written"
    cells = [c for s in load_workbook(io.BytesIO(content)).worksheets for r in s.iter_rows() for c in r
             if c.value == expected]
    assert cells, f"{expected!r} is not in the workbook"
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)


@pytest.fixture
def subject_data(settings, tmp_path, make_organisation, make_user):
    """A subject whose name, system and incident carry the injection, with data in every app."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KIBER_JOBS_BACKEND = "inline"
    settings.KIBER_INCIDENT_ROUTES = {"csirt": {"email": "cert@cert.lv"}, "sab": {"email": "sab@example.lv"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from kiber.compliance.loader import load_catalogue

    load_catalogue()
    org = make_organisation(name=INJECTION, sector="digital_infrastructure", category="important",
                            size="medium", employees=80)
    admin = make_user(Role.SUBJECT_ADMIN, org)
    registry.submit_status_notification(admin, org, status_data())
    class_a_system(org, name=INJECTION)
    assessment = compliance.start_assessment(admin, org)
    answer_everything(admin, assessment)
    compliance.submit_assessment(admin, assessment)
    incident = incidents.create_incident(admin, org, incident_data(title=INJECTION))
    incident = incidents.assess_significance(admin, incident, "cloud", {"complete_unavailability_minutes": 45})
    incidents.submit_report(admin, incident, "early_warning",
                            {**answers.prefill(incident, "early_warning", admin), **EW_ANSWERS})
    return org, admin, assessment


def test_registry_subject_list_xlsx(client, subject_data, make_user):
    sign_in(client, make_user(Role.NKC_SUPERVISOR))
    assert_inert_xlsx(client.get(reverse("registry:list_xlsx")).content)


def test_incident_reports_xlsx_keeps_dates_as_dates(client, subject_data, make_user):
    sign_in(client, make_user(Role.NKC_SUPERVISOR))
    content = client.get(reverse("incidents:export_xlsx")).content
    assert_inert_xlsx(content)
    row = [c for c in load_workbook(io.BytesIO(content)).active[2]]
    assert isinstance(row[5].value, datetime) and row[4].data_type == "n"  # submitted at, version


def test_incident_statistics_writer():
    content = incident_exports.xlsx([("Kopsavilkums", ["Rādītājs", "Vērtība"], [[INJECTION, -3]])])
    assert_inert_xlsx(content)
    assert load_workbook(io.BytesIO(content)).active["B2"].value == -3


def test_compliance_answers_xlsx(client, subject_data):
    _org, admin, assessment = subject_data
    sign_in(client, admin)
    assert_inert_xlsx(client.get(reverse("compliance:answers_xlsx", args=[assessment.pk])).content)


def test_compliance_catalogue_xlsx(db):
    requirement = Requirement(ref="X:1", point="1", version=1, section_number="1", section_title_lv="S",
                              text_lv=INJECTION, text_en="", tiers=[], classes=[], conditions=[], evidence=[])
    assert_inert_xlsx(catalogue_xlsx([requirement]))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_assets_catalogue_export(client, subject_data, fmt):
    org, admin, _assessment = subject_data
    sign_in(client, admin)
    response = client.get(reverse("assets:export", args=[org.pk, fmt]))
    assert response.status_code == 200
    if fmt == "xlsx":
        assert_inert_xlsx(response.content)
        sheet = load_workbook(io.BytesIO(response.content)).active
        header = [c.value for c in sheet[1]]
        assert sheet.cell(row=2, column=header.index("personal_data_subjects") + 1).value == 1_200_000
        return
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][rows[0].index("system")] == "'" + INJECTION
    assert rows[1][rows[0].index("personal_data_subjects")] == "1200000"


def test_the_catalogue_csv_round_trips_through_the_importer(subject_data):
    org, _admin, _assessment = subject_data
    content = importers.to_csv(importers.export_rows(org))
    rows = importers.read_rows("k.csv", content)
    assert rows[0]["system"] == INJECTION


def test_plans_report_xlsx(make_user):
    import_all()
    admin = make_user(Role.PLATFORM_ADMIN)
    plan = Plan.objects.get(code=ACTION_PLAN_CODE)
    round = selectors.current_round(plan)
    ProgressReport.objects.filter(round=round).update(description=INJECTION)
    rows = selectors.task_rows(admin, plan, round)
    assert_inert_xlsx(outputs.render_xlsx(outputs.build_report(plan, round, rows), plan, rows))


@pytest.mark.parametrize("text", OTHERS)
def test_every_trigger_is_neutralised_and_numbers_dates_stay(text):
    when = timezone.now()
    content = xlsx.table("t", [["a", "b", "c", "d"], [text, -5, 1.5, when]])
    assert_inert_xlsx(content, text)
    sheet = load_workbook(io.BytesIO(content)).active
    assert (sheet["B2"].value, sheet["C2"].value) == (-5, 1.5)
    assert sheet["D2"].is_date and sheet["B2"].data_type == "n"
    line = list(csv.reader(io.StringIO(xlsx.csv_bytes([[text, -5, "plain"]]).decode("utf-8-sig"))))[0]
    assert line == ["'" + text, "-5", "plain"]
    assert xlsx.unquote(line[0]) == text
