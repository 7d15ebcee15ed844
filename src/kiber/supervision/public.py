"""The published auditor register (p. 129): only the public fields, as a page, JSON and CSV.

Not published: the p. 93 data (board, owners, shareholders, citizenships), the certificate copies and
numbers, the Committee's notes and the auditor's user accounts.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from kiber.supervision.choices import AuditorKind
from kiber.supervision.models import Auditor

BASIS = ["22-TA-3183 p.125", "22-TA-3183 p.129"]


def entry(auditor: Auditor) -> dict[str, Any]:
    legal = auditor.kind == AuditorKind.LEGAL
    return {
        "name": auditor.name,
        "kind": auditor.kind,
        # A natural person's identifiers are not published; a company's registration number is public anyway.
        "registration_number": auditor.registration_number if legal else "",
        "registration_country": auditor.registration_country if legal else "",
        "email": auditor.email,
        "phone": auditor.phone,
        "website": auditor.website,
        "certificates": [
            {"name": c.title, "valid_until": c.valid_until.isoformat() if c.valid_until else None}
            for c in auditor.certificates.all()
        ],
        "registered_on": auditor.registered_on.isoformat() if auditor.registered_on else None,
    }


def as_json(auditors: list[Auditor], reviewed_on: Any) -> dict[str, Any]:
    return {
        "register": "Kiberdrošības auditoru saraksts",
        "kept_by": "Digitālās drošības uzraudzības komiteja",
        "basis": BASIS,
        "last_reviewed_on": reviewed_on.isoformat() if reviewed_on else None,
        "auditors": [entry(a) for a in auditors],
    }


def csv_rows(auditors: list[Auditor]) -> list[list[Any]]:
    rows: list[list[Any]] = [
        [
            _("Auditors"),
            _("Veids"),
            _("Reģistrācijas numurs"),
            _("Valsts"),
            _("E-pasts"),
            _("Tālrunis"),
            _("Tīmekļvietne"),
            _("Sertifikāti"),
            _("Reģistrēts"),
        ]
    ]
    for auditor in auditors:
        data = entry(auditor)
        rows.append(
            [
                data["name"],
                str(AuditorKind(auditor.kind).label),
                data["registration_number"],
                data["registration_country"],
                data["email"],
                data["phone"],
                data["website"],
                "; ".join(c["name"] for c in data["certificates"]),
                data["registered_on"] or "",
            ]
        )
    return rows
