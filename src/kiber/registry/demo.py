"""Demo subjects, their users and cybersecurity managers, and one user per supervisor role.

Every name and registration number is fictitious. Categories are computed by the entity-category rule,
managers are checked by manager-eligibility and notifications are frozen like real ones, all through
``kiber.registry.services``. Passwords are generated and printed once, with the TOTP secrets of the
roles that need a second factor. Later apps look subjects up by ``SUBJECTS[...]`` registration number.
"""

from __future__ import annotations

import secrets
from base64 import b32encode
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from kiber.registry import services
from kiber.registry.choices import CINotice, Duty, EntityKind, NoticeType, Role
from kiber.registry.models import Organisation, User

# slug, registration number, name, sector, subsector, entity kind, employees, turnover (EUR m), balance (EUR m), CI,
# city/address, services
SUBJECTS: list[tuple[str, str, str, str, str, str, int, int, int, bool, str, str]] = [
    (
        "banka",
        "40003510001",
        "AS Daugavas Banka",
        "banking",
        "",
        "other",
        1450,
        310,
        5200,
        True,
        "Rīga, Kr. Valdemāra iela 21",
        "Kredītiestādes pakalpojumi, maksājumu pakalpojumi, internetbanka",
    ),
    (
        "kombanka",
        "40003510002",
        "AS Rīgas Komercbanka",
        "banking",
        "",
        "other",
        620,
        95,
        1800,
        False,
        "Rīga, Elizabetes iela 45",
        "Kredītiestādes pakalpojumi uzņēmumiem un privātpersonām",
    ),
    (
        "elektrotikli",
        "40003520003",
        "AS Latvijas Sadales Tīkli",
        "energy",
        "electricity",
        "other",
        2300,
        420,
        1900,
        True,
        "Rīga, Šmerļa iela 1",
        "Elektroenerģijas sadale",
    ),
    (
        "siltums",
        "40003530004",
        "AS Galvaspilsētas Siltums",
        "energy",
        "district_heating_cooling",
        "other",
        710,
        160,
        240,
        False,
        "Rīga, Cesvaines iela 3",
        "Centralizētā siltumapgāde",
    ),
    (
        "gaze",
        "40103540005",
        "SIA Kurzemes Gāzes Tīkli",
        "energy",
        "gas",
        "other",
        140,
        28,
        35,
        False,
        "Liepāja, Rīgas iela 12",
        "Dabasgāzes sadale Kurzemē",
    ),
    (
        "slimnica",
        "40003550006",
        "VSIA Rīgas Universitātes Slimnīca",
        "health",
        "",
        "other",
        3900,
        210,
        260,
        True,
        "Rīga, Pilsoņu iela 13",
        "Stacionārā un ambulatorā veselības aprūpe",
    ),
    (
        "vidzemes-slimnica",
        "40003550007",
        "SIA Vidzemes Reģionālā Slimnīca",
        "health",
        "",
        "other",
        180,
        18,
        22,
        False,
        "Valmiera, Jumaras iela 195",
        "Reģionālā slimnīca",
    ),
    (
        "novads",
        "90000560008",
        "Daugavkrasta novada pašvaldība",
        "public_administration",
        "",
        "regional_public_administration",
        420,
        60,
        180,
        False,
        "Daugavkrasts, Brīvības iela 1",
        "Pašvaldības funkcijas",
    ),
    (
        "ministrija",
        "90000570009",
        "Digitālās attīstības ministrija",
        "public_administration",
        "",
        "central_public_administration",
        260,
        40,
        90,
        True,
        "Rīga, Smilšu iela 1",
        "Valsts pārvaldes funkcijas",
    ),
    (
        "satiksme",
        "90000570010",
        "Satiksmes un sakaru ministrija",
        "public_administration",
        "",
        "central_public_administration",
        310,
        45,
        120,
        False,
        "Rīga, Gogoļa iela 3",
        "Valsts pārvaldes funkcijas",
    ),
    (
        "makonis",
        "40203580011",
        "SIA Mākoņpakalpojumi",
        "digital_infrastructure",
        "",
        "other",
        120,
        24,
        18,
        False,
        "Rīga, Ganību dambis 17A",
        "Mākoņdatošanas pakalpojumi (IaaS, rezerves kopēšana)",
    ),
    (
        "uzticamiba",
        "40003590012",
        "AS Uzticamības Serviss",
        "digital_infrastructure",
        "",
        "qualified_trust_service_provider",
        90,
        12,
        9,
        False,
        "Rīga, Dzirnavu iela 101",
        "Kvalificēti elektroniskie paraksti un laika zīmogi",
    ),
    (
        "paraksts",
        "40203590013",
        "SIA Droša Paraksta Centrs",
        "digital_infrastructure",
        "",
        "non_qualified_trust_service_provider",
        12,
        2,
        1,
        False,
        "Jelgava, Lielā iela 4",
        "Elektroniskā paraksta pakalpojumi",
    ),
    (
        "dns",
        "40103600014",
        "SIA DNS Baltija",
        "digital_infrastructure",
        "",
        "dns_service_provider",
        25,
        4,
        3,
        False,
        "Rīga, Ūnijas iela 8",
        "Autoritatīvie DNS serveri un DNS rezolvēšana",
    ),
    (
        "tld",
        "90000600015",
        "Latvijas Domēnu Reģistrs",
        "digital_infrastructure",
        "",
        "tld_registry",
        30,
        3,
        2,
        True,
        "Rīga, Raiņa bulvāris 29",
        ".lv augšējā līmeņa domēna reģistrs",
    ),
    (
        "registrators",
        "40203610016",
        "SIA Domēnu Vārdi",
        "digital_infrastructure",
        "",
        "domain_registrar",
        8,
        1,
        1,
        False,
        "Rīga, Tērbatas iela 14",
        "Domēna vārdu reģistrācija",
    ),
    (
        "udens",
        "40003620017",
        "AS Rīgas Ūdens",
        "drinking_water",
        "",
        "other",
        880,
        75,
        410,
        True,
        "Rīga, Zigfrīda Annas Meierovica bulvāris 1",
        "Dzeramā ūdens ieguve un piegāde",
    ),
    (
        "notekudeni",
        "40003630018",
        "SIA Jūrmalas Notekūdeņi",
        "waste_water",
        "",
        "other",
        95,
        11,
        30,
        False,
        "Jūrmala, Dubultu prospekts 5",
        "Notekūdeņu savākšana un attīrīšana",
    ),
    (
        "telekom",
        "40003640019",
        "AS Baltijas Telekom",
        "digital_infrastructure",
        "",
        "public_ecn_provider",
        2100,
        380,
        620,
        True,
        "Rīga, Dzirnavu iela 105",
        "Mobilie un fiksētie elektroniskie sakari",
    ),
    (
        "sakari",
        "40103640020",
        "SIA Latgales Sakari",
        "digital_infrastructure",
        "",
        "public_ecn_provider",
        22,
        3,
        2,
        False,
        "Daugavpils, Saules iela 7",
        "Interneta pieslēgumi Latgalē",
    ),
    (
        "lidosta",
        "40003650021",
        "AS Gaisa Vārti",
        "transport",
        "air",
        "other",
        1300,
        110,
        390,
        True,
        "Mārupe, Lidosta „Rīga” 10/1",
        "Starptautiskās lidostas pakalpojumi",
    ),
    (
        "dzelzcels",
        "40003650022",
        "VAS Dzelzceļa Infrastruktūra",
        "transport",
        "rail",
        "other",
        4800,
        290,
        1300,
        False,
        "Rīga, Gogoļa iela 3",
        "Dzelzceļa infrastruktūras pārvaldība",
    ),
    (
        "osta",
        "40003650023",
        "SIA Rīgas Ostas Termināls",
        "transport",
        "water",
        "other",
        160,
        35,
        60,
        False,
        "Rīga, Eksporta iela 15",
        "Kravu termināla pakalpojumi",
    ),
    (
        "birza",
        "40003660024",
        "AS Baltijas Vērtspapīru Birža",
        "financial_market_infrastructure",
        "",
        "other",
        70,
        14,
        12,
        False,
        "Rīga, Vaļņu iela 1",
        "Regulētā tirgus darbība",
    ),
    (
        "piegade",
        "40203670025",
        "SIA Ātrā Piegāde",
        "postal_courier",
        "",
        "other",
        520,
        48,
        21,
        False,
        "Rīga, Krasta iela 52",
        "Kurjerpakalpojumi",
    ),
    (
        "parstrade",
        "40103680026",
        "SIA Zaļā Pārstrāde",
        "waste_management",
        "",
        "other",
        85,
        9,
        7,
        False,
        "Ogre, Rīgas iela 30",
        "Atkritumu savākšana un pārstrāde",
    ),
    (
        "piens",
        "40003690027",
        "AS Latvijas Piens",
        "food",
        "",
        "other",
        610,
        140,
        90,
        False,
        "Rīga, Ganību dambis 40",
        "Piena produktu ražošana un izplatīšana",
    ),
    (
        "medtech",
        "40203700028",
        "SIA Baltic MedTech",
        "manufacturing",
        "medical_devices",
        "other",
        75,
        16,
        12,
        False,
        "Olaine, Rūpnīcu iela 5",
        "Medicīnisko ierīču ražošana",
    ),
    (
        "instituts",
        "90000710029",
        "Lietišķās fizikas institūts",
        "research",
        "",
        "other",
        130,
        9,
        14,
        False,
        "Rīga, Ķengaraga iela 8",
        "Lietišķie pētījumi",
    ),
    (
        "itparvaldiba",
        "40203720030",
        "SIA IT Pārvaldība",
        "ict_service_management",
        "",
        "other",
        340,
        52,
        30,
        False,
        "Rīga, Skanstes iela 50",
        "Pārvaldītie IT un drošības pakalpojumi",
    ),
    (
        "darbnica",
        "40203730031",
        "SIA Mazā Darbnīca",
        "manufacturing",
        "machinery",
        "other",
        14,
        1,
        1,
        False,
        "Cēsis, Rūpniecības iela 2",
        "Iekārtu remonts",
    ),
]

