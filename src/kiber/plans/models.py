"""Strategy action plans and ICT roadmaps: institutions, plans, tables, tasks, reporting rounds, progress.

The layout follows seed 000 (annex 1 of the informative report on the Cybersecurity Strategy
2014-2018 action plan) and seed 002 §4 Table 10 (the 2024-2029 ICT infrastructure and
cybersecurity roadmap). Text cells are stored as written; ``None`` means the cell was lost in the
source ("missing cells kept as missing"), ``""`` means the source cell is empty.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kiber.plans.choices import (
    DeadlineKind,
    InstitutionKind,
    PlanKind,
    Priority,
    Progress,
    ReportState,
    Status,
    TaskRole,
)
from kiber.versioning import Versioned


class Institution(models.Model):
    """A state institution (or a group such as "Ministrijas") named in a plan, by its abbreviation.

    Ministries are not necessarily registry subjects, so this register is the plans app's own; an
    institution that is also a registry subject may be linked to its Organisation.
    """

    abbreviation = models.CharField(_("Saīsinājums"), max_length=80, unique=True)
    aliases = models.JSONField(_("Citi pieraksti"), default=list, blank=True)
    name = models.CharField(_("Nosaukums"), max_length=255)
    name_en = models.CharField(_("Nosaukums angliski"), max_length=255, blank=True)
    kind = models.CharField(_("Veids"), max_length=20, choices=InstitutionKind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    organisation = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="plan_institutions"
    )
    note = models.CharField(_("Piezīme"), max_length=255, blank=True)

    class Meta:
        ordering = ["abbreviation"]
        verbose_name = _("Institūcija")
        verbose_name_plural = _("Institūcijas")

    def __str__(self) -> str:
        return self.abbreviation


class InstitutionMember(models.Model):
    """Links a platform user to the institution on whose behalf it reports; a coordinator of the
    institution that owns a plan coordinates that plan's reporting rounds."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plans_membership")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="members")
    is_coordinator = models.BooleanField(_("Koordinators"), default=False)

    class Meta:
        verbose_name = _("Institūcijas lietotājs")
        verbose_name_plural = _("Institūciju lietotāji")

    def __str__(self) -> str:
        return f"{self.user} · {self.institution}"


class Plan(models.Model):
    code = models.SlugField(_("Kods"), max_length=80, unique=True)
    kind = models.CharField(_("Veids"), max_length=20, choices=PlanKind.choices)
    title = models.CharField(_("Nosaukums"), max_length=400)
    period_start = models.PositiveSmallIntegerField(_("Perioda sākums"))
    period_end = models.PositiveSmallIntegerField(_("Perioda beigas"))
    owner = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="owned_plans",
                              verbose_name=_("Atbildīgā (koordinējošā) institūcija"))
    legal_basis = models.TextField(_("Tiesiskais pamats"), blank=True)
    funding_note = models.TextField(_("Finansējums"), blank=True)
    classification = models.CharField(_("Klasifikācija"), max_length=60, blank=True)
    report_title = models.CharField(_("Ziņojuma nosaukums"), max_length=400, blank=True)
    source = models.TextField(_("Avots"), blank=True)

    class Meta:
        ordering = ["period_start", "code"]
        verbose_name = _("Plāns")
        verbose_name_plural = _("Plāni")

    def __str__(self) -> str:
        return self.title

    @property
    def period(self) -> str:
        return f"{self.period_start}–{self.period_end}"


