"""Every enumeration of the registry in one place."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Roles of architecture.md; subject roles belong to one organisation, supervisor roles to none."""

    SUBJECT_USER = "subject_user", _("Subjekta lietotājs")
    SUBJECT_ADMIN = "subject_admin", _("Subjekta administrators")
    CYBER_MANAGER = "cyber_manager", _("Kiberdrošības pārvaldnieks")
    NKC_SUPERVISOR = "nkc_supervisor", _("NKC uzraugs")
    SAB_OFFICER = "sab_officer", _("SAB amatpersona")
    CSIRT_ANALYST = "csirt_analyst", _("CERT.LV analītiķis")
    AUDITOR = "auditor", _("Auditors")
    # Registers, corrects and removes cybersecurity auditors (22-TA-3183 p. 125-129).
    DDSC_MEMBER = "ddsc_member", _("Digitālās drošības uzraudzības komiteja")
    PLATFORM_ADMIN = "platform_admin", _("Platformas administrators")


SUBJECT_ROLES = frozenset({Role.SUBJECT_USER, Role.SUBJECT_ADMIN, Role.CYBER_MANAGER})
SUBJECT_EDITOR_ROLES = frozenset({Role.SUBJECT_ADMIN, Role.CYBER_MANAGER})
SUPERVISOR_ROLES = frozenset({Role.NKC_SUPERVISOR, Role.SAB_OFFICER, Role.CSIRT_ANALYST, Role.DDSC_MEMBER})
# Issue 2: a second factor is mandatory for supervisor and admin roles.
SECOND_FACTOR_ROLES = SUPERVISOR_ROLES | {Role.PLATFORM_ADMIN}


class EntityKind(models.TextChoices):
    """``entity_kind`` of the entity-category rule (NIS2 Art. 2(2), 3(1))."""

    OTHER = "other", _("Cits")
    QTSP = "qualified_trust_service_provider", _("Kvalificēts uzticamības pakalpojumu sniedzējs")
    NON_QTSP = "non_qualified_trust_service_provider", _("Nekvalificēts uzticamības pakalpojumu sniedzējs")
    TLD_REGISTRY = "tld_registry", _("Augšējā līmeņa domēna reģistrs")
    DNS_PROVIDER = "dns_service_provider", _("DNS pakalpojumu sniedzējs")
    PUBLIC_ECN = "public_ecn_provider", _("Publisko elektronisko sakaru tīklu vai pakalpojumu sniedzējs")
    CENTRAL_PA = "central_public_administration", _("Valsts pārvaldes iestāde (centrālā)")
    REGIONAL_PA = "regional_public_administration", _("Pašvaldība vai reģionālā pārvaldes iestāde")
    DOMAIN_REGISTRAR = "domain_registrar", _("Domēna vārdu reģistrētājs")


class Category(models.TextChoices):
    """Output of the entity-category rule; the subject's tier under NIS2 Art. 3."""

    ESSENTIAL = "essential", _("Būtisks (pamatpakalpojuma sniedzējs)")
    IMPORTANT = "important", _("Svarīgs pakalpojuma sniedzējs")
    DOMAIN_REGISTRAR = "domain_registrar", _("Domēna vārdu reģistrētājs")
    OUT_OF_SCOPE = "out_of_scope", _("Ārpus tvēruma")


class Size(models.TextChoices):
    SMALL = "small", _("Mazs")
    MEDIUM = "medium", _("Vidējs")
    LARGE = "large", _("Liels")


class SubmissionKind(models.TextChoices):
    """What a submission notifies (22-TA-3183 p. 8–11, Annexes 1–3)."""

    STATUS = "status", _("Statusa paziņojums")
    MANAGER = "manager", _("Paziņojums par kiberdrošības pārvaldnieku")
    CANDIDATE = "candidate", _("Pieteikums par kiberdrošības pārvaldnieka kandidāta saskaņošanu")


