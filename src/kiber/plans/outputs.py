"""The implementation report laid out like annex 1 of seed 000, as data, DOCX, PDF and XLSX.

Per table: the title line, the column-number row 1-8, the header row, sub-headings as full-width
rows, per task an 8-cell row (number, task, deadline, responsible, involved, funding needed,
funding granted, status) followed by the full-width description row, and pointer rows for
restricted tasks. The status key ("Izpildes statusa atšifrējums") heads the document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from kiber import xlsx
from kiber.plans.choices import STATUS_DEFINITIONS, STATUS_KEY_TITLE, PlanKind, Status
from kiber.plans.models import Plan, ReportingRound, RestrictedReference
from kiber.plans.selectors import TaskRow

DESCRIPTION_HEADER = "Apraksts par uzdevuma vai pasākuma izpildi un tās gaitā konstatētajiem izaicinājumiem"
CONTINUES = "Uzdevums tiks īstenots arī turpmāk"


def column_headers() -> list[str]:
    return [
        _("Nr."),
        _("Uzdevumi un galvenie pasākumi izvirzītā mērķa sasniegšanai"),
        _("Izpildes termiņš"),
        _("Atbildīgā institūcija"),
        _("Iesaistītās institūcijas"),
        _("Nepieciešamais finansējums (indikatīvi) un tā avoti"),
        _("Piešķirtais finansējums"),
        _("Uzdevuma vai pasākuma izpildes statuss"),
    ]


@dataclass
class ReportRow:
    kind: str  # "section" | "task" | "restricted"
    text: str = ""
    cells: list[str] = field(default_factory=list)
    status: str = ""
    description_header: str = ""
    description: str = ""
    overdue: bool = False
    at_risk: bool = False


@dataclass
class ReportTable:
    heading: str
    rows: list[ReportRow]


@dataclass
class ReportDocument:
    classification: str
    title: str
    subtitle: str
    legend_title: str
    legend: list[tuple[str, str]]
    headers: list[str]
    tables: list[ReportTable]
    notes: list[str]


def status_text(row: TaskRow) -> str:
    if not row.status:
        return ""
    label = str(Status(row.status).label)
    if row.report is not None and row.report.continues and row.status == Status.COMPLETED:
        return f"{label}; {_(CONTINUES)}"
    return label


def _names(institutions: list[Any]) -> str:
    return ", ".join(i.abbreviation for i in institutions)


def task_cells(row: TaskRow, plan: Plan) -> list[str]:
    task = row.task
    if plan.kind == PlanKind.ACTION_PLAN:
        responsible, involved = task.responsible_text or "", task.involved_text or ""
    else:  # roadmap: one column "Atbildīgais, dalībnieki"; the first named leads
        responsible = _names(row.responsible) or (task.responsible_text or "")
        involved = _names(row.involved)
    return [task.number, task.text + (f"\n{task.footnote}" if task.footnote else ""), task.deadline_text or "",
            responsible, involved, task.funding_needed_text or "", task.funding_granted_text or "",
            status_text(row)]


def build_report(plan: Plan, round: ReportingRound | None, rows: list[TaskRow]) -> ReportDocument:
    restricted = {d.pk: list(d.restricted_refs.all()) for d in plan.directions.all()}
    tables = []
    for direction in plan.directions.all():
        if plan.kind == PlanKind.ACTION_PLAN:
            heading = f"{direction.number}. tabula. “{direction.title}”" if direction.title else \
                f"{direction.number}. tabula ({_('nosaukums avotā nav saglabājies')})"
        else:
            heading = f"{direction.number}. {direction.title}"
        items: list[tuple[str, ReportRow]] = []
        section_id: int | None = None
        for row in [r for r in rows if r.task.direction_id == direction.pk]:
            if row.task.section_id != section_id and row.task.section is not None:
                section_id = row.task.section_id
                items.append((row.task.sort_key, ReportRow("section", text=str(row.task.section))))
            report = row.report
            description = report.description if report else ""
            if report and report.challenges:
                description += ("\n" if description else "") + _("Izaicinājumi: ") + report.challenges
            items.append((row.task.sort_key, ReportRow(
                "task", cells=task_cells(row, plan), status=row.status,
                description_header=(report.description_header if report and report.description_header
                                    else DESCRIPTION_HEADER),
                description=description, overdue=row.overdue, at_risk=row.at_risk,
            )))
        for ref in restricted.get(direction.pk, []):
            items.extend(_restricted_items(ref))
        items.sort(key=lambda pair: pair[0])
        tables.append(ReportTable(heading, [item for _key, item in items]))
    subtitle = plan.title
    if round is not None:
        subtitle += f" — {round.title} ({_('informācija uz')} {round.as_of:%d.%m.%Y})"
    notes = [plan.funding_note] if plan.funding_note else []
    return ReportDocument(
        classification=plan.classification,
        title=plan.report_title or plan.title,
        subtitle=subtitle,
        legend_title=STATUS_KEY_TITLE,
        legend=[(str(Status(code).label), text) for code, text in STATUS_DEFINITIONS.items()],
        headers=column_headers(),
        tables=tables,
        notes=notes,
    )


def _restricted_items(ref: RestrictedReference) -> list[tuple[str, ReportRow]]:
    items = []
    if ref.section is not None and not ref.section.tasks.exists():
        items.append((ref.sort_key, ReportRow("section", text=str(ref.section))))
    items.append((ref.sort_key + "~", ReportRow("restricted", text=ref.text)))
    return items


# ----------------------------------------------------------------- DOCX

def render_docx(document: ReportDocument) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(10)
    if document.classification:
        p = doc.add_paragraph(document.classification)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    title.add_run(document.title).bold = True
    doc.add_paragraph(document.subtitle)
    doc.add_paragraph().add_run(document.legend_title + ":").bold = True
    legend = doc.add_table(rows=0, cols=2)
    for label, text in document.legend:
        cells = legend.add_row().cells
        cells[0].text, cells[1].text = label, text
    for note in document.notes:
        doc.add_paragraph(note)
    for table in document.tables:
        doc.add_paragraph().add_run(table.heading).bold = True
        grid = doc.add_table(rows=2, cols=8)
        grid.style = "Table Grid"
        for i in range(8):
            grid.rows[0].cells[i].text = str(i + 1)
            grid.rows[1].cells[i].text = document.headers[i]
            grid.rows[1].cells[i].paragraphs[0].runs[0].bold = True
        for row in table.rows:
            if row.kind in ("section", "restricted"):
                cells = grid.add_row().cells
                merged = cells[0].merge(cells[7])
                merged.text = row.text
                if row.kind == "section":
                    merged.paragraphs[0].runs[0].bold = True
                continue
            cells = grid.add_row().cells
            for i, value in enumerate(row.cells):
                cells[i].text = value
            header = grid.add_row().cells
            merged = header[0].merge(header[7])
            merged.text = row.description_header
            merged.paragraphs[0].runs[0].italic = True
            body = grid.add_row().cells
            body[0].merge(body[7]).text = row.description
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# ----------------------------------------------------------------- PDF

def render_pdf(document: ReportDocument) -> bytes:
    from weasyprint import HTML  # imported lazily: heavy

    html = render_to_string("plans/report_print.html", {"document": document})
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]


# ----------------------------------------------------------------- XLSX

def render_xlsx(document: ReportDocument, plan: Plan, rows: list[TaskRow]) -> bytes:
    from openpyxl.styles import Alignment

    headers = [_("Tabula"), *document.headers,
               _("Apraksts par uzdevuma vai pasākuma izpildi un tās gaitā konstatētajiem izaicinājumiem"),
               _("Termiņš (datums)"), _("Prioritāte"), _("Priekšnosacījumi"), _("Nepieciešamais finansējums, EUR"),
               _("Piešķirtais finansējums, EUR"), _("Statusa kods"), _("Nokavēts"), _("Risks nokavēt")]
    widths = [8, 8, 50, 14, 14, 20, 30, 30, 22, 80, 12, 10, 40, 14, 14, 20, 10, 10]
    book = xlsx.workbook()
    sheet = xlsx.sheet(book, _("Uzdevumi"), headers, widths, freeze="C2", wrap=True)
    for row in rows:
        task = row.task
        report = row.report
        xlsx.append(sheet, [
            task.direction.number, *task_cells(row, plan), report.description if report else "",
            task.deadline_date, task.get_priority_display() if task.priority else "", task.prerequisites,
            task.funding_needed_eur, task.funding_granted_eur, row.status,
            _("jā") if row.overdue else "", _("jā") if row.at_risk else "",
        ])
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    legend = book.create_sheet(_("Statusi")[:31])
    xlsx.rows(legend, [[document.legend_title, ""], *document.legend])
    return xlsx.to_bytes(book)
