"""Supervision records (22-TA-3183 ch. 8): the auditor register (p. 125–129) and compliance audits (p. 130–131)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kiber.supervision.choices import (
    ActionStatus,
    AuditorKind,
    AuditorStatus,
    AuditStatus,
    Authority,
    CertificateKind,
    FindingSeverity,
    NonComplianceSource,
    NonComplianceStatus,
    PentestStatus,
    PentestTrigger,
    PublicBodyType,
    RemovalReason,
    ScanPerformer,
    ScanRequester,
    SensorEventKind,
    SensorState,
    Tester,
)
from kiber.versioning import Versioned
from kiber.web.files import GeneratedName


class Auditor(Versioned):
    """A cybersecurity auditor: the Annex 14 application (p. 126.1) and its place in the register (p. 125–128).

    Annex 14 is a title only in the draft; the fields are those p. 125 asks the Committee to check:
    identity and contacts, the p. 93 data (registration, board and council, beneficial owners,
    shareholders; or citizenship), certificates (p. 125.2, ``AuditorCertificate``) and technical
    means (p. 125.3). ``eligibility`` is the stored output of the ``auditor-eligibility`` rule.
    """

    kind = models.CharField(_("Auditora veids"), max_length=16, choices=AuditorKind.choices)
    name = models.CharField(_("Nosaukums vai vārds, uzvārds"), max_length=255)
    registration_number = models.CharField(_("Reģistrācijas numurs"), max_length=32, blank=True)
    registration_country = models.CharField(_("Reģistrācijas valsts"), max_length=2, blank=True)
    citizenships = models.JSONField(_("Pilsonība"), default=list, blank=True)
    address = models.CharField(_("Adrese"), max_length=255)
    email = models.EmailField(_("E-pasts"))
    phone = models.CharField(_("Tālrunis"), max_length=32)
    website = models.URLField(_("Tīmekļvietne"), blank=True)
    contact_person = models.CharField(_("Kontaktpersona"), max_length=200, blank=True)
    # p. 93.1.2–93.1.4 of a legal person: [{"name": ..., "citizenships": [...]}] and shareholders with a kind.
    board_members = models.JSONField(_("Valdes un padomes locekļi"), default=list, blank=True)
    beneficial_owners = models.JSONField(_("Patiesie labuma guvēji"), default=list, blank=True)
    shareholders = models.JSONField(_("Dalībnieki un kapitāla daļu turētāji"), default=list, blank=True)
    technical_capability = models.TextField(_("Tehniskās iespējas (125.3.)"), blank=True)
    application_signed_on = models.DateField(_("Pieteikums parakstīts"))

    status = models.CharField(
        _("Statuss"), max_length=16, choices=AuditorStatus.choices, default=AuditorStatus.REGISTERED
    )
    eligible = models.BooleanField(_("Atbilst 125. punktam"), default=False)
    eligibility = models.JSONField(default=dict, blank=True)
    registered_on = models.DateField(_("Reģistrēts"), null=True, blank=True)
    removed_on = models.DateField(_("Izslēgts"), null=True, blank=True)
    removal_reason = models.CharField(_("Izslēgšanas pamats"), max_length=8, choices=RemovalReason.choices, blank=True)
    decision_note = models.TextField(_("Lēmuma pamatojums"), blank=True)
    # The auditor's own accounts (role "auditor"): they report changes (p. 127) and see their audits.
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="auditor_entries")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("Auditors")
        verbose_name_plural = _("Auditori")
        indexes = [models.Index(fields=["status", "name"])]

    def __str__(self) -> str:
        return self.name


class AuditorCertificate(models.Model):
    """A certificate of p. 125.2 and its copy (p. 126.2); the copy is never public."""

    auditor = models.ForeignKey(Auditor, on_delete=models.PROTECT, related_name="certificates")
    kind = models.CharField(_("Sertifikāts"), max_length=40, choices=CertificateKind.choices)
    other_name = models.CharField(_("Cita sertifikāta nosaukums"), max_length=100, blank=True)
    holder = models.CharField(_("Sertifikāta turētājs"), max_length=200)
    number = models.CharField(_("Sertifikāta numurs"), max_length=100, blank=True)
    valid_until = models.DateField(_("Derīgs līdz"), null=True, blank=True)
    file = models.FileField(upload_to=GeneratedName("supervision/certificates"))
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["auditor_id", "kind", "id"]
        verbose_name = _("Auditora sertifikāts")
        verbose_name_plural = _("Auditora sertifikāti")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.other_name if self.kind == CertificateKind.OTHER and self.other_name else self.get_kind_display()


class AuditorChange(models.Model):
    """A change in the application data reported by the auditor (p. 127: at the latest within a month)."""

    auditor = models.ForeignKey(Auditor, on_delete=models.PROTECT, related_name="changes")
    changed_on = models.DateField(_("Izmaiņu datums"))
    reported_on = models.DateField(_("Paziņots"))
    due_on = models.DateField(_("Jāpaziņo līdz"))
    description = models.TextField(_("Izmaiņu apraksts"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    handled_on = models.DateField(_("Izskatīts"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handling_note = models.TextField(_("Komitejas piezīme"), blank=True)

    class Meta:
        ordering = ["-reported_on", "-id"]
        verbose_name = _("Auditora ziņas par izmaiņām")
        verbose_name_plural = _("Auditoru ziņas par izmaiņām")

    def __str__(self) -> str:
        return f"{self.auditor}: {self.changed_on}"

    @property
    def late(self) -> bool:
        return self.reported_on > self.due_on


class RegisterReview(models.Model):
    """The Committee's review of the whole list, at least once per calendar year (p. 129)."""

    reviewed_on = models.DateField(_("Pārskatīts"))
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("Piezīme"), blank=True)
    registered_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        verbose_name = _("Auditoru saraksta pārskatīšana")
        verbose_name_plural = _("Auditoru saraksta pārskatīšanas")

    def __str__(self) -> str:
        return str(self.reviewed_on)


