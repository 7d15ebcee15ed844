"""The implementation report renders like the annex, in Latvian, with the same rows, in every format."""

from __future__ import annotations

import io

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from kiber.plans import outputs, selectors
from kiber.registry.choices import Role
from tests.support import sign_in


def document_for(user, plan):
    round = selectors.current_round(plan)
    rows = selectors.task_rows(user, plan, round)
    return outputs.build_report(plan, round, rows), rows


def test_report_has_the_seed_rows_and_layout(plans, make_user):
    admin = make_user(Role.PLATFORM_ADMIN)
    document, rows = document_for(admin, plans["action"])
    assert document.classification == "NAV KLASIFICĒTS"
    assert document.title.startswith("1. pielikums informatīvajam ziņojumam")
    assert [label for label, _text in document.legend] == [
        "Izpildīts", "Izpildes procesā", "Daļēji izpildīts", "Nav uzsākts", "Nav izpildīts", "Zaudējis aktualitāti"]
    assert document.headers[1] == "Uzdevumi un galvenie pasākumi izvirzītā mērķa sasniegšanai"
    assert len(document.tables) == 5
    task_rows = [row for table in document.tables for row in table.rows if row.kind == "task"]
    assert [row.cells[0] for row in task_rows] == [row.task.number for row in rows]
    assert len(task_rows) == 58
    assert document.tables[0].heading == "1. tabula. “Kiberdrošības pārvaldība un resursi”"
    sections = [row.text for row in document.tables[0].rows if row.kind == "section"]
    assert sections == ["Nacionālā kiberdrošība", "Valsts IKT pārvaldība", "Cilvēkresursi", "Kritiskā infrastruktūra"]
    restricted = [row.text for table in document.tables for row in table.rows if row.kind == "restricted"]
    assert len(restricted) == 3
    assert document.tables[0].rows[-1].kind == "restricted"  # after 1.22, under "Kritiskā infrastruktūra"
    first = task_rows[0]
    assert first.cells[:5] == ["1.1.", "IKT drošības stiprināšana Latvijas prezidentūrai ES Padomē",
                               "2015. g. 2. cet.", "AM", "CERT.LV, VARAM, ĀM, LPESPS, LVRTC"]
    assert first.cells[7] == "Izpildīts"
    assert first.description_header.startswith("Apraksts par uzdevuma vai pasākuma izpildi")
    by_number = {row.cells[0]: row for row in task_rows}
    assert by_number["1.2."].cells[7] == "Izpildīts; Uzdevums tiks īstenots arī turpmāk"
    assert by_number["1.19."].cells[7] == "Nav informācijas par uzdevuma izpildes statusu"
    assert by_number["1.11."].description_header.startswith("Detalizēts apraksts")
    assert by_number["5.7."].cells[2] == "" and by_number["5.7."].cells[7] == ""


def test_docx_pdf_xlsx(plans, make_user):
    from docx import Document
    from openpyxl import load_workbook

    admin = make_user(Role.PLATFORM_ADMIN)
    document, rows = document_for(admin, plans["action"])
    docx = Document(io.BytesIO(outputs.render_docx(document)))
    assert len(docx.tables) == 6  # legend + five tables
    numbers = [t.rows[i].cells[0].text for t in docx.tables[1:] for i in range(len(t.rows))]
    assert "1.1." in numbers and "5.8." in numbers
    assert docx.tables[1].rows[1].cells[7].text == "Uzdevuma vai pasākuma izpildes statuss"
    pdf = outputs.render_pdf(document)
    assert pdf.startswith(b"%PDF")
    book = load_workbook(io.BytesIO(outputs.render_xlsx(document, plans["action"], rows)))
    sheet = book.worksheets[0]
    assert sheet.max_row == 59
    assert sheet.cell(row=2, column=2).value == "1.1."


def test_report_pages_render_in_latvian(plans, client, make_user):
    admin = make_user(Role.PLATFORM_ADMIN)
    sign_in(client, admin)
    round = plans["action"].rounds.get()
    html = client.get(reverse("plans:report", args=[plans["action"].code, round.pk])).content.decode()
    assert "Izpildes statusa atšifrējums" in html
    assert "Uzdevumi un galvenie pasākumi izvirzītā mērķa sasniegšanai" in html
    assert html.count('class="desc-head"') == 58
    for fmt, kind in (("docx", "wordprocessingml"), ("pdf", "pdf"), ("xlsx", "spreadsheetml")):
        response = client.get(reverse("plans:report_file", args=[plans["action"].code, round.pk, fmt]))
        assert response.status_code == 200 and kind in response["Content-Type"]
    assert client.get(reverse("plans:report_file", args=[plans["action"].code, round.pk, "exe"])).status_code == 404


def test_stats_and_timeline_pages(plans, client, make_user):
    sign_in(client, make_user(Role.NKC_SUPERVISOR))
    stats = client.get(reverse("plans:stats", args=[plans["action"].code])).content.decode()
    assert stats.count("<svg") == 3 and "<script>" not in stats and 'style="' not in stats
    assert "<th>36</th>" in stats  # completed total
    timeline = client.get(reverse("plans:timeline", args=[plans["roadmap"].code])).content.decode()
    assert "<svg" in timeline and "4.1.3." in timeline
    assert AnonymousUser() is not None
