"""Server-side SVG charts (no JavaScript; readable in print: every bar and cell carries its number)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FONT = 'font-family="DejaVu Sans, sans-serif"'


def colour(value: float | None) -> str:
    """Red (0) → amber (0.5) → green (1); grey for no score."""
    if value is None:
        return "#e3e7ec"
    return _colour(round(max(0.0, min(1.0, value)), 3))


@lru_cache(maxsize=1024)
def _colour(value: float) -> str:
    """The colour of a score rounded to 0.1 % (a heat map has thousands of cells, with far fewer shades)."""
    stops = [(0.0, (179, 38, 30)), (0.5, (232, 167, 0)), (1.0, (30, 123, 69))]
    for (x0, c0), (x1, c1) in zip(stops, stops[1:], strict=False):
        if value <= x1:
            t = (value - x0) / (x1 - x0)
            r, g, b = (round(a + (b_ - a) * t) for a, b_ in zip(c0, c1, strict=True))
            return f"#{r:02x}{g:02x}{b:02x}"
    return "#1e7b45"


def text_colour(value: float | None) -> str:
    return "#1b2430" if value is None or 0.3 < value < 0.7 else "#ffffff"


def pct(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}"


def bar_chart(rows: Sequence[tuple[str, float | None]], label: str, width: int = 540) -> SafeString:
    """Horizontal bars 0–100 % with the value printed at the end of each bar."""
    label_w, bar_h, gap = 230, 18, 8
    chart_w = width - label_w - 60
    height = max(1, len(rows)) * (bar_h + gap) + 24
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(label)}" viewBox="0 0 {width} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg" {FONT} font-size="12">',
        f"<title>{escape(label)}</title>",
    ]
    for tick in (0, 50, 100):
        x = label_w + chart_w * tick / 100
        parts.append(f'<line x1="{x}" y1="0" x2="{x}" y2="{height - 18}" stroke="#d9dee5" stroke-dasharray="3 3"/>')
        parts.append(f'<text x="{x}" y="{height - 4}" text-anchor="middle" fill="#5b6675">{tick} %</text>')
    for index, (name, value) in enumerate(rows):
        y = index * (bar_h + gap) + 4
        short = name if len(name) <= 34 else name[:32] + "…"
        parts.append(f'<text x="{label_w - 8}" y="{y + 13}" text-anchor="end" fill="#1b2430">{escape(short)}'
                     f"<title>{escape(name)}</title></text>")
        parts.append(f'<rect x="{label_w}" y="{y}" width="{chart_w}" height="{bar_h}" fill="#f0f2f5"/>')
        if value is not None:
            parts.append(
                f'<rect x="{label_w}" y="{y}" width="{chart_w * max(0.0, min(1.0, value)):.1f}" height="{bar_h}" '
                f'fill="{colour(value)}"/>'
            )
        parts.append(
            f'<text x="{label_w + chart_w + 6}" y="{y + 13}" fill="#1b2430" font-weight="bold">'
            f'{pct(value)}{"" if value is None else " %"}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above


def heat_map(
    rows: Sequence[tuple[str, str]],
    columns: Sequence[tuple[str, str]],
    values: dict[str, dict[str, Any]],
    label: str,
    group_rows: dict[str, str] | None = None,
    row_label_width: int = 300,
) -> SafeString:
    """A grid: ``rows``/``columns`` are (key, label); ``values[row][col]`` is a score 0..1 or (score, n).

    ``group_rows`` maps a row key to a group heading printed before the first row of the group.
    """
    cell_w, cell_h, head_h = 54, 18, 96
    # Room on the right for the last column's heading, which is rotated 45° and runs up-right of its cell.
    width = row_label_width + cell_w * max(1, len(columns)) + 90
    body: list[str] = []
    escaped_columns = [(column, escape(column_name)) for column, column_name in columns]
    y = head_h
    current_group = None
    for key, name in rows:
        group = (group_rows or {}).get(key)
        if group is not None and group != current_group:
            current_group = group
            y += 6
            body.append(f'<text x="4" y="{y + 13}" font-weight="bold" fill="#1b2430">{escape(group)}</text>')
            y += cell_h + 2
        short = name if len(name) <= 48 else name[:46] + "…"
        escaped_name = escape(name)
        body.append(f'<text x="{row_label_width - 8}" y="{y + 13}" text-anchor="end" fill="#1b2430">'
                    f"{escape(short)}<title>{escaped_name}</title></text>")
        row_values = values.get(key, {})
        for index, (column, escaped_column) in enumerate(escaped_columns):
            raw = row_values.get(column)
            value, n = (raw if isinstance(raw, tuple) else (raw, None)) if raw is not None else (None, None)
            x = row_label_width + index * cell_w
            shown = pct(value)
            # Escaped piece by piece (names once per row and column; the figures need none): thousands of cells.
            tip = f"{escaped_name} · {escaped_column}: {shown}" + ("" if value is None else " %") + (
                f" (n={n})" if n else "")
            body.append(
                f'<g><title>{tip}</title><rect x="{x + 1}" y="{y}" width="{cell_w - 2}" height="{cell_h - 2}" '
                f'fill="{colour(value)}"/><text x="{x + cell_w / 2}" y="{y + 12}" text-anchor="middle" '
                f'font-size="10" fill="{text_colour(value)}">{shown}</text></g>'
            )
        y += cell_h
    height = y + 8
    head = [
        f'<svg class="chart heat" role="img" aria-label="{escape(label)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" xmlns="http://www.w3.org/2000/svg" {FONT} font-size="11">',
        f"<title>{escape(label)}</title>",
    ]
    for index, (_column, column_name) in enumerate(columns):
        x = row_label_width + index * cell_w + cell_w / 2
        short = column_name if len(column_name) <= 18 else column_name[:16] + "…"
        head.append(
            f'<text transform="translate({x + 4},{head_h - 6}) rotate(-45)" fill="#1b2430">{escape(short)}'
            f"<title>{escape(column_name)}</title></text>"
        )
    return mark_safe("".join(head + body + ["</svg>"]))  # noqa: S308 - escaped above


def legend() -> SafeString:
    stops = [(0.0, "0"), (0.25, "25"), (0.5, "50"), (0.75, "75"), (1.0, "100 %")]
    parts = [f'<svg class="legend" viewBox="0 0 300 24" width="300" xmlns="http://www.w3.org/2000/svg" {FONT} '
             'font-size="10" role="img" aria-label="0–100 %">']
    for index, (value, text) in enumerate(stops):
        x = index * 58
        parts.append(f'<rect x="{x}" y="0" width="56" height="12" fill="{colour(value)}"/>'
                     f'<text x="{x + 28}" y="22" text-anchor="middle" fill="#5b6675">{text}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - constant content
