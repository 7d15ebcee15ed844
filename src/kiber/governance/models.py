"""Governance records a subject keeps beyond the catalogue (22-TA-3183 ch. 3.2–3.5, 4, 5).

- ``ManagementDocument``: a document of one of the four parts of the management documentation set
  (p. 23–24), one row per approved version (``previous`` links a version to the one it replaces); the
  next review due from the ``review-intervals`` rule (p. 29, 41), the separate copy (p. 27), the
  policy's content checklist (p. 30), the file (never public, p. 25) and, for a CI owner's policy and
  plan, the delivery to SAB within a month (p. 28.1).
- ``Provider``, ``OutsourcingContract``: the outsourcing register (p. 85–105); the contract's
  eligibility is the stored output of the ``outsourcing-eligibility`` rule.
- ``SabOpinionRequest``, ``ConsentFile``: a request for SAB's opinion (p. 92–97, 102–103) with the
  consents of p. 95.2 / 103.2, and SAB's answer.
- ``RiskMethodology``, ``Risk``, ``Measure``: the risk assessment and treatment plan (p. 42.1–42.3).
- ``ContinuityObjective``: per system, the continuity characteristics of p. 42.4 and 43.2–43.3.

Only ``kiber.governance.services`` writes these rows.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kiber.assets.models import InformationSystem
from kiber.governance.choices import (
    ContractStatus,
    ContractSubject,
    DocumentPart,
    Eligibility,
    MeasureStatus,
    OpinionStatus,
    PartyKind,
    Vetting,
)
from kiber.registry.models import Organisation
from kiber.versioning import Versioned
from kiber.web.files import GeneratedName


class ManagementDocument(Versioned):
    """One approved version of a document of the management documentation set (p. 23–30)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="governance_documents")
    part = models.CharField(_("Dokumentu kopuma daļa"), max_length=16, choices=DocumentPart.choices)
    title = models.CharField(_("Nosaukums"), max_length=255)
    edition = models.CharField(_("Dokumenta versija"), max_length=32)
    approved_on = models.DateField(_("Apstiprināts"))
    approved_by = models.CharField(_("Apstiprinātājs"), max_length=200)
    copy_location = models.CharField(
        _("Kur glabājas atsevišķā kopija (27. p.)"),
        max_length=255,
        help_text=_("Kopija tiek glabāta atsevišķi no oriģināla un ir pieejama, ja oriģināls nav pieejams."),
    )
    planned_review_on = models.DateField(
        _("Plānotā pārskatīšana"),
        null=True,
        blank=True,
        help_text=_("Nav obligāta; ne agrāk par šodienu un ne vēlāk par noteikto termiņu."),
    )
    content_points = models.JSONField(_("Politikas saturs (30. p.)"), default=list, blank=True)
    # Stored output of the review-intervals rule (None where the point sets no period).
    review_due = models.DateField(_("Nākamā pārskatīšana līdz"), null=True, blank=True)
    review_basis = models.JSONField(default=list, blank=True)
    file = models.FileField(_("Fails"), upload_to=GeneratedName("governance/documents"), blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_version"
    )
    # p. 28.1: a CI owner's policy and plan go to SAB within a month of approval or update.
    sab_due = models.DateField(_("Iesniegt SAB līdz"), null=True, blank=True)
    sab_delivered_at = models.DateTimeField(_("Iesniegts SAB"), null=True, blank=True)
    sab_received_at = models.DateTimeField(_("SAB saņēma"), null=True, blank=True)
    created_by = models.ForeignKey("registry.User", null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation_id", "part", "title", "-approved_on", "-id"]
        verbose_name = _("Pārvaldības dokuments")
        verbose_name_plural = _("Pārvaldības dokumenti")

    def __str__(self) -> str:
        return f"{self.title} v{self.edition}"

    def get_absolute_url(self) -> str:
        return reverse("governance:document", kwargs={"pk": self.pk})


class Provider(Versioned):
    """A provider or manufacturer in the subject's outsourcing register, with who owns and runs it.

    ``board_members``, ``beneficial_owners``: ``[{"name", "citizenships": [...]}]``; ``shareholders``:
    ``[{"name", "kind", "registration_country", "citizenships"}]`` — the rule's input, as entered.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="outsourcing_providers")
    name = models.CharField(_("Nosaukums vai vārds, uzvārds"), max_length=255)
    registration_number = models.CharField(_("Reģistrācijas numurs"), max_length=64, blank=True)
    kind = models.CharField(_("Veids"), max_length=16, choices=PartyKind.choices, default=PartyKind.LEGAL)
    registration_country = models.CharField(_("Reģistrācijas valsts"), max_length=2, blank=True)
    citizenships = models.JSONField(_("Pilsonība"), default=list, blank=True)
    board_members = models.JSONField(_("Valdes un padomes locekļi"), default=list, blank=True)
    shareholders = models.JSONField(_("Dalībnieki un kapitāla daļu turētāji"), default=list, blank=True)
    beneficial_owners = models.JSONField(_("Patiesie labuma guvēji"), default=list, blank=True)
    public_person_holder = models.BooleanField(
        _("Kapitāldaļu turētājs vai netiešās ietekmes guvējs ir publiska persona (92., 94.1., 102.1. p.)"),
        default=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation_id", "name"]
        verbose_name = _("Ārpakalpojuma sniedzējs")
        verbose_name_plural = _("Ārpakalpojuma sniedzēji")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:provider", kwargs={"pk": self.pk})


class OutsourcingContract(Versioned):
    """An outsourcing contract (p. 85–91) with its stored eligibility (``outsourcing-eligibility`` rule)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="outsourcing_contracts")
    title = models.CharField(_("Līguma nosaukums"), max_length=255)
    description = models.TextField(_("Pakalpojumi vai tehniskie resursi"))
    contract_subject = models.CharField(_("Līguma priekšmets"), max_length=32, choices=ContractSubject.choices)
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("Ārpakalpojuma sniedzējs")
    )
    manufacturer = models.ForeignKey(
        Provider,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="manufactured_for",
        verbose_name=_("Tehniskā resursa ražotājs"),
    )
    subcontractors = models.ManyToManyField(
        Provider, blank=True, related_name="subcontracted_in", verbose_name=_("Apakšuzņēmēji")
    )
    systems = models.ManyToManyField(
        InformationSystem, blank=True, related_name="outsourcing_contracts", verbose_name=_("Skartās sistēmas")
    )
    personnel = models.JSONField(_("Iesaistītās fiziskās personas (90. p.)"), default=list, blank=True)
    clauses = models.JSONField(_("Līguma noteikumi (86.–87. p.)"), default=list, blank=True)
    risk_assessment = models.TextField(_("Risku novērtējums, arī piegādes ķēdes (88. p.)"), blank=True)
    exit_strategy = models.TextField(_("Izbeigšanas stratēģija (88. p.)"), blank=True)
    manager_agreed_on = models.DateField(_("Saskaņots ar kiberdrošības pārvaldnieku (91. p.)"), null=True, blank=True)
    supervising_person = models.CharField(_("Atbildīgais par līguma izpildes uzraudzību (91. p.)"), max_length=200)
    pecn_critical_part = models.BooleanField(
        _("Publiskā elektronisko sakaru tīkla kritiskā daļa (101. p.)"), default=False
    )
    concluded_before_entry_into_force = models.BooleanField(
        _("Noslēgts pirms noteikumu spēkā stāšanās (164.–167. p.)"), default=False
    )
    contract_end = models.DateField(_("Līguma beigas"), null=True, blank=True)
    status = models.CharField(_("Statuss"), max_length=16, choices=ContractStatus.choices, default=ContractStatus.DRAFT)
    concluded_on = models.DateField(_("Noslēgts"), null=True, blank=True)
    decision = models.CharField(_("Atbilstība"), max_length=24, choices=Eligibility.choices, blank=True)
    eligibility = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation_id", "title"]
        verbose_name = _("Ārpakalpojuma līgums")
        verbose_name_plural = _("Ārpakalpojuma līgumi")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:contract", kwargs={"pk": self.pk})