# Subjects left without a manager or without a status notification, so the supervisors' filters show something.
NO_MANAGER = {"novads", "piegade", "parstrade", "darbnica", "registrators"}
NO_NOTIFICATION = {"notekudeni", "piegade", "instituts", "sakari", "darbnica"}

# Cybersecurity managers: (first, last, personal code, e-mail, citizenships, months, certificate) and the
# subjects they manage. Jānis Bērziņš manages three essential providers (p. 20 counts them).
PEOPLE: dict[str, tuple[str, str, str, str, list[str], int, str]] = {
    "berzins": ("Jānis", "Bērziņš", "120378-10234", "janis.berzins@kiberdrosiba.lv", ["LV"], 96, "CISM"),
    "ozola": ("Ilze", "Ozola", "050585-11876", "ilze.ozola@example.lv", ["LV"], 60, "CISSP"),
    "kalnins": ("Andris", "Kalniņš", "230790-12345", "andris.kalnins@example.lv", ["LV"], 40, ""),
    "liepa": ("Marta", "Liepa", "110292-10987", "marta.liepa@example.lv", ["LV"], 30, "CISM"),
    "petraitis": ("Tomas", "Petraitis", "", "tomas.petraitis@example.lt", ["LT"], 72, "CISSP"),
}
MANAGERS: dict[str, str] = {
    "banka": "ozola",
    "kombanka": "berzins",
    "uzticamiba": "berzins",
    "dns": "berzins",
    "elektrotikli": "kalnins",
    "slimnica": "liepa",
    "makonis": "petraitis",
}
# Every other subject that needs one gets its own manager, named after the subject.
FIRST_NAMES = [
    "Kristaps",
    "Laura",
    "Edgars",
    "Agnese",
    "Rihards",
    "Zane",
    "Mārtiņš",
    "Inese",
    "Roberts",
    "Dace",
    "Artūrs",
    "Līga",
    "Gatis",
    "Sanita",
    "Valdis",
    "Evija",
    "Oskars",
    "Anete",
    "Raimonds",
    "Elīna",
]
LAST_NAMES = [
    "Zariņš",
    "Krūmiņa",
    "Vītols",
    "Jansone",
    "Lācis",
    "Balode",
    "Kļaviņš",
    "Priede",
    "Eglītis",
    "Siliņa",
    "Rozenbergs",
    "Āboliņa",
    "Strazds",
    "Cīrule",
    "Grants",
    "Freimane",
    "Auziņš",
    "Kalēja",
    "Ziediņš",
    "Sproģe",
]

