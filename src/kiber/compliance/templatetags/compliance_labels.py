"""``{{ keys|catalogue_labels:"condition" }}`` — catalogue keys as labels joined for reading."""

from __future__ import annotations

from typing import Any

from django import template

from kiber.compliance.labels import labels

register = template.Library()


@register.filter
def catalogue_labels(keys: Any, kind: str) -> str:
    return "; ".join(labels(keys, kind))
