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