SUPERVISORS: list[tuple[str, str, str, str, list[str]]] = [
    ("nkc", Role.NKC_SUPERVISOR, "Anna", "Kalniņa", []),
    ("nkc.energija", Role.NKC_SUPERVISOR, "Pēteris", "Zvaigzne", ["energy", "drinking_water", "waste_water"]),
    ("sab", Role.SAB_OFFICER, "Uldis", "Krasts", []),
    ("certlv", Role.CSIRT_ANALYST, "Baiba", "Sarma", []),
    ("auditors", Role.AUDITOR, "Gunta", "Vilka", []),
    ("komiteja", Role.DDSC_MEMBER, "Ints", "Liepa", []),
    ("admin", Role.PLATFORM_ADMIN, "Platformas", "Administrators", []),
]

IP_RANGES = ["195.13.{}.0/24", "2a02:610:{}::/48"]


def _password() -> str:
    return secrets.token_urlsafe(9)


def _user(
    username: str,
    role: str,
    organisation: Organisation | None,
    first: str,
    last: str,
    email: str,
    rows: list[list[str]],
    **extra: Any,
) -> User:
    password = _password()
    user = User.objects.create_user(
        username=username,
        password=password,
        role=role,
        organisation=organisation,
        first_name=first,
        last_name=last,
        email=email,
        **extra,
    )
    secret = ""
    if user.needs_second_factor:
        device = TOTPDevice.objects.create(user=user, name="Kiber demo", confirmed=True)
        secret = b32encode(device.bin_key).decode()
    rows.append([username, str(Role(role).label), organisation.name if organisation else "—", password, secret])
    return user


