"""Readable rows of a subject's audit history for the supervisors' subject page.

Audit entries store machine names (``create``, ``assets.informationsystem``, field names); the page
shows them in the reader's language: actions from ``ACTION_LABELS``, object types and fields from
the models' verbose names, values as short text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kiber.audit.models import AuditEntry
from kiber.registry.choices import Category, NoticeType, Recipient, Size, SubmissionKind

ACTION_LABELS = {
    "create": gettext_lazy("Izveidots"),
    "update": gettext_lazy("Labots"),
    "delete": gettext_lazy("Dzēsts"),
    "submit": gettext_lazy("Iesniegts"),
    "read": gettext_lazy("Skatīts"),
    "review": gettext_lazy("Izvērtēts"),
    "override": gettext_lazy("Kategoriju mainīja uzraugs"),
    "end": gettext_lazy("Pilnvaras beigušās"),
    "import": gettext_lazy("Importēts"),
    "load": gettext_lazy("Ielādēts"),
    "assess": gettext_lazy("Novērtēts nozīmīgums"),
    "acknowledge": gettext_lazy("Apstiprināta saņemšana"),
    "report_change": gettext_lazy("Paziņots par izmaiņām"),
    "confirm_up_to_date": gettext_lazy("Apstiprināts, ka aktuāls"),
    "sab_check": gettext_lazy("SAB pārbaude"),
    "link": gettext_lazy("Sasaistīts"),
    "close": gettext_lazy("Slēgts"),
    "revoke": gettext_lazy("Atsaukts"),
    "request_intermediate": gettext_lazy("Pieprasīts starpziņojums"),
}
# Keys that name a relation or a computed value rather than a model field.
KEY_LABELS = {
    "system": gettext_lazy("Sistēma"),
    "dependent": gettext_lazy("Atkarīgā sistēma"),
    "provider": gettext_lazy("Nodrošinātāja sistēma"),
    "recipients": gettext_lazy("Saņēmēji"),
    "recipient": gettext_lazy("Saņēmējs"),
    "format": gettext_lazy("Formāts"),
    "reason": gettext_lazy("Pamatojums"),
    "kind": gettext_lazy("Veids"),
    "version": gettext_lazy("Versija"),
    "criteria": gettext_lazy("Kritēriji"),
    "basis": gettext_lazy("Pamats"),
    "systems": gettext_lazy("Sistēmas"),
    "related": gettext_lazy("Saistītais incidents"),
}
# Keys whose stored value is a choice code: shown as the choice's label.
VALUE_CHOICES = {
    "kind": SubmissionKind,
    "recipient": Recipient,
    "recipients": Recipient,
    "category": Category,
    "category_override": Category,
    "size": Size,
    "notice_type": NoticeType,
}
MAX_VALUE = 160


@dataclass
class HistoryRow:
    at: Any
    actor: str
    action: str
    object_type: str
    object_label: str
    changes: list[tuple[str, str]]


def _model(object_type: str) -> Any:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field_label(model: Any, name: str) -> str:
    if model is not None:
        try:
            label = str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            label = ""
        # Fields without a Latvian verbose name fall back to Django's "field name" form; show the key then.
        if label and label != name.replace("_", " "):
            return label[:1].upper() + label[1:]
    return str(KEY_LABELS.get(name, name))


def _value(value: Any, choices: Any = None) -> str:
    if value is None or value == "":
        return "—"
    if choices is not None and isinstance(value, str) and value in choices.values:
        return str(choices(value).label)
    if choices is not None and isinstance(value, list):
        return ", ".join(_value(v, choices) for v in value)
    if isinstance(value, bool):
        return _("Jā") if value else _("Nē")
    if isinstance(value, list):
        text = ", ".join(_value(v) for v in value)
    elif isinstance(value, dict):
        text = "; ".join(f"{k}: {_value(v)}" for k, v in value.items())
    else:
        text = str(value)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def value_text(value: Any, choices: Any = None) -> str:
    """A stored value as short text (choice codes as their labels)."""
    return _value(value, choices)


def rows(entries: list[AuditEntry], value_choices: dict[str, Any] | None = None) -> list[HistoryRow]:
    """``value_choices`` adds an app's choice-coded keys (e.g. the incidents' significance) to ``VALUE_CHOICES``."""
    choices_of = VALUE_CHOICES | (value_choices or {})
    result = []
    for entry in entries:
        model = _model(entry.object_type)
        type_label = str(model._meta.verbose_name) if model is not None else entry.object_type
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        result.append(
            HistoryRow(
                at=entry.at,
                actor=entry.actor_label,
                action=str(ACTION_LABELS.get(entry.action, entry.action)),
                object_type=type_label[:1].upper() + type_label[1:],
                object_label=entry.object_label,
                changes=[(_field_label(model, k), _value(v, choices_of.get(k))) for k, v in changes.items()],
            )
        )
    return result
