"""Every enumeration of the incidents app in one place."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What the log entry is (p. 47: incidents, near misses and vulnerabilities; p. 123 cyber threats)."""

    INCIDENT = "incident", _("Kiberincidents")
    NEAR_MISS = "near_miss", _("Gandrīz notikušs kiberincidents")
    VULNERABILITY = "vulnerability", _("Ievainojamība")
    CYBER_THREAT = "cyber_threat", _("Kiberapdraudējums")


class Resolution(models.TextChoices):
    """p. 49.8."""

    NOT_STARTED = "not_started", _("Neiesākts")
    IN_PROGRESS = "in_progress", _("Procesā")
    RESOLVED = "resolved", _("Atrisināts")


class Significance(models.TextChoices):
    NOT_ASSESSED = "not_assessed", _("Nav novērtēts")
    SIGNIFICANT = "significant", _("Nozīmīgs")
    NOT_SIGNIFICANT = "not_significant", _("Nav nozīmīgs")


class Stage(models.TextChoices):
    """Report stages: p. 122.1–122.5 (Annexes 9–13) and the free-form report of p. 123."""

    EARLY_WARNING = "early_warning", _("Agrīnais brīdinājums")
    INITIAL_REPORT = "initial_report", _("Sākotnējais ziņojums")
    INTERMEDIATE_REPORT = "intermediate_report", _("Starpposma ziņojums")
    PROGRESS_REPORT = "progress_report", _("Progresa ziņojums")
    FINAL_REPORT = "final_report", _("Galaziņojums")
    # p. 123: a duty for a non-significant incident, free form; the value stays for API clients.
    VOLUNTARY = "voluntary", _("Ziņojums brīvā formā")


FORM_STAGES = [
    Stage.EARLY_WARNING,
    Stage.INITIAL_REPORT,
    Stage.INTERMEDIATE_REPORT,
    Stage.PROGRESS_REPORT,
    Stage.FINAL_REPORT,
]
STAGE_ANNEX = {
    Stage.EARLY_WARNING: "22-TA-3183 p.122.1, 9. pielikums",
    Stage.INITIAL_REPORT: "22-TA-3183 p.122.2, 10. pielikums",
    Stage.PROGRESS_REPORT: "22-TA-3183 p.122.3, 11. pielikums",
    Stage.INTERMEDIATE_REPORT: "22-TA-3183 p.122.4, 12. pielikums",
    Stage.FINAL_REPORT: "22-TA-3183 p.122.5, 13. pielikums",
    Stage.VOLUNTARY: "22-TA-3183 p.123",
}


class Review(models.TextChoices):
    RECEIVED = "received", _("Saņemts")
    MORE_INFO = "more_info", _("Nepieciešama papildu informācija")
    ACCEPTED = "accepted", _("Pieņemts")


class Recipient(models.TextChoices):
    CSIRT = "csirt", _("CERT.LV")
    SAB = "sab", _("SAB")


class Channel(models.TextChoices):
    INBOX = "inbox", _("Platformas iesūtne")
    EMAIL = "email", _("E-pasts")
    WEBHOOK = "webhook", _("Tīmekļa āķis")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Gaida")
    DELIVERED = "delivered", _("Piegādāts")
    FAILED = "failed", _("Neizdevās, atkārtos")


class Tlp(models.TextChoices):
    CLEAR = "clear", "TLP:CLEAR"
    GREEN = "green", "TLP:GREEN"
    AMBER = "amber", "TLP:AMBER"
    AMBER_STRICT = "amber+strict", "TLP:AMBER+STRICT"
    RED = "red", "TLP:RED"


class EntityType(models.TextChoices):
    """``entity_type`` of the significance rule (CIR 2024/2690 Art. 5–14)."""

    OTHER = "other", _("Cits pakalpojums (tikai 3. panta vispārīgie kritēriji)")
    DNS = "dns", _("DNS pakalpojumu sniedzējs")
    TLD = "tld", _("TLD nosaukumu reģistrs")
    CLOUD = "cloud", _("Mākoņdatošanas pakalpojumu sniedzējs")
    DATA_CENTRE = "data_centre", _("Datu centra pakalpojumu sniedzējs")
    CDN = "cdn", _("Satura piegādes tīkla nodrošinātājs")
    MANAGED_SERVICE = "managed_service", _("Pārvaldītu pakalpojumu sniedzējs")
    MANAGED_SECURITY = "managed_security_service", _("Pārvaldītu drošības pakalpojumu sniedzējs")
    MARKETPLACE = "online_marketplace", _("Tiešsaistes tirdzniecības vieta")
    SEARCH = "search_engine", _("Tiešsaistes meklētājprogramma")
    SOCIAL = "social_network", _("Sociālās tīklošanās platforma")
    TRUST = "trust_service", _("Uzticamības pakalpojumu sniedzējs")


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("Atgādinājums")
    OVERDUE = "overdue", _("Nokavēts")
