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
