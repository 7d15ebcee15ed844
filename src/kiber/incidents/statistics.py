"""Statistics for a period: by sector, type code, significance, on-time rate, time to resolve.

Charts are server-side SVG (no script); the same figures go to XLSX.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from statistics import median
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils.html import escape
from django.utils.translation import gettext as _

from kiber.incidents import catalogue
from kiber.incidents.choices import Significance
from kiber.incidents.deadlines import due_moments
from kiber.incidents.exports import xlsx
from kiber.incidents.models import Incident, Report
from kiber.registry.sectors import sector_name

COLOURS = ["#1f5fa8", "#9e1b32", "#1e7b45", "#a86400", "#5b6675", "#7a4fa3", "#2a8c8c", "#c0392b"]


@dataclass
class Stats:
    start: datetime
    end: datetime
    total: int = 0
    by_sector: Counter = field(default_factory=Counter)
    by_type: Counter = field(default_factory=Counter)
    by_significance: Counter = field(default_factory=Counter)
    stages_due: int = 0
    stages_on_time: int = 0
    resolve_hours: list[float] = field(default_factory=list)

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.stages_on_time / self.stages_due, 1) if self.stages_due else None

    @property
    def median_resolve_hours(self) -> float | None:
        return round(median(self.resolve_hours), 1) if self.resolve_hours else None


def compute(incidents: QuerySet[Incident], start: datetime, end: datetime) -> Stats:
    """The period's figures: counts aggregated in SQL; only significant incidents are read one by one.

    Report deadlines (on-time rate) come from the ``report-deadlines`` rule per significant incident, with
    every incident's reports fetched in one query.
    """
    stats = Stats(start, end)
    labels = dict(Significance.choices)
    period = incidents.filter(detected_at__gte=start, detected_at__lt=end).order_by()
    for sector, significance, n in period.values_list("organisation__sector", "significance").annotate(n=Count("id")):
        stats.total += n
        stats.by_sector[sector or "—"] += n
        stats.by_significance[str(labels.get(significance, significance))] += n
    for codes in period.values_list("type_codes", flat=True):
        stats.by_type.update(codes)
    for detected_at, resolved_at in period.filter(resolved_at__isnull=False).values_list("detected_at", "resolved_at"):
        stats.resolve_hours.append((resolved_at - detected_at).total_seconds() / 3600)
    reports = Prefetch("reports", queryset=Report.objects.only("id", "incident_id", "stage", "submitted_at"))
    significant = period.filter(significance=Significance.SIGNIFICANT).prefetch_related(reports)
    for incident in significant:
        for moment in due_moments(incident):
            if moment.done or moment.overdue:
                stats.stages_due += 1
                stats.stages_on_time += int(moment.done and not moment.late)
    return stats


def _short(label: str, limit: int = 38) -> str:
    """A bar label that fits left of the bars (the full text is the SVG title)."""
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(title: str, counts: Counter, labeller: Any = str) -> str:
    """A horizontal bar chart as SVG markup (presentation attributes only, no inline style)."""
    items = counts.most_common()
    if not items:
        return ""
    width, bar_h, gap, label_w = 640, 22, 8, 300
    height = len(items) * (bar_h + gap) + 30
    top = max(v for _, v in items)
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for i, (key, value) in enumerate(items):
        label = str(labeller(key))
        y = 10 + i * (bar_h + gap)
        w = max(2, int((width - label_w - 60) * value / top))
        parts.append(
            f'<text x="0" y="{y + 16}" font-size="13" fill="#1b2430"><title>{escape(label)}</title>'
            f"{escape(_short(label))}</text>"
            f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" rx="3" fill="{COLOURS[i % len(COLOURS)]}"/>'
            f'<text x="{label_w + w + 6}" y="{y + 16}" font-size="13" fill="#1b2430">{value}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _sector_label(slug: str) -> str:
    return sector_name(slug) if slug != "—" else slug


def charts(stats: Stats) -> dict[str, str]:
    return {
        "sector": bar_chart(_("Pēc nozares"), stats.by_sector, _sector_label),
        "type": bar_chart(_("Pēc veida koda (6. pielikums)"), stats.by_type, catalogue.type_label),
        "significance": bar_chart(_("Pēc nozīmīguma"), stats.by_significance),
    }


def to_xlsx(stats: Stats) -> bytes:
    summary = [
        ["Periods no", stats.start],
        ["Periods līdz (neieskaitot)", stats.end],
        ["Incidenti", stats.total],
        ["Termiņā iesniegti ziņojumi, %", stats.on_time_rate],
        ["Mediānais atrisināšanas laiks, h", stats.median_resolve_hours],
    ]
    return xlsx(
        [
            ("Kopsavilkums", ["Rādītājs", "Vērtība"], summary),
            ("Nozares", ["Nozare", "Incidenti"], [[_sector_label(k), v] for k, v in stats.by_sector.most_common()]),
            (
                "Veida kodi",
                ["Kods", "Veids", "Incidenti"],
                [[k, catalogue.type_label(k), v] for k, v in stats.by_type.most_common()],
            ),
            ("Nozīmīgums", ["Nozīmīgums", "Incidenti"], [list(x) for x in stats.by_significance.most_common()]),
        ]
    )
