"""Demo data of the supervision workspace: the auditor register (p. 125–129)."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from kiber.registry.choices import Role
from kiber.registry.models import User
from kiber.supervision import services
from kiber.supervision.models import Auditor

COPY = b"%PDF-1.4\n% Kiber demo: certificate copy\n"
_numbers = itertools.count(1)

# (name, kind, registration number, country or citizenship, certificates, e-mail domain)
AUDITORS: list[tuple[str, str, str, str, list[str], str]] = [
    (
        "SIA Baltijas Kiberaudits",
        "legal_person",
        "40203999101",
        "LV",
        ["CISA", "ISO/IEC 27001 Lead Auditor"],
        "kiberaudits.lv",
    ),
    ("OÜ Nordic Assurance Partners", "legal_person", "16000123", "EE", ["CISSP"], "nordicassurance.ee"),
    ("Ilze Bērziņa", "natural_person", "", "LV", ["CISA"], "berzina-audits.lv"),
    ("SIA Drošības Revīzija", "legal_person", "40203999102", "LV", ["ISO/IEC 27001 Lead Auditor"], "revizija.lv"),
]


def _certificate(kind: str, holder: str) -> services.NewCertificate:
    return services.NewCertificate(
        kind=kind,
        other_name="",
        holder=holder,
        number=f"DEMO-{next(_numbers):04d}",
        valid_until=date(2028, 6, 30),
        upload=SimpleUploadedFile("sertifikats.pdf", COPY),
    )


def _data(name: str, kind: str, number: str, country: str, domain: str) -> dict[str, Any]:
    legal = kind == "legal_person"
    return {
        "kind": kind,
        "name": name,
        "registration_number": number,
        "registration_country": country if legal else "",
        "citizenships": [] if legal else [country],
        "address": "Rīga, Krišjāņa Valdemāra iela 21" if country == "LV" else "Tallinn, Narva mnt 5",
        "email": f"birojs@{domain}",
        "phone": "+371 67000100" if country == "LV" else "+372 6000100",
        "website": f"https://www.{domain}",
        "contact_person": "Ilze Bērziņa" if not legal else "Mārtiņš Ozols",
        "board_members": [{"name": "Mārtiņš Ozols", "citizenships": [country]}] if legal else [],
        "beneficial_owners": [{"name": "Mārtiņš Ozols", "citizenships": [country]}] if legal else [],
        "shareholders": [{"name": "Mārtiņš Ozols", "kind": "natural_person", "citizenships": [country]}]
        if legal
        else [],
        "technical_capability": "Ievainojamību skeneri, konfigurācijas pārbaudes rīki, ISO 19011 metodika.",
        "application_signed_on": date(2025, 10, 1),
    }


def load(out: Any) -> None:
    committee = User.objects.get(username="komiteja")
    auditor_account = User.objects.filter(role=Role.AUDITOR).order_by("pk").first()
    created: list[Auditor] = []
    for name, kind, number, country, certificates, domain in AUDITORS:
        users = [auditor_account] if auditor_account is not None and not created else []
        auditor = services.register_auditor(
            committee, _data(name, kind, number, country, domain), _certificate(certificates[0], name), users
        )
        for extra in certificates[1:]:
            services.add_certificate(committee, auditor, _certificate(extra, name))
        created.append(auditor)
    services.remove_auditor(committee, created[-1], "128.1", "Auditors 2026. gada 2. novembrī lūdza to izslēgt.", None)
    if auditor_account is not None:
        services.report_change(auditor_account, created[0], date(2026, 11, 16), "Valdē ievēlēts Jānis Kalns (LV).")
    out.write(f"Supervision demo: {len(created)} auditors in the register (one removed).\n")