def _appointment(
    person: tuple[str, str, str, str, list[str], int, str], org: Organisation, state_secret: bool
) -> dict[str, Any]:
    first, last, code, email, citizenships, months, certificate = person
    return {
        "first_name": first,
        "last_name": last,
        "personal_code": code,
        "email": email,
        "phone": "+371 29000000",
        "birth_date": date(1982, 5, 17) if not code else None,
        "position": "Kiberdrošības pārvaldnieks",
        "citizenships": citizenships,
        "term_start": date(2025, 9, 1),
        "term_end": None,
        "education": "Mg. sc. comp.",
        "education_in_cybersecurity": True,
        "experience_months": months,
        "certificates": [{"name": certificate, "valid_until": date(2027, 12, 31)}] if certificate else [],
        "under_guardianship": False,
        "intentional_offence_conviction": False,
        "conviction_cleared": False,
        "former_security_service_affiliation": False,
        "banned_organisation_member": False,
        "organised_crime_or_illegal_armed_group": False,
        "reliability_doubting_disorder_or_dependence": False,
        "state_secret_clearance": state_secret,
        "subject_in_managed_group": False,
    }


def _designate(sab: User, org: Organisation, index: int) -> None:
    """SAB's inclusion notice (p. 107.3.1); the first CI owner is also European CI (p. 107.3.2)."""
    notice_date = timezone.localdate() - timedelta(days=400 + index)
    category = "ABC"[index % 3]
    data = {"category": category, "reference": f"SAB-KI/{notice_date.year}/{index + 1:03d}"}
    services.record_ci_designation(sab, org, {**data, "notice": CINotice.INCLUSION, "notice_date": notice_date})
    if index == 0:
        later = notice_date + timedelta(days=90)
        services.record_ci_designation(
            sab, org, {**data, "notice": CINotice.EUROPEAN, "notice_date": later, "reference": data["reference"] + "-E"}
        )