class Audit(Versioned):
    """A subject's compliance audit by a registered auditor (p. 130–131), with its report and findings.

    The contract's p. 130 guarantees are a checklist the subject confirms; the p. 130.3 independence
    (no part in the audited systems' development, maintenance or testing in the last three years) and,
    for a CI owner, SAB's opinion before the contract (p. 131) are checked when the audit is recorded.
    """

    organisation = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT, related_name="audits")
    auditor = models.ForeignKey(Auditor, on_delete=models.PROTECT, related_name="audits")
    systems = models.ManyToManyField("assets.InformationSystem", blank=True, related_name="audits")
    scope = models.TextField(_("Audita apjoms"))
    contract_signed_on = models.DateField(_("Līgums noslēgts"))
    guarantee_130_1 = models.BooleanField(default=False)
    guarantee_130_2 = models.BooleanField(default=False)
    guarantee_130_3 = models.BooleanField(default=False)
    guarantee_130_4 = models.BooleanField(default=False)
    auditor_last_involved_on = models.DateField(
        _("Auditora pēdējā dalība auditējamo sistēmu izstrādē, uzturēšanā vai testēšanā"), null=True, blank=True
    )
    sab_opinion_on = models.DateField(_("SAB atzinums saņemts"), null=True, blank=True)
    sab_opinion_reference = models.CharField(_("SAB atzinuma numurs"), max_length=100, blank=True)
    status = models.CharField(_("Statuss"), max_length=16, choices=AuditStatus.choices, default=AuditStatus.PLANNED)
    starts_on = models.DateField(_("Sākums"), null=True, blank=True)
    completed_on = models.DateField(_("Pabeigts"), null=True, blank=True)
    # The checks made when the audit was recorded: [{"check": ..., "basis": ..., "ok": ...}].
    checks = models.JSONField(default=list, blank=True)
    report = models.FileField(upload_to=GeneratedName("supervision/audit-reports"), blank=True)
    report_name = models.CharField(max_length=255, blank=True)
    report_sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-contract_signed_on", "-id"]
        verbose_name = _("Atbilstības audits")
        verbose_name_plural = _("Atbilstības auditi")

    def __str__(self) -> str:
        return f"{self.organisation} — {self.auditor} ({self.contract_signed_on:%d.%m.%Y})"


