from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def remaining(seconds: int) -> str:
    """Server-rendered remaining time ("2 d 23 h 59 min"); negative means overdue."""
    overdue = seconds < 0
    seconds = abs(int(seconds))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = ([f"{days} d"] if days else []) + ([f"{hours} h"] if days or hours else []) + [f"{minutes} min"]
    text = " ".join(parts)
    return _("nokavēts par %(t)s") % {"t": text} if overdue else text


@register.filter
def get(mapping: dict, key: str):
    return mapping.get(key) if isinstance(mapping, dict) else None
