"""Every enumeration of the supervision app in one place (22-TA-3183 ch. 8)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditorKind(models.TextChoices):
    """p. 125.1: an auditor is a legal or a natural person (the values of the rules' ``Party.kind``)."""

    LEGAL = "legal_person", _("Juridiska persona")
    NATURAL = "natural_person", _("Fiziska persona")


class AuditorStatus(models.TextChoices):
    """An application that fails p. 125 is refused with the reasons and never saved, so there is no "refused"."""

    REGISTERED = "registered", _("Reģistrēts sarakstā")
    REMOVED = "removed", _("Izslēgts no saraksta")


class RemovalReason(models.TextChoices):
    """p. 128.1–128.6: the only grounds on which the Committee removes an auditor."""

    REQUEST = "128.1", _("Saņemts auditora iesniegums par izslēgšanu (128.1.)")
    NOT_COMPLIANT = "128.2", _("Auditors neatbilst likuma vai noteikumu prasībām (128.2.)")
    FALSE_INFORMATION = "128.3", _("Auditors sniedzis nepatiesas ziņas (128.3.)")
    QUALITY_CONCERNS = "128.4", _("Objektīvas bažas par auditora zināšanām vai spējām (128.4.)")
    LIQUIDATED = "128.5", _("Auditors – juridiskā persona – likvidēts (128.5.)")
    DECEASED = "128.6", _("Auditors – fiziskā persona – miris (128.6.)")


# A legal person can be liquidated (128.5), only a natural person can die (128.6).
REASONS_FOR_KIND = {
    AuditorKind.LEGAL: [r for r in RemovalReason if r != RemovalReason.DECEASED],
    AuditorKind.NATURAL: [r for r in RemovalReason if r != RemovalReason.LIQUIDATED],
}


class CertificateKind(models.TextChoices):
    """p. 125.2 names these as examples; any other internationally recognised certificate is ``other``."""

    CISA = "CISA", "CISA"
    ISO27001_LA = "ISO/IEC 27001 Lead Auditor", "ISO/IEC 27001 Lead Auditor"
    CISSP = "CISSP", "CISSP"
    OTHER = "other", _("Cits starptautiski atzīts sertifikāts")


class AuditStatus(models.TextChoices):
    PLANNED = "planned", _("Plānots")
    IN_PROGRESS = "in_progress", _("Notiek")
    COMPLETED = "completed", _("Pabeigts")


class FindingSeverity(models.TextChoices):
    LOW = "low", _("Zema")
    MEDIUM = "medium", _("Vidēja")
    HIGH = "high", _("Augsta")
    CRITICAL = "critical", _("Kritiska")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Atvērta")
    IN_PROGRESS = "in_progress", _("Tiek īstenota")
    DONE = "done", _("Izpildīta")


# p. 130.1–130.4: what the audit contract must provide (a checklist the subject confirms).
GUARANTEES = [
    (
        "guarantee_130_1",
        "130.1",
        _("Auditoram ir zināšanas, prasmes un pieredze neatkarīgam, objektīvam un vispusīgam vērtējumam"),
    ),
    (
        "guarantee_130_2",
        "130.2",
        _("Auditors audita informāciju apstrādā tikai NATO, ES un EBTA dalībvalstu teritorijā"),
    ),
    (
        "guarantee_130_3",
        "130.3",
        _("Auditors pēdējos trīs gados nav piedalījies auditējamās sistēmas izstrādē, uzturēšanā vai testēšanā"),
    ),
    (
        "guarantee_130_4",
        "130.4",
        _(
            "Auditors atbilst likuma 44. panta otrajai daļai, un nav citu apstākļu, kas apdraud objektivitāti "
            "un neatkarību"
        ),
    ),
]


# --------------------------------------------------------------------------------------- ch. 8.2, 8.3, 8.5


class Authority(models.TextChoices):
    NKC = "nkc", _("Nacionālais kiberdrošības centrs")
    SAB = "sab", _("Satversmes aizsardzības birojs")


class Ground(models.TextChoices):
    """p. 140.1–140.6 (and the same considerations of p. 145 for sensors): at least one is recorded."""

    TYPE = "1", _("Subjekta veids un darbības joma")
    CRITICALITY = "2", _("IKT infrastruktūras kritiskums un sistēmu klase")
    SIGNIFICANCE = "3", _("Pakalpojuma nozīmīgums, tostarp ietekme uz nacionālo drošību")
    INCIDENTS = "4", _("Pēdējo trīs gadu kiberincidentu nozīmīgums un apjoms")
    SUPERVISION = "5", _("Uzraudzībā iegūtā informācija par ievainojamībām un uzlabojumiem")
    PARTNERS = "6", _("Citu kompetento iestāžu (arī ārvalstu) informācija par apdraudējumu")


class PentestTrigger(models.TextChoices):
    BEFORE_OPERATION = "132.1.1", _("A klases sistēma pirms nodošanas ekspluatācijā (132.1.1.)")
    PERIODIC = "132.1.2", _("A klases sistēma vismaz reizi trīs gados (132.1.2.)")
    INITIATIVE = "132.2", _("Pēc subjekta iniciatīvas (132.2.)")
    ORDERED = "132.3", _("Pēc NKC vai SAB pieprasījuma (132.3.)")


class Tester(models.TextChoices):
    OWN_STAFF = "own_staff", _("Subjekta personāls (133.1.)")
    OUTSIDE = "outside", _("Cita persona ar sertifikātu vai 2 gadu pieredzi (133.2., 133.3., 134.)")
    OFFICIALS = "officials", _("NKC vai CERT.LV amatpersonas (134.1.)")
    CSIRT_WITH_SAB = "csirt_with_sab", _("CERT.LV amatpersonas pēc saskaņošanas ar SAB (134.2.1.)")


class PentestStatus(models.TextChoices):
    ORDERED = "ordered", _("Pieprasīts")
    PLANNED = "planned", _("Plānots")
    DONE = "done", _("Veikts")


class ScanRequester(models.TextChoices):
    NKC = "nkc", _("NKC (136.1.)")
    SAB = "sab", _("SAB (136.2.)")
    SUBJECT = "subject", _("Subjekts (136.3.)")


class ScanPerformer(models.TextChoices):
    """``scan_performer`` of the ``supervision-obligations`` rule (p. 137, 141)."""

    SAB_OFFICIALS = "sab_officials", _("SAB amatpersonas (137.1.)")
    CSIRT_ON_SAB_REQUEST = "csirt_on_sab_request", _("CERT.LV pēc SAB pieprasījuma (137.2.)")
    OTHER_WITH_SAB_OPINION = "other_with_sab_opinion", _("Cita persona ar SAB atzinumu (137.3.)")
    NKC_OFFICIALS = "ncc_officials", _("NKC amatpersonas (141.)")
    CSIRT_OFFICIALS = "csirt_officials", _("CERT.LV amatpersonas (141.)")
    OTHER_MEETING_P93 = "other_meeting_p93", _("Cita persona, kas atbilst 93. punktam (141.)")


class SensorState(models.TextChoices):
    PLANNED = "planned", _("Plānots")
    INSTALLED = "installed", _("Uzstādīts")
    MAINTAINED = "maintained", _("Uzturēts")
    DISMANTLED = "dismantled", _("Demontēts")


class SensorEventKind(models.TextChoices):
    INSTALLATION = "installation", _("Uzstādīšana")
    MAINTENANCE = "maintenance", _("Apkope")
    DISMANTLING = "dismantling", _("Demontāža")


class NonComplianceSource(models.TextChoices):
    SELF_ASSESSMENT = "self_assessment", _("Pašnovērtējuma izskatīšana")
    AUDIT = "audit", _("Audita konstatējums")
    INCIDENT = "incident", _("Kiberincidents")
    SCAN = "scan", _("Drošības skenēšana")
    OTHER = "other", _("Cits uzraudzības pasākums")


class PublicBodyType(models.TextChoices):
    """``public_body_type`` of the ``escalation-target`` rule (p. 155–157)."""

    DIRECT = "direct_administration_institution", _("Tiešās pārvaldes iestāde (155.)")
    MUNICIPALITY = "municipality", _("Pašvaldība (156.)")
    MUNICIPAL_INDIRECT = (
        "municipal_indirect_administration_institution",
        _("Pašvaldības dibināta pastarpinātās pārvaldes iestāde (156.)"),
    )
    DERIVED = "derived_public_person", _("Cita atvasināta publiska persona (157.)")
    INDIRECT = "indirect_administration_institution", _("Pastarpinātās pārvaldes iestāde (157.)")
    OTHER_STATE = "other_state_institution", _("Cita valsts institūcija (157.)")
    NOT_PUBLIC = "not_public_body", _("Nav publiska institūcija")


class NonComplianceStatus(models.TextChoices):
    OPEN = "open", _("Jānovērš")
    REMEDIED = "remedied", _("Novērsta")
    ESCALATED = "escalated", _("Ziņots augstākai institūcijai")
    CLOSED = "closed", _("Slēgta")
