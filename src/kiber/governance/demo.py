"""Demo governance records: every subject's documentation set; for the CI bank and one more essential
provider the outsourcing register with SAB opinions, the risk register and the continuity objectives."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kiber.governance.choices import DocumentPart
from kiber.governance.services import documents, outsourcing, risks, state_threat
from kiber.registry.choices import Role
from kiber.registry.models import Organisation, User

# A one-page PDF (no text): the demo's stand-in for the subjects' signed documents.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
TITLES = {
    DocumentPart.POLICY: "Kiberdrošības politika",
    DocumentPart.CATALOGUE: "IKT resursu un informācijas sistēmu katalogs",
    DocumentPart.PLAN: "Kiberrisku pārvaldības un IKT darbības nepārtrauktības plāns",
    DocumentPart.INCIDENT_LOG: "Kiberincidentu žurnāla vešanas kārtība",
}
METHODOLOGY = {
    "risk_list": "Ļaunatūra un izspiedējvīrusi; pakalpojumatteices uzbrukumi; piegādātāja kompromitēšana; "
    "iekšējā apdraudējuma riski; datu noplūde; fiziskie apdraudējumi datu centram",
    "likelihood_levels": ["Reti (reizi 10 gados)", "Iespējami (reizi 3 gados)", "Bieži (reizi gadā)", "Ļoti bieži"],
    "impact_levels": ["Neliela", "Vidēja", "Būtiska", "Kritiska"],
    "acceptable_score": 4,
    "review_period_months": 12,
    "description": "Iespējamība × ietekme pēc ISO/IEC 27005; vērtības virs 4 pārvalda ar pasākumiem.",
}


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _admin(organisation: Organisation) -> User | None:
    return User.objects.filter(organisation=organisation, role=Role.SUBJECT_ADMIN).order_by("pk").first()


def _documents(admin: User, organisation: Organisation, today: Any) -> None:
    for index, (part, title) in enumerate(TITLES.items()):
        approved = today - timedelta(days=200 + 40 * index)
        document = documents.create_document(
            admin,
            organisation,
            {
                "part": part,
                "title": title,
                "edition": "1.0",
                "approved_on": approved,
                "approved_by": "Valdes priekšsēdētājs",
                "copy_location": "Rezerves datu centrs, šifrēts arhīvs",
                "content_points": ["30.1", "30.2", "30.3", "30.4", "30.5"] if part == DocumentPart.POLICY else [],
            },
            _pdf(f"{part}.pdf"),
        )
        if organisation.is_ci_owner and part == DocumentPart.POLICY:
            # A new version approved last week and already sent: p. 28.1's month met.
            newer = documents.new_version(
                admin,
                document,
                {
                    "title": title,
                    "edition": "2.0",
                    "approved_on": today - timedelta(days=7),
                    "approved_by": "Valdes priekšsēdētājs",
                    "copy_location": "Rezerves datu centrs, šifrēts arhīvs",
                    "content_points": ["30.1", "30.2", "30.3", "30.4", "30.5"],
                },
                _pdf("politika-v2.pdf"),
            )
            documents.deliver_to_sab(admin, newer)


def _outsourcing(admin: User, sab: User | None, organisation: Organisation, today: Any) -> int:
    systems = list(organisation.information_systems.order_by("-in_ci_set", "security_class", "name")[:2])
    if not systems:
        return 0
    people = [{"name": "Anna Bērziņa", "citizenships": ["LV"]}, {"name": "Mārtiņš Ozols", "citizenships": ["LV"]}]
    good = outsourcing.create_provider(
        admin,
        organisation,
        {
            "name": "SIA Baltijas Datu Centrs",
            "registration_number": "40003777001",
            "kind": "legal_person",
            "registration_country": "LV",
            "citizenships": [],
            "board_members": people,
            "shareholders": [
                {
                    "name": "Nordic DC Holding AB",
                    "kind": "legal_person",
                    "registration_country": "SE",
                    "citizenships": [],
                }
            ],
            "beneficial_owners": [{"name": "Erik Lindqvist", "citizenships": ["SE"]}],
            "public_person_holder": False,
        },
    )
    shady = outsourcing.create_provider(
        admin,
        organisation,
        {
            "name": "SIA Austrumu IT Serviss",
            "registration_number": "40003777002",
            "kind": "legal_person",
            "registration_country": "LV",
            "citizenships": [],
            "board_members": people[:1],
            "shareholders": [{"name": "Igors Petrovs", "kind": "natural_person", "citizenships": ["RU"]}],
            "beneficial_owners": [{"name": "Igors Petrovs", "citizenships": ["RU"]}],
            "public_person_holder": False,
        },
    )
    base = {
        "contract_subject": "service",
        "manufacturer": None,
        "subcontractors": [],
        "systems": systems[:1],
        "personnel": [{"name": "Pēteris Kalns", "citizenships": ["LV"], "role": "sistēmu administrators"}],
        "clauses": ["86.1", "86.2", "86.3.1", "86.3.2", "86.3.3", "86.3.4", "86.4", "86.5"],
        "risk_assessment": "Novērtēti piegādes ķēdes un piekļuves riski; kompensējošie pasākumi plānā.",
        "exit_strategy": "Pakalpojuma pārņemšana 3 mēnešu laikā; datu atdošana un dzēšana.",
        "manager_agreed_on": today - timedelta(days=20),
        "supervising_person": "Līga Ozola",
        "pecn_critical_part": False,
        "concluded_before_entry_into_force": False,
        "contract_end": None,
    }
    outsourcing.save_contract(
        admin,
        organisation,
        {
            **base,
            "title": "Darbstaciju atbalsts",
            "description": "Lietotāju atbalsts un darbstaciju uzturēšana",
            "provider": shady,
        },
    )
    hosting = outsourcing.save_contract(
        admin,
        organisation,
        {
            **base,
            "title": "Serveru izvietošana datu centrā",
            "description": "Kolokācija un attālinātās rokas",
            "provider": good,
        },
    )
    monitoring = outsourcing.save_contract(
        admin,
        organisation,
        {
            **base,
            "title": "Drošības notikumu uzraudzība (SOC)",
            "description": "24/7 SOC pakalpojums",
            "provider": good,
            "systems": systems,
        },
    )
    for contract in (hosting, monitoring):
        if contract.decision == "sab_opinion_required":
            outsourcing.file_opinion_request(
                admin,
                contract,
                "Lūdzam atzinumu pirms līguma slēgšanas.",
                _pdf("7-pielikums.pdf"),
                [(good.name, _pdf("piekrisana.pdf"))],
            )
    if sab is not None and hosting.opinion_requests.exists():
        outsourcing.decide_opinion(sab, hosting.opinion_requests.get(), "positive", "Iebildumu nav.")
        hosting.refresh_from_db()
    if hosting.decision == "allowed":
        outsourcing.conclude(admin, hosting, today - timedelta(days=2))
    return 3


def _risks(admin: User, organisation: Organisation, today: Any) -> None:
    risks.save_methodology(admin, organisation, METHODOLOGY)
    systems = list(organisation.information_systems.order_by("security_class", "name")[:3])
    samples = [
        ("Izspiedējvīrusa uzbrukums", False, 3, 4, (3, 3)),
        ("Pakalpojumatteices uzbrukums (DDoS)", False, 3, 3, (3, 3)),
        ("Ārpakalpojuma sniedzēja kompromitēšana", True, 2, 4, None),
    ]
    for (title, supply, likelihood, impact, previous), system in zip(samples, systems, strict=False):
        risk = risks.save_risk(
            admin,
            organisation,
            {
                "system": system,
                "scope": "",
                "title": title,
                "threat": "",
                "supply_chain": supply,
                "likelihood": likelihood,
                "impact": impact,
                "owner": "IT drošības vadītājs",
                "previous_likelihood": previous[0] if previous else None,
                "previous_impact": previous[1] if previous else None,
            },
        )
        risks.save_measure(
            admin,
            risk,
            {
                "description": "Nemainīgas rezerves kopijas ārpus tīkla; atjaunošanas tests",
                "implementer": "IT nodaļa",
                "controller": "Kiberdrošības pārvaldnieks",
                "due_on": today + timedelta(days=60),
                "periodicity": "",
                "status": "in_progress",
                "progress": 40,
            },
        )
    for index, system in enumerate(organisation.information_systems.order_by("name")[:2]):
        risks.save_continuity(
            admin,
            organisation,
            {
                "system": system,
                "rpo_hours": 1,
                "rto_hours": 4,
                "mtd_hours": 8,
                "monitoring": "Uzraudzības sistēma mēra dīkstāvi; mēneša pārskats vadībai",
                "exceedance_action": "Eskalācija krīzes komandai; pāreja uz rezerves datu centru",
                "recovery_plan": "Atjaunošana no rezerves kopijām rezerves datu centrā pēc atjaunošanas rokasgrāmatas",
                "reserve_resources": "Rezerves datu centrs Valmierā" if index == 0 else "",
                "provider_independent_ip": index == 0,
            },
        )


def _state_threat(admin: User, sab: User | None, organisation: Organisation, today: Any) -> None:
    """Agreed by SAB, approved three weeks ago: the month to send it to SAB (p. 114) is still running."""
    plan = state_threat.save_plan(
        admin,
        organisation,
        {
            "responsible_name": "Inga Kalna",
            "responsible_email": "inga.kalna@daugavasbanka.lv",
            "responsible_appointed_on": today - timedelta(days=120),
            "exemption": False,
            "exemption_basis": "",
            "content_points": ["3", "4", "5", "6", "7", "10", "13", "14", "18"],
            "approved_on": None,
            "sab_delivered_on": None,
            "self_assessment_on": None,
        },
    )
    if sab is None:
        return
    plan = state_threat.sab_review(sab, plan, {"sab_agreed_on": today - timedelta(days=30), "vetting": "suitable"})
    state_threat.save_plan(admin, organisation, {"approved_on": today - timedelta(days=21), "version": plan.version})


def load(out: Any) -> None:
    today = timezone.localdate()
    sab = User.objects.filter(role=Role.SAB_OFFICER).order_by("pk").first()
    subjects = list(Organisation.objects.exclude(category="out_of_scope").order_by("-is_ci_owner", "name"))
    # The CI bank of the acceptance scenario first, then one essential provider that is not a CI owner.
    ci_owners = sorted((o for o in subjects if o.is_ci_owner), key=lambda o: o.sector != "banking")
    detailed = ci_owners[:1] + [o for o in subjects if o.is_essential and not o.is_ci_owner][:1]
    counts = {"documents": 0, "contracts": 0}
    for organisation in subjects:
        admin = _admin(organisation)
        if admin is None or organisation.governance_documents.exists():
            continue
        _documents(admin, organisation, today)
        counts["documents"] += 1
        if organisation in detailed:
            counts["contracts"] += _outsourcing(admin, sab, organisation, today)
            _risks(admin, organisation, today)
            if organisation.is_ci_owner:
                _state_threat(admin, sab, organisation, today)
    out.write(f"governance: documentation sets for {counts['documents']} subjects, {counts['contracts']} contracts\n")