class Direction(models.Model):
    """A table of the action plan ("1. tabula") or a numbered direction of a roadmap."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="directions")
    number = models.PositiveSmallIntegerField(_("Numurs"))
    title = models.CharField(_("Nosaukums"), max_length=300, null=True, blank=True)  # noqa: DJ001 (None = lost in the source)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plans_direction_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title or '—'}"


class Section(models.Model):
    """A sub-heading inside a table ("Nacionālā kiberdrošība") or a roadmap group ("1.1. Mākoņa brokeris")."""

    direction = models.ForeignKey(Direction, on_delete=models.CASCADE, related_name="sections")
    number = models.CharField(_("Numurs"), max_length=20, blank=True)
    title = models.CharField(_("Nosaukums"), max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["direction", "order"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


def number_sort_key(number: str) -> str:
    """'1.10.' sorts after '1.9.': every numeric part zero-padded."""
    parts = [p for p in number.replace(" ", "").split(".") if p]
    return ".".join(p.zfill(4) if p.isdigit() else p for p in parts)


class Task(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    direction = models.ForeignKey(Direction, on_delete=models.CASCADE, related_name="tasks")
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks")
    number = models.CharField(_("Nr."), max_length=20)
    number_inferred = models.BooleanField(_("Numurs secināts"), default=False)
    sort_key = models.CharField(max_length=60, editable=False)
    text = models.TextField(_("Uzdevums"))
    footnote = models.TextField(_("Zemsvītras piezīme"), blank=True)
    expected_result = models.TextField(_("Apraksts (sagaidāmais rezultāts)"), blank=True)
    deadline_text = models.CharField(_("Izpildes termiņš (kā rakstīts)"), max_length=60, null=True, blank=True)  # noqa: DJ001 (None = lost in the source)
    deadline_kind = models.CharField(_("Termiņa veids"), max_length=10, choices=DeadlineKind.choices)
    deadline_date = models.DateField(_("Izpildes termiņš (datums)"), null=True, blank=True)
    deadline_year = models.PositiveSmallIntegerField(null=True, blank=True)
    deadline_quarter = models.PositiveSmallIntegerField(null=True, blank=True)
    responsible_text = models.CharField(_("Atbildīgā institūcija"), max_length=300, null=True, blank=True)  # noqa: DJ001 (None = lost in the source)
    involved_text = models.CharField(_("Iesaistītās institūcijas"), max_length=400, null=True, blank=True)  # noqa: DJ001 (None = lost in the source)
    institutions = models.ManyToManyField(Institution, through="TaskInstitution", related_name="tasks")
    funding_needed_text = models.TextField(  # noqa: DJ001 (None = lost in the source)
        _("Nepieciešamais finansējums (indikatīvi) un tā avoti"), null=True, blank=True)
    funding_granted_text = models.TextField(_("Piešķirtais finansējums"), null=True, blank=True)  # noqa: DJ001 (None = lost in the source)
    funding_needed_eur = models.DecimalField(_("Nepieciešamais finansējums, EUR"), max_digits=14,
                                             decimal_places=2, null=True, blank=True)
    funding_granted_eur = models.DecimalField(_("Piešķirtais finansējums, EUR"), max_digits=14,
                                              decimal_places=2, null=True, blank=True)
    funding_granted_none = models.BooleanField(_("Finansējums nav piešķirts"), default=False)
    priority = models.CharField(_("Prioritāte"), max_length=10, choices=Priority.choices, blank=True)
    priority_text = models.CharField(_("Prioritāte (kā rakstīts)"), max_length=30, blank=True)
    prerequisites = models.TextField(_("Priekšnosacījumi"), blank=True)
    depends_on = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="dependents",
                                        verbose_name=_("Atkarīgs no"))
    source_notes = models.JSONField(_("Piezīmes par avotu"), default=list, blank=True)
    missing_fields = models.JSONField(_("Avotā trūkstošās šūnas"), default=list, blank=True)

    class Meta:
        ordering = ["plan", "sort_key"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plans_task_unique_number")]

    def __str__(self) -> str:
        return f"{self.number} {self.text[:80]}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.sort_key = number_sort_key(self.number)
        super().save(*args, **kwargs)

    @property
    def responsible_institutions(self) -> list[Institution]:
        return [link.institution for link in self.links.all() if link.role == TaskRole.RESPONSIBLE]

    @property
    def involved_institutions(self) -> list[Institution]:
        return [link.institution for link in self.links.all() if link.role == TaskRole.INVOLVED]

    def rule_deadline(self) -> str | None:
        """The deadline in a form the ``action-plan-status`` rule parses, or None when unknown."""
        if self.deadline_kind == DeadlineKind.ONGOING:
            return "Pastāvīgi"
        if self.deadline_kind in (DeadlineKind.QUARTER, DeadlineKind.YEAR) and self.deadline_text:
            return self.deadline_text
        if self.deadline_date is not None:
            return self.deadline_date.isoformat()
        return None


class TaskInstitution(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="links")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="task_links")
    role = models.CharField(max_length=12, choices=TaskRole.choices)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["task", "role", "order"]
        constraints = [
            models.UniqueConstraint(fields=["task", "institution", "role"], name="plans_taskinstitution_unique")
        ]

    def __str__(self) -> str:
        return f"{self.task.number} {self.role} {self.institution}"


class RestrictedReference(models.Model):
    """A pointer row for tasks held in a restricted annex ("DIENESTA VAJADZĪBĀM"): numbers only."""

    direction = models.ForeignKey(Direction, on_delete=models.CASCADE, related_name="restricted_refs")
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.SET_NULL)
    numbers = models.JSONField(_("Uzdevumu numuri"), default=list)
    text = models.TextField(_("Teksts"))
    sort_key = models.CharField(max_length=60)

    class Meta:
        ordering = ["direction", "sort_key"]

    def __str__(self) -> str:
        return self.text[:80]


class ReportingRound(models.Model):
    """One collection of progress reports on a plan, with the date the information is given for."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="rounds")
    title = models.CharField(_("Nosaukums"), max_length=200)
    as_of = models.DateField(_("Informācija uz datumu"))
    as_of_note = models.CharField(_("Datuma pamatojums"), max_length=400, blank=True)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        ordering = ["plan", "-as_of"]

    def __str__(self) -> str:
        return f"{self.plan.code}: {self.title}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class ProgressReport(Versioned):
    """Per round, per task: what the responsible institution reports, and the status that follows."""

    round = models.ForeignKey(ReportingRound, on_delete=models.CASCADE, related_name="reports")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    institution = models.ForeignKey(Institution, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="reports")
    progress = models.CharField(_("Izpilde"), max_length=10, choices=Progress.choices, null=True, blank=True)  # noqa: DJ001 (None = lost in the source)
    work_ongoing = models.BooleanField(_("Darbības tiek veiktas"), default=False)
    relevant = models.BooleanField(_("Uzdevums ir aktuāls"), default=True)
    continues = models.BooleanField(_("Uzdevums tiks īstenots arī turpmāk"), default=False)
    description = models.TextField(_("Apraksts par uzdevuma vai pasākuma izpildi"), blank=True)
    challenges = models.TextField(_("Konstatētie izaicinājumi"), blank=True)
    description_header = models.CharField(max_length=200, blank=True)
    source_status_text = models.CharField(_("Statuss avotā"), max_length=200, null=True, blank=True)  # noqa: DJ001 (None = lost in the source)
    computed_status = models.CharField(_("Aprēķinātais statuss"), max_length=24, choices=Status.choices[:6],
                                       blank=True)
    status_basis = models.JSONField(default=list, blank=True)
    override_status = models.CharField(_("Koordinatora noteiktais statuss"), max_length=24,
                                       choices=Status.choices, blank=True)
    override_reason = models.TextField(_("Pamatojums"), blank=True)
    overridden_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    overridden_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(_("Stāvoklis"), max_length=12, choices=ReportState.choices, default=ReportState.DRAFT)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "task"], name="plans_report_one_per_task")]

    def __str__(self) -> str:
        return f"{self.round} · {self.task.number}"

    @property
    def status(self) -> str:
        """The effective status: the coordinator's override, else the rule's result, else ''."""
        return self.override_status or self.computed_status


class ReportVersion(models.Model):
    """A submitted progress report, frozen: JSON snapshot and its SHA-256. Never updated."""

    report = models.ForeignKey(ProgressReport, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    sha256 = models.CharField(max_length=64)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="plans_reportversion_unique")]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"

