"""Readable audit history of supervision records (registry's rows plus this app's actions and keys)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from kiber.audit.services import history
from kiber.registry.history import HistoryRow, rows
from kiber.supervision.choices import (
    AuditorStatus,
    NonComplianceSource,
    PentestTrigger,
    RemovalReason,
    Tester,
)

ACTIONS = {
    "remove": _("Izslēgts no saraksta"),
    "handle_change": _("Izmaiņas izskatītas"),
    "report_change": _("Paziņots par izmaiņām"),
    "order": _("Pieprasīts"),
    "escalate": _("Ziņots augstākai institūcijai"),
    "remedy": _("Novērsta"),
    "progress": _("Pierakstīta gaita"),
    "attach": _("Pievienots fails"),
}
KEYS = {
    "certificate": _("Sertifikāts"),
    "users": _("Lietotāju konti"),
    "change": _("Ziņas par izmaiņām"),
    "changed_on": _("Izmaiņu datums"),
    "due_on": _("Termiņš"),
    "late": _("Novēloti"),
    "note": _("Piezīme"),
    "registered": _("Auditori sarakstā"),
    "auditor": _("Auditors"),
    "sha256": "SHA-256",
}
CHOICES: dict[str, Any] = {
    "status": AuditorStatus,
    "reason": RemovalReason,
    "tester": Tester,
    "trigger": PentestTrigger,
    "source": NonComplianceSource,
}


def history_rows(obj: models.Model, choices: dict[str, Any] | None = None) -> list[HistoryRow]:
    entries = list(history(obj).select_related("actor"))
    result = rows(entries, CHOICES | (choices or {}))
    for entry, row in zip(entries, result, strict=True):
        row.action = str(ACTIONS.get(entry.action, row.action))
        keys = list(entry.changes) if isinstance(entry.changes, dict) else []
        row.changes = [
            (str(KEYS[k]) if k in KEYS else label, value) for k, (label, value) in zip(keys, row.changes, strict=True)
        ]
    return result