class SabOpinionRequest(Versioned):
    """A request for SAB's opinion on a contract (p. 92, 94.2, 102.2; Annex 7) and SAB's answer."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="sab_opinion_requests")
    contract = models.ForeignKey(OutsourcingContract, on_delete=models.PROTECT, related_name="opinion_requests")
    request_file = models.FileField(
        _("Parakstīta pieprasījuma veidlapa (7. pielikums)"), upload_to=GeneratedName("governance/opinions")
    )
    request_file_name = models.CharField(max_length=255)
    note = models.TextField(_("Piezīmes"), blank=True)
    status = models.CharField(_("Statuss"), max_length=16, choices=OpinionStatus.choices, default=OpinionStatus.FILED)
    opinion_text = models.TextField(_("Atzinums"), blank=True)
    filed_by = models.ForeignKey("registry.User", null=True, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(_("Iesniegts"))
    decided_by = models.ForeignKey("registry.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("Atzinums sniegts"), null=True, blank=True)

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = _("SAB atzinuma pieprasījums")
        verbose_name_plural = _("SAB atzinuma pieprasījumi")

    def __str__(self) -> str:
        return f"{self.contract} — {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("governance:opinion", kwargs={"pk": self.pk})


class ConsentFile(models.Model):
    """A consent to the check (p. 95.2, 103.2): the provider's, a subcontractor's or a person's."""

    request = models.ForeignKey(SabOpinionRequest, on_delete=models.CASCADE, related_name="consents")
    party = models.CharField(_("Kura piekrišana"), max_length=255)
    file = models.FileField(_("Fails"), upload_to=GeneratedName("governance/consents"))
    file_name = models.CharField(max_length=255)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request_id", "id"]
        verbose_name = _("Piekrišana pārbaudei")
        verbose_name_plural = _("Piekrišanas pārbaudei")

    def __str__(self) -> str:
        return self.party


