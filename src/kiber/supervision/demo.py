"""Demo data of the supervision workspace: the auditor register (p. 125–129) and audits (p. 130–131)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kiber.assets.models import InformationSystem
from kiber.registry.choices import SUBJECT_EDITOR_ROLES, Role
from kiber.registry.models import Organisation, User
from kiber.supervision import audit_services, services
from kiber.supervision import field_services as field
from kiber.supervision import obligation_services as duties
from kiber.supervision.models import Auditor

COPY = b"%PDF-1.4\n% Kiber demo: certificate copy\n"
_numbers = itertools.count(1)
REPORT = b"%PDF-1.4\n% Kiber demo: audit report\n"

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
    audits = _audits(created[0], created[1])
    _pentests()
    _non_compliance()
    _field()
    out.write(
        f"Supervision demo: {len(created)} auditors in the register (one removed), {audits} audits, "
        "penetration tests and non-compliance.\n"
    )


def _pentests() -> None:
    """NKC orders a test of the bank's class A system; the bank records it and the results due at SAB (p. 135)."""
    today = timezone.localdate()
    nkc = User.objects.get(username="nkc")
    bank = Organisation.objects.get(registration_number="40003510001")
    admin = _editor(bank)
    systems = list(InformationSystem.objects.filter(organisation=bank).order_by("security_class", "name")[:2])
    ordered = duties.order_pentest(
        nkc, "nkc", systems[0], ["2", "4"], "Nozīmīgi incidenti nozarē 2026. gadā.", today + timedelta(days=60)
    )
    results_on = today - timedelta(days=3)
    duties.update_pentest(
        admin,
        ordered,
        {
            "tester": "csirt_with_sab",
            "tester_name": "CERT.LV",
            "tester_certificate": "",
            "tester_experience_years": None,
            "tester_last_involved_on": None,
            "sab_opinion_on": today - timedelta(days=20),
            "status": "done",
            "performed_on": results_on,
            "results_on": results_on,
            "results_sent_to_sab_on": None,
            "results_summary": "Atrastas 2 augsta riska ievainojamības tīmekļa bankas API; ieteikumi nosūtīti.",
        },
    )
    if len(systems) > 1:
        duties.create_pentest(
            admin,
            systems[1],
            "132.1.2",
            {
                "tester": "own_staff",
                "tester_name": "Bankas drošības komanda",
                "tester_certificate": "OSCP",
                "tester_experience_years": 4,
                "tester_last_involved_on": None,
                "sab_opinion_on": None,
                "status": "done",
                "performed_on": today - timedelta(days=3 * 365 + 20),
                "results_on": None,
                "results_sent_to_sab_on": None,
                "results_summary": "Būtiskas nepilnības nav atrastas.",
            },
        )


def _non_compliance() -> None:
    """The ministry missed its remedy deadline (ready to escalate, p. 155); a bank's is still running."""
    today = timezone.localdate()
    nkc = User.objects.get(username="nkc")
    ministry = Organisation.objects.get(registration_number="90000570010")
    duties.record_non_compliance(
        nkc,
        "nkc",
        ministry,
        {
            "source": "self_assessment",
            "source_reference": "Pašnovērtējums 2026",
            "requirement": "52. p.",
            "description": "Administratoru kontiem nav ieviesta daudzfaktoru autentifikācija.",
            "found_on": today - timedelta(days=75),
            "remedy_by": today - timedelta(days=5),
            "public_body_type": duties.default_public_body_type(ministry),
        },
    )
    bank = Organisation.objects.get(registration_number="40003510002")
    duties.record_non_compliance(
        nkc,
        "nkc",
        bank,
        {
            "source": "audit",
            "source_reference": "Audits 2026",
            "requirement": "29. p.",
            "description": "Kiberdrošības politika nav pārskatīta noteiktajā termiņā.",
            "found_on": today - timedelta(days=10),
            "remedy_by": today + timedelta(days=50),
            "public_body_type": duties.default_public_body_type(bank),
        },
    )


def _editor(org: Organisation) -> User:
    return User.objects.filter(organisation=org, role__in=SUBJECT_EDITOR_ROLES).order_by("pk")[0]


