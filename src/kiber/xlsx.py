"""The platform's XLSX sheets share one look: a bold header row that stays in view, sized columns."""

from __future__ import annotations

from typing import Any


def header(sheet: Any, titles: list[Any], widths: list[int] | None = None) -> None:
    """Append ``titles`` as the sheet's bold, frozen first row; ``widths`` in characters, column by column."""
    from openpyxl.styles import Font

    sheet.append(titles)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    sheet.freeze_panes = "A2"
