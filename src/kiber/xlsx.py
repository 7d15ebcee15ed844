"""Every XLSX and CSV the platform writes goes through here: one look, and no live formulas.

Subject-written text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be a
formula (or DDE call) when a supervisor opens the file (OWASP "CSV injection"). Such text is made inert:

- XLSX: stored as a text cell (never openpyxl's formula or error type) with Excel's *quote prefix*
  style, so the cell shows the text as written and stays text even when edited;
- CSV: prefixed with a ``'`` (the importer's :func:`unquote` takes it off again on the way back).

Numbers, dates and booleans stay what they are (a negative number is a number, not text).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.utils import timezone

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def dangerous(value: Any) -> bool:
    """Text that a spreadsheet would read as a formula."""
    return isinstance(value, str) and value.startswith(TRIGGERS)


def unquote(text: str) -> str:
    """Undo the CSV prefix of :func:`csv_value` (``'=x`` -> ``=x``); any other text as it is."""
    return text[1:] if text.startswith("'") and dangerous(text[1:]) else text


def _plain(value: Any) -> Any:
    # Excel has no time zones: an aware datetime is written as Riga wall-clock time.
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


# --- XLSX ---------------------------------------------------------------------------------------------


def workbook() -> Any:
    """A new workbook with no sheets (add them with :func:`sheet`)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    return book


def sheet(
    book: Any,
    title: str,
    titles: list[Any],
    widths: list[int] | None = None,
    *,
    freeze: str = "A2",
    wrap: bool = False,
) -> Any:
    """A sheet whose first row is ``titles`` (bold, frozen); ``widths`` in characters, column by column."""
    new = book.create_sheet(str(title)[:31])
    header(new, titles, widths, freeze=freeze, wrap=wrap)
    return new


def header(
    sheet: Any, titles: list[Any], widths: list[int] | None = None, *, freeze: str = "A2", wrap: bool = False
) -> None:
    """Append ``titles`` as the sheet's bold, frozen first row; ``widths`` in characters, column by column."""
    from openpyxl.styles import Alignment, Font

    append(sheet, titles)
    for cell in sheet[sheet._current_row]:
        cell.font = Font(bold=True)
        if wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    sheet.freeze_panes = freeze


def append(sheet: Any, values: Iterable[Any]) -> None:
    """Append one row; text is always a text cell, and text that looks like a formula gets the quote prefix."""
    row = [_plain(v) for v in values]
    sheet.append(row)
    number = sheet._current_row  # max_row would scan every cell: quadratic on a large export
    for column, value in enumerate(row, start=1):
        if isinstance(value, str):
            cell = sheet.cell(row=number, column=column)
            cell.data_type = "s"  # openpyxl would make "=..." a formula and "#N/A" an error
            if dangerous(value):
                cell.quotePrefix = True


def rows(sheet: Any, values: Iterable[Iterable[Any]]) -> None:
    for row in values:
        append(sheet, row)


def to_bytes(book: Any) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def table(title: str, table_rows: list[list[Any]]) -> bytes:
    """A one-sheet workbook: the first row is the header."""
    book = workbook()
    rows(sheet(book, title, table_rows[0]), table_rows[1:])
    return to_bytes(book)


# --- CSV ----------------------------------------------------------------------------------------------


def csv_value(value: Any) -> Any:
    if value is None:
        return ""
    return "'" + value if dangerous(value) else _plain(value)


def csv_bytes(table_rows: Iterable[Iterable[Any]]) -> bytes:
    """UTF-8 CSV with a byte-order mark (Excel then reads the Latvian letters); formulas neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in table_rows:
        writer.writerow([csv_value(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