def _audit_data(auditor: Auditor, signed: date, status: str, **extra: Any) -> dict[str, Any]:
    return {
        "auditor": auditor,
        "scope": "Atbilstība 22-TA-3183 3.–5. nodaļas prasībām un NKL 44. pantam",
        "contract_signed_on": signed,
        "auditor_last_involved_on": None,
        "sab_opinion_on": None,
        "sab_opinion_reference": "",
        "status": status,
        "starts_on": signed + timedelta(days=14),
        "completed_on": None,
        **{f"guarantee_130_{i}": True for i in range(1, 5)},
        **extra,
    }


def _audits(first: Auditor, second: Auditor) -> int:
    """AS Daugavas Banka (CI: SAB's opinion first) audited by the firm whose account is ``auditors``; a second bank."""
    today = timezone.localdate()
    bank = Organisation.objects.get(registration_number="40003510001")
    admin = _editor(bank)
    systems = list(InformationSystem.objects.filter(organisation=bank).order_by("security_class", "name")[:2])
    audit = audit_services.create_audit(
        admin,
        bank,
        _audit_data(
            first,
            today - timedelta(days=60),
            "in_progress",
            sab_opinion_on=today - timedelta(days=75),
            sab_opinion_reference="SAB-2026/314",
        ),
        systems,
    )
    findings = [
        (
            "Žurnālfaili netiek centralizēti glabāti",
            "high",
            "58. p.",
            "Ieviest centralizētu žurnālfailu krātuvi",
            "IT drošības vadītājs",
            today - timedelta(days=5),
            "in_progress",
        ),
        (
            "Rezerves kopiju atjaunošana nav pārbaudīta",
            "medium",
            "74. p.",
            "Veikt atjaunošanas testu un to dokumentēt",
            "IT infrastruktūras vadītājs",
            today + timedelta(days=20),
            "open",
        ),
        (
            "Nav MFA attālinātai piekļuvei",
            "critical",
            "52. p.",
            "Ieviest MFA VPN piekļuvei",
            "IT drošības vadītājs",
            today - timedelta(days=30),
            "done",
        ),
    ]
    for title, severity, point, action, owner, due, status in findings:
        audit_services.add_finding(
            admin,
            audit,
            {
                "title": title,
                "severity": severity,
                "requirement": point,
                "action": action,
                "owner": owner,
                "due_on": due,
                "status": status,
                "done_on": due if status == "done" else None,
                "note": "",
            },
        )
    other = Organisation.objects.get(registration_number="40003510002")
    done = audit_services.create_audit(
        _editor(other),
        other,
        _audit_data(
            second,
            today - timedelta(days=200),
            "completed",
            completed_on=today - timedelta(days=120),
        ),
        [],
    )
    audit_services.attach_report(_editor(other), done, SimpleUploadedFile("audita-zinojums.pdf", REPORT))
    audit_services.add_finding(
        _editor(other),
        done,
        {
            "title": "Kiberdrošības politika nav pārskatīta",
            "severity": "low",
            "requirement": "29. p.",
            "action": "Pārskatīt un apstiprināt politiku",
            "owner": "Kiberdrošības pārvaldnieks",
            "due_on": today + timedelta(days=45),
            "status": "open",
            "done_on": None,
            "note": "",
        },
    )
    return 2


def _field() -> None:
    """SAB schedules a scan of the bank (notice 48 hours ahead); CERT.LV installs a sensor there and tells the bank."""
    today = timezone.localdate()
    bank = Organisation.objects.get(registration_number="40003510001")
    sab = User.objects.get(username="sab")
    certlv = User.objects.get(username="certlv")
    field.schedule_scan(
        sab,
        "sab",
        bank,
        {
            "performer": "csirt_on_sab_request",
            "performer_name": "CERT.LV",
            "grounds": ["2", "5"],
            "whole_infrastructure": True,
            "starts_at": timezone.now() + timedelta(days=3),
            "duration_hours": 8,
        },
    )
    field.assess_siting(certlv, bank, False, ["1", "2", "3"], "Kritisks maksājumu pakalpojums.")
    sensor = field.plan_sensor(certlv, bank, "Rīgas datu centrs, perimetra tīkls", [], "CERT.LV")
    field.record_sensor_event(
        certlv,
        sensor,
        "installation",
        today - timedelta(days=2),
        "Sensors uzstādīts perimetra segmentā.",
        inform_now=True,
    )
    other = field.plan_sensor(
        certlv, Organisation.objects.get(registration_number="40003510002"), "Galvenais birojs, DMZ", [], "CERT.LV"
    )
    field.record_sensor_event(certlv, other, "installation", today - timedelta(days=1), "", inform_now=False)
