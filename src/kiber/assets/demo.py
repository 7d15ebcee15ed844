"""Demo ICT catalogues for the registry demo's subjects, chosen by sector (``kiber demo``).

Every system goes through ``services`` (so classes, reasons, propagation and audit are real).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from kiber.assets import services
from kiber.assets.models import InformationSystem, PersonRole
from kiber.registry.models import Organisation


def _r(name: str, downtime: float, **indicators: Any) -> dict[str, Any]:
    return {"name": name, "tolerated_unplanned_downtime_pct": downtime, **indicators}


# (system name, description, in CI set if the subject is a CI owner, resources, depends on)
Template = tuple[str, str, bool, list[dict[str, Any]], list[str]]

COMMON: list[Template] = [
    ("Dokumentu vadības sistēma", "Lietvedība un dokumentu aprite", False,
     [_r("Lietvedības dokumenti", 2.0, restricted_information=True)], ["Datu centrs"]),
    ("Grāmatvedības sistēma", "Finanšu uzskaite un algas", False,
     [_r("Grāmatvedības dati", 3.0, personal_data_subjects=900)], ["Datu centrs"]),
    ("Datu centrs", "Virtualizācijas platforma un krātuves", False,
     [_r("Virtuālo serveru infrastruktūra", 2.0)], []),
]

BY_SECTOR: dict[str, list[Template]] = {
    "banking": [
        ("Kodolbankas sistēma", "Kontu, maksājumu un kredītu uzskaite", True,
         [_r("Kontu un maksājumu dati", 0.05, personal_data_subjects=640_000, restricted_information=True,
             integrity_breach_stops_own_service=True, integrity_breach_stops_other_subjects=True)],
         ["Datu centrs"]),
        ("Internetbanka", "Klientu internetbanka un mobilā lietotne", False,
         [_r("Klientu pieteikšanās un darījumu dati", 0.5, personal_data_subjects=610_000,
             restricted_information=True, integrity_breach_stops_own_service=True)],
         ["Kodolbankas sistēma"]),
    ],
    "energy": [
        ("SCADA sadales tīkla vadība", "Apakšstaciju un sadales tīkla dispečervadība", True,
         [_r("Tīkla vadības komandas un telemetrija", 0.05, unavailability_stops_state_functions_or_ci=True,
             integrity_breach_causes_disaster=True)], []),
        ("Viedo skaitītāju datu platforma", "Patēriņa datu nolasīšana", False,
         [_r("Patēriņa dati", 1.0, personal_data_subjects=780_000, integrity_breach_stops_own_service=True)],
         ["Datu centrs"]),
        ("Klientu norēķinu sistēma", "Rēķini un līgumi", False,
         [_r("Klientu līgumi un rēķini", 1.0, personal_data_subjects=780_000)], ["Viedo skaitītāju datu platforma"]),
    ],
    "health": [
        ("Slimnīcas informācijas sistēma", "Pacientu uzskaite, izmeklējumi un ārstēšana", False,
         [_r("Pacientu veselības dati", 0.1, special_category_subjects=420_000, personal_data_subjects=420_000),
          _r("Medikamentu uzskaite", 1.0, integrity_breach_stops_own_service=True)], ["Datu centrs"]),
        ("Laboratorijas informācijas sistēma", "Analīžu rezultāti", False,
         [_r("Analīžu rezultāti", 1.0, special_category_subjects=150_000)], ["Slimnīcas informācijas sistēma"]),
    ],
    "public_administration": [
        ("Pakalpojumu portāls", "E-pakalpojumi iedzīvotājiem", False,
         [_r("Iesniegumi un lēmumi", 1.0, personal_data_subjects=140_000, reputation_harm_lv=True)],
         ["Dokumentu vadības sistēma"]),
        ("Nekustamā īpašuma nodokļa administrēšana", "Nodokļu aprēķins un maksājumi", False,
         [_r("Nodokļu maksātāju dati", 1.0, personal_data_subjects=160_000,
             integrity_breach_stops_state_functions_or_ci=True)], ["Datu centrs"]),
    ],
    "digital_infrastructure": [
        ("Mākoņpakalpojumu platforma", "IaaS platforma klientiem", True,
         [_r("Klientu virtuālās mašīnas un dati", 0.05, restricted_information=True,
             integrity_breach_stops_other_subjects=True)], ["Datu centrs"]),
        ("Klientu portāls", "Pasūtījumi, rēķini, atbalsts", False,
         [_r("Klientu konti", 0.5, personal_data_subjects=35_000)], ["Mākoņpakalpojumu platforma"]),
    ],
}
MINISTRY: list[Template] = [
    ("Tiesību aktu izstrādes sistēma", "Tiesību aktu projektu saskaņošana", False,
     [_r("Ierobežotas pieejamības dokumenti", 1.0, restricted_information=True, reputation_harm_lv=True)],
     ["Dokumentu vadības sistēma"]),
    ("Nozares valsts informācijas sistēma", "Nozares reģistrs un pakalpojumi", False,
     [_r("Reģistra ieraksti", 0.5, personal_data_subjects=1_900_000,
         integrity_breach_stops_state_functions_or_ci=True)], ["Datu centrs"]),
]
BY_SECTOR["ict_service_management"] = BY_SECTOR["digital_infrastructure"]
BY_SECTOR["digital_providers"] = BY_SECTOR["digital_infrastructure"]
BY_SECTOR["drinking_water"] = [
    ("Ūdens sagatavošanas SCADA", "Ūdens sagatavošanas un sūkņu staciju vadība", True,
     [_r("Procesa vadības dati", 0.1, unavailability_stops_state_functions_or_ci=True)], []),
]

PEOPLE = [
    ("Anna Bērziņa", "anna.berzina", "IT direktore", PersonRole.OWNER, "Sistēmas īpašniece"),
    ("Jānis Kalniņš", "janis.kalnins", "Sistēmu administrators", PersonRole.ADMINISTRATOR, "Linux, virtualizācija"),
    ("Līga Ozola", "liga.ozola", "Informācijas drošības vadītāja", PersonRole.SECURITY, "ISO/IEC 27001, riska vadība"),
]


def _slug(value: str) -> str:
    return "".join(ch for ch in value.lower() if ch.isascii() and ch.isalnum())[:12] or "info"


def load(out: Any) -> None:
    subjects = list(Organisation.objects.exclude(category="out_of_scope").order_by("name"))
    if not subjects:
        raise RuntimeError("assets demo: the registry demo created no subjects; run the registry demo first")
    created = 0
    stale_shown = False
    for organisation in subjects:
        if InformationSystem.objects.filter(organisation=organisation).exists():
            continue
        specific = BY_SECTOR.get(organisation.sector, [])
        if "ministrija" in organisation.name.lower():
            specific = MINISTRY
        templates = COMMON + specific
        names = {t[0] for t in templates}
        systems: dict[str, InformationSystem] = {}
        for name, description, ci, resources, _deps in templates:
            systems[name] = services.create_system(
                None, organisation,
                {"name": name, "description": description, "in_ci_set": ci and organisation.is_ci_owner},
                resources,
            )
            created += 1
        for name, _description, _ci, _resources, deps in templates:
            for provider in deps:
                if provider in names:
                    services.add_dependency(None, systems[name], systems[provider])
        domain = _slug(organisation.name)
        for index, system in enumerate(systems.values()):
            person_name, mailbox, position, role, competences = PEOPLE[index % len(PEOPLE)]
            services.add_person(None, system, {
                "name": person_name, "position": position, "role": role, "competences": competences,
                "email": f"{mailbox}@{domain}.lv", "phone": "+371 6700 0000",
            })
        if organisation.sector == "public_administration" and not stale_shown:
            services.report_change(None, organisation, timezone.localdate() - timedelta(days=45),
                                   "Jauns serveris datu centrā, nav iekļauts katalogā")
            stale_shown = True
    out.write(f"assets: {created} information systems for {len(subjects)} subjects\n")