class AuditFinding(Versioned):
    """A finding of an audit and the action that remedies it: owner and due date, followed by the supervisor."""

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="findings")
    title = models.CharField(_("Konstatējums"), max_length=255)
    severity = models.CharField(_("Nozīmīgums"), max_length=16, choices=FindingSeverity.choices)
    requirement = models.CharField(_("Prasības punkts"), max_length=50, blank=True)
    action = models.TextField(_("Novēršanas pasākums"))
    owner = models.CharField(_("Atbildīgais"), max_length=200)
    due_on = models.DateField(_("Izpildes termiņš"))
    status = models.CharField(_("Statuss"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    done_on = models.DateField(_("Izpildīts"), null=True, blank=True)
    note = models.TextField(_("Piezīme"), blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("Audita konstatējums")
        verbose_name_plural = _("Audita konstatējumi")

    def __str__(self) -> str:
        return self.title


# --------------------------------------------------------------------------------------- penetration tests (p. 132–135)


class Pentest(Versioned):
    """A penetration test of one information system: why (p. 132), who tests (p. 133–134), results to SAB (p. 135)."""

    organisation = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT, related_name="pentests")
    system = models.ForeignKey("assets.InformationSystem", on_delete=models.PROTECT, related_name="pentests")
    trigger = models.CharField(_("Pamats"), max_length=8, choices=PentestTrigger.choices)
    ordered_by = models.CharField(_("Pieprasīja"), max_length=8, choices=Authority.choices, blank=True)
    grounds = models.JSONField(_("Apsvērumi (140. p.)"), default=list, blank=True)
    order_note = models.TextField(_("Pieprasījuma pamatojums"), blank=True)
    ordered_on = models.DateField(_("Pieprasīts"), null=True, blank=True)
    due_by = models.DateField(_("Veikt līdz"), null=True, blank=True)
    tester = models.CharField(_("Testētājs"), max_length=16, choices=Tester.choices, blank=True)
    tester_name = models.CharField(_("Testētāja nosaukums vai vārds"), max_length=200, blank=True)
    tester_certificate = models.CharField(_("Testētāja sertifikāts (piem., CEH, OSCP)"), max_length=100, blank=True)
    tester_experience_years = models.PositiveSmallIntegerField(_("Testētāja pieredze, gadi"), null=True, blank=True)
    tester_last_involved_on = models.DateField(
        _("Testētāja pēdējā dalība sistēmas izstrādē vai uzturēšanā"), null=True, blank=True
    )
    sab_opinion_on = models.DateField(_("SAB atzinums vai saskaņojums"), null=True, blank=True)
    status = models.CharField(_("Statuss"), max_length=8, choices=PentestStatus.choices, default=PentestStatus.PLANNED)
    performed_on = models.DateField(_("Veikts"), null=True, blank=True)
    results_on = models.DateField(_("Rezultāti saņemti"), null=True, blank=True)
    results_summary = models.TextField(_("Rezultātu kopsavilkums"), blank=True)
    results_to_sab_due = models.DateField(_("Rezultāti SAB līdz"), null=True, blank=True)
    results_sent_to_sab_on = models.DateField(_("Rezultāti nosūtīti SAB"), null=True, blank=True)
    obligations = models.JSONField(default=dict, blank=True)  # stored output of supervision-obligations
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Ielaušanās tests")
        verbose_name_plural = _("Ielaušanās testi")

    def __str__(self) -> str:
        return f"{self.system} ({self.get_trigger_display()})"


# --------------------------------------------------------------------------------------- non-compliance (p. 155–157)


class NonCompliance(Versioned):
    """A non-compliance the supervisor found, its remedy deadline and, when it passes, the escalation (p. 155–157)."""

    organisation = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT, related_name="non_compliances")
    supervisor = models.CharField(_("Uzraugs"), max_length=8, choices=Authority.choices)
    source = models.CharField(_("Konstatēts"), max_length=16, choices=NonComplianceSource.choices)
    source_reference = models.CharField(_("Atsauce"), max_length=200, blank=True)
    requirement = models.CharField(_("Prasības punkts"), max_length=50, blank=True)
    description = models.TextField(_("Neatbilstība"))
    found_on = models.DateField(_("Konstatēta"))
    remedy_by = models.DateField(_("Novērst līdz"))
    public_body_type = models.CharField(
        _("Subjekta veids (155.–157. p.)"), max_length=48, choices=PublicBodyType.choices
    )
    status = models.CharField(
        _("Statuss"), max_length=16, choices=NonComplianceStatus.choices, default=NonComplianceStatus.OPEN
    )
    remedied_on = models.DateField(_("Novērsta"), null=True, blank=True)
    escalated_on = models.DateField(_("Ziņots"), null=True, blank=True)
    escalation = models.JSONField(default=dict, blank=True)  # stored output of escalation-target
    letter = models.FileField(upload_to=GeneratedName("supervision/letters"), blank=True)
    closed_on = models.DateField(_("Slēgta"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["remedy_by", "id"]
        verbose_name = _("Neatbilstība")
        verbose_name_plural = _("Neatbilstības")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.description[:60]}"


class NonComplianceProgress(models.Model):
    """A step towards closure after the escalation (the Cabinet member's or council's report, the remedy)."""

    non_compliance = models.ForeignKey(NonCompliance, on_delete=models.PROTECT, related_name="progress")
    on = models.DateField(_("Datums"))
    note = models.TextField(_("Gaita"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("Neatbilstības novēršanas gaita")
        verbose_name_plural = _("Neatbilstību novēršanas gaita")

    def __str__(self) -> str:
        return f"{self.non_compliance_id}: {self.on}"


# --------------------------------------------------------------------------------------- security scans (p. 136–141)


class Scan(Versioned):
    """A security scan of a subject's ICT infrastructure (p. 136–141). Everything about it is restricted (p. 139.6)."""

    organisation = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT, related_name="scans")
    requested_by = models.CharField(_("Pieprasīja"), max_length=8, choices=ScanRequester.choices)
    grounds = models.JSONField(_("Apsvērumi (140. p.)"), default=list, blank=True)
    performer = models.CharField(_("Veicējs"), max_length=32, choices=ScanPerformer.choices)
    performer_name = models.CharField(_("Veicēja nosaukums"), max_length=200, blank=True)
    whole_infrastructure = models.BooleanField(_("Visa IKT infrastruktūra (138. p.)"), default=True)
    scope = models.TextField(_("Apjoms, ja ne visa infrastruktūra"), blank=True)
    starts_at = models.DateTimeField(_("Sākums"))
    duration_hours = models.PositiveSmallIntegerField(_("Ilgums, stundas"))
    notice_sent_at = models.DateTimeField(_("Rakstisks paziņojums nosūtīts"), null=True, blank=True)
    results_summary = models.TextField(_("Rezultātu kopsavilkums"), blank=True)
    recommendations = models.TextField(_("Ieteikumi"), blank=True)
    results_delivered_at = models.DateTimeField(_("Rezultāti nosūtīti"), null=True, blank=True)
    obligations = models.JSONField(default=dict, blank=True)  # stored output of supervision-obligations
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("Drošības skenēšana")
        verbose_name_plural = _("Drošības skenēšanas")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.starts_at:%d.%m.%Y}"


# ---------------------------------------------------------------------------- early-warning sensors (p. 142–150)


class SensorSiting(models.Model):
    """CERT.LV's assessment of one subject for sensors: the p. 145 considerations and the p. 150 exclusion."""

    organisation = models.OneToOneField("registry.Organisation", on_delete=models.CASCADE, related_name="sensor_siting")
    csirt_soc_present = models.BooleanField(_("Subjektā ir CERT.LV drošības operāciju centrs (150. p.)"), default=False)
    considerations = models.JSONField(_("Apsvērumi (145. p.)"), default=list, blank=True)
    note = models.TextField(_("Piezīme"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Sensoru izvietošanas vērtējums")
        verbose_name_plural = _("Sensoru izvietošanas vērtējumi")

    def __str__(self) -> str:
        return str(self.organisation)


class Sensor(Versioned):
    """An early-warning sensor of CERT.LV in a subject's infrastructure (p. 142–150)."""

    organisation = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT, related_name="sensors")
    location = models.CharField(_("Atrašanās vieta infrastruktūrā"), max_length=255)
    systems = models.ManyToManyField("assets.InformationSystem", blank=True, related_name="sensors")
    operator = models.CharField(_("Izvieto un uztur (143. p.)"), max_length=200, default="CERT.LV")
    state = models.CharField(_("Stāvoklis"), max_length=16, choices=SensorState.choices, default=SensorState.PLANNED)
    note = models.TextField(_("Piezīme"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation_id", "location"]
        verbose_name = _("Agrās brīdināšanas sensors")
        verbose_name_plural = _("Agrās brīdināšanas sensori")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.location}"


class SensorEvent(models.Model):
    """Installation, maintenance or dismantling: the subject is told in 5 working days (p. 147), SAB at once for CI."""

    sensor = models.ForeignKey(Sensor, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("Darbība"), max_length=16, choices=SensorEventKind.choices)
    on = models.DateField(_("Datums"))
    subject_notice_due = models.DateField(_("Subjektu informēt līdz"))
    subject_informed_on = models.DateField(_("Subjekts informēts"), null=True, blank=True)
    sab_informed_at = models.DateTimeField(_("SAB informēts"), null=True, blank=True)
    note = models.TextField(_("Piezīme"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("Sensora darbība")
        verbose_name_plural = _("Sensoru darbības")

    def __str__(self) -> str:
        return f"{self.sensor}: {self.kind} {self.on}"
