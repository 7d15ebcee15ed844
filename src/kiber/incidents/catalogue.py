"""The incident catalogues (Annex 6 type codes, report question catalogue) as the app needs them.

Both come from ``kiber.catalogue`` (data, so NKC can change them without code). Labels follow the
active language (Latvian first, English second).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language

from kiber.catalogue.loader import Question, load_incident_types, load_report_forms


def _english() -> bool:
    return (get_language() or "lv").startswith("en")


def type_codes() -> list[str]:
    return [t.code for t in load_incident_types().types]


def type_choices() -> list[tuple[str, str]]:
    en = _english()
    return [(t.code, f"{t.code} — {t.name_en if en else t.name_lv}") for t in load_incident_types().types]


def type_label(code: str) -> str:
    return dict(type_choices()).get(code, code)


def questions(stage: str) -> list[Question]:
    return load_report_forms().questions_for(stage)


def stage_meta(stage: str) -> Any:
    return load_report_forms().stage(stage)


def label(item: Any) -> str:
    return item.label_en if _english() else item.label_lv


def help_text(question: Question) -> str:
    return (question.help_en if _english() else question.help_lv) or ""
