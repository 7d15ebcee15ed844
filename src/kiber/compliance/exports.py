"""Documents: the PDF of a self-assessment (WeasyPrint, Latvian), XLSX of answers, the catalogue as XLSX.

Everything renders from a snapshot dict (``services.build_snapshot``), so a submitted version's
documents always show exactly what was frozen.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from kiber import xlsx
from kiber.compliance.models import AnswerStatus, Requirement
from kiber.registry.choices import Category


def percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)} %"


def _status_labels() -> dict[str, str]:
    return {value: str(label) for value, label in AnswerStatus.choices}


def pdf_context(snapshot: dict[str, Any], digest: str) -> dict[str, Any]:
    labels = _status_labels()
    sections = snapshot["scoring"]["sections"]
    items_by_section: dict[str, list[dict[str, Any]]] = {}
    for item in snapshot["items"]:
        items_by_section.setdefault(item["section"], []).append(
            {**item, "status_label": labels.get(item["status"], "—")}
        )
    from kiber.incidents.choices import Resolution, Significance

    significance, resolution = dict(Significance.choices), dict(Resolution.choices)
    return {
        "s": snapshot,
        "digest": digest,
        "incident_log": [
            {**entry, "significance_label": significance.get(entry["significance"], entry["significance"]),
             "resolution_label": resolution.get(entry["resolution"], entry["resolution"])}
            for entry in snapshot.get("incident_log") or []
        ],
        "category_label": dict(Category.choices).get(snapshot["organisation"]["category"], ""),
        "overall": percent(snapshot["scoring"]["overall"]),
        "sections": [
            {"number": number, "title": data["title_lv"], "score": percent(data["score"]),
             "items": items_by_section.get(number, [])}
            for number, data in sections.items()
        ],
    }


def render_pdf(snapshot: dict[str, Any], digest: str) -> bytes:
    """The Latvian PDF of a self-assessment report (Annex 15 content: subject, scores, every answer)."""
    from weasyprint import HTML  # imported lazily: heavy, and only needed here

    with translation.override("lv"):
        html = render_to_string("compliance/pdf.html", pdf_context(snapshot, digest))
    return HTML(string=html).write_pdf()


def answers_xlsx(snapshot: dict[str, Any]) -> bytes:
    labels = _status_labels()
    workbook = xlsx.workbook()
    sheet = xlsx.sheet(
        workbook,
        "Atbildes",
        ["Punkts", "Nodaļa", "Sistēma", "Prasība", "Atbilde", "Komentārs", "Pamatojums neattiecināmībai",
         "Atbildīgais", "Termiņš", "Pierādījumi", "Prasības versija"],
        [9, 8, 22, 70, 18, 40, 40, 22, 12, 40, 9],
    )
    for item in snapshot["items"]:
        xlsx.append(sheet, [
            item["point"], item["section"], item["system"], item["text_lv"], labels.get(item["status"], ""),
            item["comment"], item["justification"], item["gap_owner"], item["target_date"] or "",
            "; ".join(f"{e['name']} (SHA-256 {e['sha256'][:12]}…)" for e in item["evidence"]),
            item["requirement_version"],
        ])
    summary = workbook.create_sheet("Kopsavilkums")
    org = snapshot["organisation"]
    rows = [
        ("Subjekts", org["name"]), ("Reģistrācijas numurs", org["registration_number"]),
        ("Gads", snapshot["assessment"]["year"]), ("Versija", snapshot["assessment"]["version"] or "melnraksts"),
        ("Iesniegts", snapshot["submitted_at"] or ""),
        ("Kopējais novērtējums", percent(snapshot["scoring"]["overall"])),
        ("Metode", snapshot["scoring"]["method"]),
    ]
    for number, data in snapshot["scoring"]["sections"].items():
        rows.append((f"{number}. {data['title_lv']}", percent(data["score"])))
    xlsx.rows(summary, rows)
    summary.column_dimensions["A"].width = 50
    summary.column_dimensions["B"].width = 60
    return xlsx.to_bytes(workbook)


def catalogue_xlsx(requirements: list[Requirement]) -> bytes:
    workbook = xlsx.workbook()
    sheet = xlsx.sheet(
        workbook,
        "22-TA-3183",
        ["ID", "Punkts", "Versija", "Nodaļa", "Nodaļas nosaukums", "Teksts (LV)", "Text (EN)", "Subjekti",
         "Klases", "Katrai sistēmai", "Nosacījumi", "Pierādījumi"],
        [20, 8, 8, 8, 30, 80, 80, 30, 10, 10, 30, 30],
    )
    for r in requirements:
        xlsx.append(sheet, [
            r.ref, r.point, r.version, r.section_number, r.section_title_lv, r.full_text_lv, r.full_text_en,
            ", ".join(r.tiers), ", ".join(r.classes), "jā" if r.per_system else "nē",
            ", ".join(c["key"] for c in r.conditions), ", ".join(r.evidence),
        ])
    return xlsx.to_bytes(workbook)