class NoticeType(models.TextChoices):
    """Why a notification is made: p. 8.1–8.3 / 10.1–10.3 (status) and p. 11.1–11.2 (manager)."""

    INITIAL = "initial", _("Sākotnējais paziņojums par statusu")
    CHANGE = "change", _("Paziņojums par izmaiņām")
    LOSS = "loss", _("Paziņojums par statusa zaudēšanu")
    APPOINTMENT = "appointment", _("Paziņojums par pārvaldnieka noteikšanu")
    MANAGER_CHANGE = "manager_change", _("Paziņojums par izmaiņām pārvaldnieka ziņās")
    CANDIDATE = "candidate", _("Pieteikums kandidāta saskaņošanai SAB")


STATUS_NOTICE_TYPES = (NoticeType.INITIAL, NoticeType.CHANGE, NoticeType.LOSS)


class Recipient(models.TextChoices):
    NKC = "nkc", _("Nacionālais kiberdrošības centrs")
    SAB = "sab", _("Satversmes aizsardzības birojs")


class Duty(models.TextChoices):
    """Duties a CI owner's cybersecurity manager must not hold at the same time (p. 22)."""

    PLAN = "plan", _("Kiberrisku pārvaldības un IKT darbības nepārtrauktības plāns")
    LOGS = "logs", _("Žurnālfailu pārvaldība")
    BACKUPS = "backups", _("Rezerves kopiju veidošana, glabāšana, pārbaude un dzēšana")


class SabCheck(models.TextChoices):
    """SAB's check of a CI owner's manager candidate (p. 15, 17)."""

    NOT_DONE = "not_done", _("Nav veikta")
    NO_RISKS = "no_risks", _("Drošības riski nav konstatēti")
    RISKS = "risks_identified", _("Konstatēti drošības riski")


class CINotice(models.TextChoices):
    """SAB's notices to an ICT critical infrastructure owner (p. 107.3.1–107.3.3)."""

    INCLUSION = "inclusion", _("Iekļaušana kritiskās infrastruktūras kopumā")
    EUROPEAN = "european", _("Noteikšana par Eiropas mērogā īpaši nozīmīgu kritisko infrastruktūru")
    EXCLUSION = "exclusion", _("Izslēgšana no kritiskās infrastruktūras kopuma")


CI_NOTICE_POINTS = {CINotice.INCLUSION: "107.3.1", CINotice.EUROPEAN: "107.3.2", CINotice.EXCLUSION: "107.3.3"}


class CICategory(models.TextChoices):
    """Category of ICT critical infrastructure (p. 107.1)."""

    A = "A", _("A kategorija")
    B = "B", _("B kategorija")
    C = "C", _("C kategorija")


# Member states where services are provided (NIS2 Art. 3(4)(d), Art. 27(2)(e)); EU and EEA.
MEMBER_STATES: list[tuple[str, str]] = [
    ("AT", _("Austrija")),
    ("BE", _("Beļģija")),
    ("BG", _("Bulgārija")),
    ("CY", _("Kipra")),
    ("CZ", _("Čehija")),
    ("DE", _("Vācija")),
    ("DK", _("Dānija")),
    ("EE", _("Igaunija")),
    ("ES", _("Spānija")),
    ("FI", _("Somija")),
    ("FR", _("Francija")),
    ("GR", _("Grieķija")),
    ("HR", _("Horvātija")),
    ("HU", _("Ungārija")),
    ("IE", _("Īrija")),
    ("IT", _("Itālija")),
    ("LT", _("Lietuva")),
    ("LU", _("Luksemburga")),
    ("LV", _("Latvija")),
    ("MT", _("Malta")),
    ("NL", _("Nīderlande")),
    ("PL", _("Polija")),
    ("PT", _("Portugāle")),
    ("RO", _("Rumānija")),
    ("SE", _("Zviedrija")),
    ("SI", _("Slovēnija")),
    ("SK", _("Slovākija")),
    ("IS", _("Islande")),
    ("LI", _("Lihtenšteina")),
    ("NO", _("Norvēģija")),
]
