"""The supervisors' subject list as XLSX: the same filtered, scoped rows the registry list shows."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from kiber import xlsx
from kiber.registry import sectors
from kiber.registry.models import Organisation


def subjects_xlsx(organisations: Iterable[Organisation]) -> bytes:
    """One row per subject; ``organisations`` comes from ``selectors.organisations_for`` (flags annotated)."""
    yes, no = _("Jā"), _("Nē")
    titles = [
        _("Nosaukums"),
        _("Reģistrācijas numurs"),
        _("Nozare"),
        _("Apakšnozare"),
        _("Kategorija"),
        _("Kategoriju noteica NKC"),
        _("IKT kritiskās infrastruktūras īpašnieks"),
        _("Kiberdrošības pārvaldnieks"),
        _("Statusa paziņojums"),
        _("E-pasts"),
        _("Tālrunis"),
        _("Juridiskā adrese"),
    ]
    widths = [40, 14, 28, 28, 30, 12, 14, 14, 14, 28, 16, 40]
    book = xlsx.workbook()
    sheet = xlsx.sheet(book, _("Subjekti"), titles, widths)
    for org in organisations:
        xlsx.append(
            sheet,
            [
                org.name,
                org.registration_number,
                sectors.sector_name(org.sector),
                sectors.subsector_name(org.subsector) if org.subsector else "",
                org.get_effective_category_display(),
                yes if org.category_override else no,
                yes if org.is_ci_owner else no,
                _("Ir") if org.has_manager else _("Nav"),  # type: ignore[attr-defined]
                _("Iesniegts") if org.has_notification else _("Nav iesniegts"),  # type: ignore[attr-defined]
                org.email,
                org.phone,
                org.legal_address,
            ]
        )
    sheet.auto_filter.ref = sheet.dimensions
    return xlsx.to_bytes(book)
