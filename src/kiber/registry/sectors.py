"""NIS2 sectors and subsectors for choices and labels, from the rules engine's ``sectors`` listing.

The listing is the single source of the slugs; Latvian names are shown, English ones in English.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.utils.translation import get_language

from kiber.rules.registry import evaluate


@cache
def listing() -> list[dict[str, Any]]:
    return list(evaluate("sectors", None)["sectors"])


def _name(item: dict[str, Any]) -> str:
    return str(item["name_en"] if (get_language() or "lv").startswith("en") else item["name_lv"])


def sector_choices() -> list[tuple[str, str]]:
    return [(s["slug"], f"{_name(s)} (NIS2 {s['annex']}. piel.)") for s in listing()]


def subsector_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Subsectors grouped by their sector (for an <optgroup> select)."""
    return [(_name(s), [(sub["slug"], _name(sub)) for sub in s["subsectors"]]) for s in listing() if s["subsectors"]]


def sector_name(slug: str) -> str:
    for s in listing():
        if s["slug"] == slug:
            return _name(s)
    return slug


def subsector_name(slug: str) -> str:
    for s in listing():
        for sub in s["subsectors"]:
            if sub["slug"] == slug:
                return _name(sub)
    return slug


def subsectors_of(sector: str) -> list[str]:
    for s in listing():
        if s["slug"] == sector:
            return [sub["slug"] for sub in s["subsectors"]]
    return []
