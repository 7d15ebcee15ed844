"""Server-side SVG charts (no scripts, no inline styles: presentation attributes and classes only)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from kiber.plans.choices import STATUS_COLOUR, Status
from kiber.plans.selectors import TaskRow

STATUS_ORDER = [s.value for s in Status] + [""]
UNREPORTED = "#9fb3c8"
SHORT = {Status.NO_INFORMATION: _("Nav informācijas"), "": _("bez statusa")}


def _text(x: float, y: float, value: str, anchor: str = "start", cls: str = "chart-label") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" class="{cls}">{escape(value)}</text>'


def status_bars(counts: Iterable[tuple[str, str, int]], title: str) -> SafeString:
    """Horizontal bars: one per status with its count."""
    items = list(counts)
    peak = max((n for _c, _l, n in items), default=1) or 1
    width, label_w, bar_h, gap = 520, 150, 22, 8
    height = len(items) * (bar_h + gap) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'class="chart" aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for i, (code, label, n) in enumerate(items):
        y = i * (bar_h + gap) + 5
        w = (width - label_w - 50) * n / peak
        parts.append(_text(label_w - 8, y + 16, SHORT.get(code, label) or "—", "end"))
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" rx="3" '
                     f'fill="{STATUS_COLOUR.get(code, "#999")}"/>')
        parts.append(_text(label_w + w + 6, y + 16, str(n), cls="chart-value"))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def stacked_bars(groups: list[dict], title: str, label_key: str = "name") -> SafeString:
    """One horizontal stacked bar per group (table or institution), segments per status."""
    peak = max((g["total"] for g in groups), default=1) or 1
    width, label_w, bar_h, gap = 560, 170, 20, 8
    height = len(groups) * (bar_h + gap) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'class="chart" aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for i, group in enumerate(groups):
        y = i * (bar_h + gap) + 5
        x = float(label_w)
        parts.append(_text(label_w - 8, y + 15, str(group[label_key])[:30], "end"))
        for code in STATUS_ORDER:
            n = group["counts"].get(code, 0)
            if not n:
                continue
            w = (width - label_w - 50) * n / peak
            name = Status(code).label if code else "—"
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" '
                         f'fill="{STATUS_COLOUR.get(code, "#999")}"><title>{escape(str(name))}: {n}</title></rect>')
            x += w
        parts.append(_text(x + 6, y + 15, str(group["total"]), cls="chart-value"))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308


def timeline(rows: list[TaskRow], start: date, end: date, today: date, title: str) -> SafeString:
    """A Gantt-like chart: one bar per task from the plan's start to its deadline, coloured by status;
    a line marks today; dependencies are drawn as thin connectors."""
    dated = [row for row in rows if row.task.deadline_date is not None]
    width, label_w, bar_h, gap, top = 960, 330, 16, 8, 30
    height = top + len(dated) * (bar_h + gap) + 10
    span = (end - start).days or 1

    def x_of(day: date) -> float:
        clamped = min(max(day, start), end)
        return label_w + (width - label_w - 20) * (clamped - start).days / span

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'class="chart timeline" aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for year in range(start.year, end.year + 1):
        x = x_of(date(year, 1, 1))
        parts.append(f'<line x1="{x:.1f}" y1="{top - 8}" x2="{x:.1f}" y2="{height}" stroke="#d9dee5"/>')
        parts.append(_text(x + 4, top - 12, str(year), cls="chart-axis"))
    y_of: dict[int, float] = {}
    for i, row in enumerate(dated):
        y = top + i * (bar_h + gap)
        y_of[row.task.pk] = y
        label = f"{row.task.number} {row.task.text}"
        parts.append(_text(label_w - 8, y + 12, label[:48] + ("…" if len(label) > 48 else ""), "end"))
        x_end = x_of(row.task.deadline_date)  # type: ignore[arg-type]
        colour = STATUS_COLOUR.get(row.status, UNREPORTED) if row.status else UNREPORTED
        stroke = ' stroke="#b3261e" stroke-width="2"' if row.overdue else (
            ' stroke="#a86400" stroke-width="2"' if row.at_risk else "")
        status = str(Status(row.status).label) if row.status else "—"
        parts.append(f'<rect x="{label_w}" y="{y}" width="{max(x_end - label_w, 2):.1f}" height="{bar_h}" rx="3" '
                     f'fill="{colour}"{stroke}><title>{escape(label)} — {escape(row.task.deadline_text or "")}'
                     f' — {escape(status)}</title></rect>')
        parts.append(f'<circle cx="{x_end:.1f}" cy="{y + bar_h / 2:.1f}" r="4" fill="#1b2430"/>')
    for row in dated:
        for dep in row.task.depends_on.all():
            if dep.pk in y_of and dep.deadline_date is not None:
                x1, y1 = x_of(dep.deadline_date), y_of[dep.pk] + bar_h / 2
                y2 = y_of[row.task.pk] + bar_h / 2
                parts.append(f'<path d="M{x1:.1f},{y1:.1f} C{x1 + 20:.1f},{y1:.1f} {x1 + 20:.1f},{y2:.1f} '
                             f'{x1 + 4:.1f},{y2:.1f}" fill="none" stroke="#5b6675" stroke-dasharray="3 2"/>')
    x_today = x_of(today)
    parts.append(f'<line x1="{x_today:.1f}" y1="{top - 8}" x2="{x_today:.1f}" y2="{height}" stroke="#9e1b32" '
                 f'stroke-width="2"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308
