"""XLSX import limits before it parses (issue 10, finding 7).

Before: a 108 KB file with 300,000 rows was parsed whole (100 s of a worker) and only then refused.
Now the reader stops at the first row past the limit, and an archive that declares more than 20 MB
unpacked is refused before openpyxl opens it. The tests count the rows openpyxl parses, not the time.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from openpyxl.worksheet._reader import WorkSheetParser

from kiber.assets import importers
from kiber.assets.models import InformationSystem
from kiber.assets.views import IMPORT_SESSION_KEY

pytestmark = pytest.mark.django_db

HEADER = ["system", "resource", "tolerated_unplanned_downtime_pct"]


def _xlsx_with_sheet(sheet_xml: str) -> bytes:
    """A valid workbook whose first sheet's XML is replaced by ``sheet_xml``."""
    book = Workbook()
    book.active.append(HEADER)
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = sheet_xml.encode() if info.filename == "xl/worksheets/sheet1.xml" else source.read(info)
            target.writestr(info.filename, data)
    return out.getvalue()


def _sheet(rows: int, row: str | None = None) -> str:
    """A sheet: the header, then ``rows`` rows (``row``: one row's XML, the same every time)."""
    head = "".join(f'<c r="{c}1" t="inlineStr"><is><t>{h}</t></is></c>' for c, h in zip("ABC", HEADER, strict=True))
    if row is None:
        body = "".join(
            f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>S{n}</t></is></c>'
            f'<c r="B{n}" t="inlineStr"><is><t>R</t></is></c><c r="C{n}"><v>1</v></c></row>'
            for n in range(2, rows + 2)
        )
    else:
        body = row * rows
    return (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        f'<row r="1">{head}</row>{body}</sheetData></worksheet>'
    )


@pytest.fixture
def parsed_rows(monkeypatch):
    """How many rows openpyxl parses."""
    count = [0]
    original = WorkSheetParser.parse_row

    def counting(self, row):
        count[0] += 1
        return original(self, row)

    monkeypatch.setattr(WorkSheetParser, "parse_row", counting)
    return count


def test_a_small_file_with_300000_rows_is_refused_at_the_row_limit(subject_client, organisation, parsed_rows):
    content = _xlsx_with_sheet(_sheet(300_000, "<row><c><v>1</v></c></row>"))  # rows numbered in order
    assert len(content) < 200 * 1024

    response = subject_client.post(reverse("assets:import"), {"file": SimpleUploadedFile("k.xlsx", content)})

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [f"Failā ir vairāk nekā {importers.MAX_ROWS} rindu."]
    assert response.context["plan"] is None
    assert parsed_rows[0] <= importers.MAX_ROWS + 2  # header + the limit + the one row past it
    assert IMPORT_SESSION_KEY not in subject_client.session
    assert not InformationSystem.objects.exists()


def test_a_zip_bomb_is_refused_before_parsing(subject_client, organisation, parsed_rows):
    padding = " " * (importers.MAX_UNCOMPRESSED + 1)  # deflates to a few kilobytes
    content = _xlsx_with_sheet(_sheet(1).replace("<sheetData>", padding + "<sheetData>"))
    assert len(content) < 200 * 1024

    response = subject_client.post(reverse("assets:import"), {"file": SimpleUploadedFile("k.xlsx", content)})

    assert response.context["form"].errors["file"] == ["XLSX fails atpakots būtu lielāks par 20 MB."]
    assert parsed_rows[0] == 0
    assert not InformationSystem.objects.exists()


def test_blank_rows_and_csv_are_bounded_too():
    lines = ["system,resource,tolerated_unplanned_downtime_pct"] + [f"S{n},R,1" for n in range(importers.MAX_ROWS + 1)]
    with pytest.raises(importers.ImportFileError, match="vairāk nekā"):
        importers.read_rows("k.csv", "\n".join(lines).encode())
    blank = _sheet(1).replace("</sheetData>", f'<row r="{importers.MAX_BLANK_ROWS + 10}"/></sheetData>')
    blank = blank.replace("<sheetData>", '<dimension ref="A1:XFD1048576"/><sheetData>')
    with pytest.raises(importers.ImportFileError, match="vairāk nekā"):
        importers.read_rows("k.xlsx", _xlsx_with_sheet(blank))


def test_a_file_within_the_limits_still_imports(subject_client, organisation):
    content = _xlsx_with_sheet(_sheet(3))
    rows = importers.read_rows("k.xlsx", content)
    assert [r["system"] for r in rows] == ["S2", "S3", "S4"]
    assert subject_client.post(reverse("assets:import"), {"file": SimpleUploadedFile("k.xlsx", content)}).context[
        "plan"
    ].ok