def load(out: Any) -> None:
    from kiber.registry.validators import birth_date_from_personal_code

    if Organisation.objects.filter(registration_number__in=[s[1] for s in SUBJECTS]).exists():
        raise RuntimeError("registry demo: the demo subjects already exist; load the demo into an empty database")
    rows: list[list[str]] = []
    supervisors = {}
    for username, role, first, last, sectors in SUPERVISORS:
        supervisors[username] = _user(
            username,
            role,
            None,
            first,
            last,
            f"{username}@kiber.gov.lv",
            rows,
            supervised_sectors=sectors,
            is_staff=role == Role.PLATFORM_ADMIN,
            is_superuser=role == Role.PLATFORM_ADMIN,
        )
    nkc = supervisors["nkc"]
    generated = 0
    for index, (
        slug,
        number,
        name,
        sector,
        subsector,
        kind,
        employees,
        turnover,
        balance,
        ci,
        address,
        services_text,
    ) in enumerate(SUBJECTS):
        domain = slug.replace("-", "") + ".lv"
        created = services.register_subject(
            nkc,
            {
                "registration_number": number,
                "name": name,
                "legal_address": address,
                "postal_address": "",
                "email": f"info@{domain}",
                "phone": f"+371 67{index:02d}{index * 37 % 10000:04d}",
                "website": f"https://www.{domain}",
                "sector": sector,
                "subsector": subsector,
                "entity_kind": kind,
                "employees": employees,
                "annual_turnover_eur": Decimal(turnover) * 1_000_000,
                "balance_sheet_eur": Decimal(balance) * 1_000_000,
                "is_domain_registrar": kind == EntityKind.DOMAIN_REGISTRAR,
            },
            {
                "username": f"{slug}.admin",
                "first_name": FIRST_NAMES[index % 20],
                "last_name": LAST_NAMES[index % 20],
                "email": f"admin@{domain}",
                "password": _password(),
            },
        )
        org, admin = created.organisation, created.admin
        if ci:  # SAB's inclusion notice makes the subject a CI owner (p. 107.3.1); the subject cannot
            _designate(supervisors["sab"], org, index)
            org.refresh_from_db()  # the designation set is_ci_owner on the stored subject
        rows.append([admin.username, str(Role.SUBJECT_ADMIN.label), org.name, created.password, ""])
        _user(
            f"{slug}.lietotajs",
            Role.SUBJECT_USER,
            org,
            FIRST_NAMES[(index + 7) % 20],
            LAST_NAMES[(index + 3) % 20],
            f"lietotajs@{domain}",
            rows,
        )
        if ci:
            services.set_responsible_person(
                admin,
                org,
                Duty.BACKUPS,
                f"{FIRST_NAMES[(index + 11) % 20]} {LAST_NAMES[(index + 5) % 20]}",
                "",
                f"it@{domain}",
            )
            services.set_responsible_person(
                admin,
                org,
                Duty.LOGS,
                f"{FIRST_NAMES[(index + 13) % 20]} {LAST_NAMES[(index + 9) % 20]}",
                "",
                f"soc@{domain}",
            )
        if services.subject_tier(org) is not None and slug not in NO_MANAGER:
            if slug in MANAGERS:
                person = PEOPLE[MANAGERS[slug]]
            else:
                generated += 1
                first, last = FIRST_NAMES[(index + 4) % 20], LAST_NAMES[(index + 8) % 20]
                code = f"{(generated % 28) + 1:02d}{(generated % 12) + 1:02d}8{generated % 10}-1{generated:04d}"
                person = (first, last, code, f"kdp@{domain}", ["LV"], 36, "CISM" if index % 2 else "")
            data = _appointment(person, org, state_secret=ci and index % 2 == 0)
            if not data["birth_date"]:
                data["birth_date"] = birth_date_from_personal_code(data["personal_code"])
            appointment = services.appoint_manager(admin, org, data)
            if slug in MANAGERS:  # a login for the named managers; the others are appointment records only
                _user(
                    f"{slug}.kdp",
                    Role.CYBER_MANAGER,
                    org,
                    appointment.first_name,
                    appointment.last_name,
                    f"kdp@{domain}",
                    rows,
                )
            services.submit_manager_notification(admin, org, appointment)
            if appointment.subject_tier == "ci_owner" and not appointment.eligible:
                # p. 16: the candidate's application to SAB; its check (due in a month, p. 17) is pending.
                services.submit_candidate_application(admin, org, appointment)
        if slug not in NO_NOTIFICATION:
            notice = {
                "notice_type": NoticeType.INITIAL,
                "contact_name": f"{admin.first_name} {admin.last_name}",
                "contact_position": "IT direktors",
                "contact_email": f"admin@{domain}",
                "contact_phone": org.phone,
                "services": services_text,
                "member_states": ["LV"] + (["EE", "LT"] if employees > 1000 else []),
                "ip_ranges": [r.format(100 + index) for r in IP_RANGES],
                "establishments": "",
            }
            services.submit_status_notification(admin, org, notice)
            if slug in ("banka", "makonis"):
                notice.update(
                    notice_type=NoticeType.CHANGE,
                    member_states=["EE", "LT", "LV"],
                    ip_ranges=notice["ip_ranges"] + [f"91.{200 + index}.0.0/22"],
                )
                services.submit_status_notification(admin, org, notice)
    _print(out, rows)


def _print(out: Any, rows: list[list[str]]) -> None:
    headers = ["lietotājvārds", "loma", "subjekts", "parole", "TOTP noslēpums (base32)"]
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    line = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    out.write("\nKiber demo accounts (shown once — store them now):\n")
    out.write(line + "\n")
    out.write("| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |\n")
    out.write(line + "\n")
    for row in rows:
        out.write("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |\n")
    out.write(line + "\n")
    out.write("Supervisor and admin accounts need the TOTP code from an authenticator app set up with the secret.\n\n")