class RiskMethodology(Versioned):
    """The subject's risk assessment methodology (p. 42.1): the scale, the matrix, the acceptance level."""

    organisation = models.OneToOneField(Organisation, on_delete=models.PROTECT, related_name="risk_methodology")
    risk_list = models.TextField(_("Analizējamo kiberrisku uzskaitījums"))
    likelihood_levels = models.JSONField(_("Iespējamības skala"), default=list)
    impact_levels = models.JSONField(_("Ietekmes skala"), default=list)
    acceptable_score = models.PositiveIntegerField(_("Pieņemamā riska vērtība (ieskaitot)"))
    review_period_months = models.PositiveIntegerField(_("Pārskatīšanas periodiskums, mēneši"))
    description = models.TextField(_("Metodoloģijas apraksts"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Kiberrisku novērtēšanas metodika")
        verbose_name_plural = _("Kiberrisku novērtēšanas metodikas")

    def __str__(self) -> str:
        return str(_("Kiberrisku novērtēšanas metodika"))


class Risk(Versioned):
    """An identified cyber risk for a system, network or ICT resource (p. 42.2)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="risks")
    system = models.ForeignKey(
        InformationSystem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="risks",
        verbose_name=_("Informācijas sistēma"),
    )
    scope = models.CharField(_("Tīkls vai IKT resurss"), max_length=255, blank=True)
    title = models.CharField(_("Risks"), max_length=255)
    threat = models.TextField(_("Apdraudējums un ievainojamība"), blank=True)
    supply_chain = models.BooleanField(_("Ar piegādes ķēdi saistīts risks"), default=False)
    likelihood = models.PositiveSmallIntegerField(_("Iespējamība"))
    impact = models.PositiveSmallIntegerField(_("Ietekme"))
    previous_likelihood = models.PositiveSmallIntegerField(_("Iepriekšējā perioda iespējamība"), null=True, blank=True)
    previous_impact = models.PositiveSmallIntegerField(_("Iepriekšējā perioda ietekme"), null=True, blank=True)
    owner = models.CharField(_("Riska īpašnieks"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation_id", "title"]
        verbose_name = _("Kiberrisks")
        verbose_name_plural = _("Kiberriski")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:risk", kwargs={"pk": self.pk})

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def previous_score(self) -> int | None:
        if self.previous_likelihood is None or self.previous_impact is None:
            return None
        return self.previous_likelihood * self.previous_impact


class Measure(Versioned):
    """A treatment measure of the risk management plan (p. 42.3)."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="measures")
    description = models.TextField(_("Pasākums"))
    implementer = models.CharField(_("Atbildīgais par īstenošanu"), max_length=200)
    controller = models.CharField(_("Atbildīgais par kontroli"), max_length=200)
    due_on = models.DateField(_("Termiņš"), null=True, blank=True)
    periodicity = models.CharField(_("Periodiskums"), max_length=100, blank=True)
    status = models.CharField(_("Statuss"), max_length=16, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED)
    progress = models.PositiveSmallIntegerField(_("Izpilde, %"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["risk_id", "due_on", "id"]
        verbose_name = _("Riska pārvaldības pasākums")
        verbose_name_plural = _("Riska pārvaldības pasākumi")

    def __str__(self) -> str:
        return self.description[:80]


class ContinuityObjective(Versioned):
    """Continuity characteristics of one system (p. 42.4) and its reserve resources (p. 43.2–43.3)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="continuity_objectives")
    system = models.OneToOneField(
        InformationSystem, on_delete=models.PROTECT, related_name="continuity", verbose_name=_("Informācijas sistēma")
    )
    rpo_hours = models.PositiveIntegerField(_("RPO (atjaunošanas punkta mērķis), stundas"))
    rto_hours = models.PositiveIntegerField(_("RTO (atjaunošanas laika mērķis), stundas"))
    mtd_hours = models.PositiveIntegerField(_("MTD (maksimāli pieļaujamais dīkstāves laiks), stundas"))
    monitoring = models.TextField(_("Kā raksturlielumi tiek uzraudzīti"))
    exceedance_action = models.TextField(_("Rīcība pārsniegšanas gadījumā"))
    recovery_plan = models.TextField(_("Darbības atjaunošanas plāns nozīmīga incidenta vai krīzes gadījumā"))
    reserve_resources = models.TextField(_("Rezerves IKT resursi (43.2. p.)"), blank=True)
    provider_independent_ip = models.BooleanField(
        _("No interneta piekļuves sniedzēja neatkarīgas IP adreses (43.3. p.)"), default=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation_id", "system__name"]
        verbose_name = _("Darbības nepārtrauktības raksturlielumi")
        verbose_name_plural = _("Darbības nepārtrauktības raksturlielumi")

    def __str__(self) -> str:
        return str(self.system)


class StateThreatPlan(Versioned):
    """A CI owner's continuity plan for a state threat (p. 112–117, Annex 8); one per legal person (p. 116)."""

    organisation = models.OneToOneField(Organisation, on_delete=models.PROTECT, related_name="state_threat_plan")
    responsible_name = models.CharField(_("Atbildīgā persona (112.2. p.)"), max_length=200)
    responsible_email = models.EmailField(_("Atbildīgās personas e-pasts"), blank=True)
    responsible_appointed_on = models.DateField(_("Norīkota"))
    vetting = models.CharField(
        _("SAB pārbaude (113. p.)"), max_length=16, choices=Vetting.choices, default=Vetting.NOT_REQUESTED
    )
    exemption = models.BooleanField(
        _("Jauns plāns netiek izstrādāts: nepārtrauktība jau noteikta citos plānos vai sertificētā sistēmā (115. p.)"),
        default=False,
    )
    exemption_basis = models.TextField(_("Kurš plāns vai sertifikāts (115. p.)"), blank=True)
    content_points = models.JSONField(_("Plāna saturs (8. pielikums)"), default=list, blank=True)
    sab_agreed_on = models.DateField(_("Saskaņots ar SAB (112.1. p.)"), null=True, blank=True)
    approved_on = models.DateField(_("Apstiprināts"), null=True, blank=True)
    sab_delivered_on = models.DateField(_("Nosūtīts SAB (114. p.)"), null=True, blank=True)
    self_assessment_on = models.DateField(_("Pēdējais pašvērtējums par aktualizēšanu (117. p.)"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Darbības nepārtrauktības plāns valsts apdraudējuma gadījumam")
        verbose_name_plural = _("Darbības nepārtrauktības plāni valsts apdraudējuma gadījumam")

    def __str__(self) -> str:
        return str(_("Darbības nepārtrauktības plāns valsts apdraudējuma gadījumam"))


class ProviderChangeReport(models.Model):
    """A change in a provider or subcontractor that breaks p. 93 / p. 100, to be reported to SAB within
    10 working days of learning of it (p. 99 for CI owners, p. 105 for essential providers)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="provider_change_reports")
    contract = models.ForeignKey(OutsourcingContract, on_delete=models.PROTECT, related_name="change_reports")
    learned_on = models.DateField(_("Uzzināts"))
    description = models.TextField(_("Izmaiņas"))
    report_due = models.DateField(_("Paziņot SAB līdz"))
    basis = models.CharField(max_length=32)
    reported_on = models.DateField(_("Paziņots SAB"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-learned_on", "-id"]
        verbose_name = _("Paziņojums par izmaiņām sniedzējā")
        verbose_name_plural = _("Paziņojumi par izmaiņām sniedzējā")

    def __str__(self) -> str:
        return f"{self.contract} — {self.learned_on}"


class PlanResponsibleNotice(Versioned):
    """A CI owner's appointment of the person responsible for the plan (p. 46.1) and SAB informed of it
    within five working days (p. 46.2). The person is the registry's responsible person for the plan."""

    organisation = models.OneToOneField(Organisation, on_delete=models.PROTECT, related_name="plan_responsible_notice")
    appointed_on = models.DateField(_("Noteikta (46.1. p.)"))
    sab_informed_on = models.DateField(_("SAB informēts (46.2. p.)"), null=True, blank=True)

    class Meta:
        verbose_name = _("Paziņojums SAB par atbildīgo personu")
        verbose_name_plural = _("Paziņojumi SAB par atbildīgo personu")

    def __str__(self) -> str:
        return f"{self.organisation} — {self.appointed_on}"
