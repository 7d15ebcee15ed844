"""Small display helpers for registry templates."""

from __future__ import annotations

from django import template

register = template.Library()

_BADGES = {"essential": "badge warn", "important": "badge info", "domain_registrar": "badge", "out_of_scope": "badge"}


@register.filter
def category_badge(category: str) -> str:
    return _BADGES.get(category or "", "badge")


@register.filter
def yesno_lv(value: object) -> str:
    from django.utils.translation import gettext as _

    if value is None:
        return "—"
    return _("Jā") if value else _("Nē")


@register.filter
def sector_name(slug: str) -> str:
    from kiber.registry.sectors import sector_name as name

    return name(slug)


@register.filter
def subsector_name(slug: str) -> str:
    from kiber.registry.sectors import subsector_name as name

    return name(slug) if slug else ""


@register.filter
def lv_date(value: object) -> str:
    """A date (or an ISO date string from a stored JSON result) as dd.mm.yyyy."""
    from datetime import date

    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return "—" if value in (None, "") else str(value)
