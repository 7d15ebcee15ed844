"""Requirements in the database, self-assessments (Annex 15), answers, evidence, submissions and reviews.

- ``Requirement``: one item of the requirement catalogue (``kiber/catalogue/requirements/*.yaml``),
  loaded by ``kiber.compliance.loader``. ``version`` goes up when the item's text changes; every text
  ever loaded is kept in ``RequirementVersion``. Answers remember the version they answered, so an
  answer survives an upgrade that leaves its requirement's text unchanged.
- ``Assessment``: the self-assessment campaign of a subject for one due year (p. 151–153).
- ``Answer``: the answer to one applicable requirement (per system where the requirement is per system).
- ``Evidence``: a file attached to an answer, stored through Django's default storage.
- ``AssessmentVersion``: a frozen submission (JSON snapshot + SHA-256 + PDF), immutable.
- ``Delivery``: a version sent to NKC, and to SAB for an ICT critical infrastructure owner (p. 154).
- ``Review`` / ``ReviewComment``: the supervisor's decision and per-item comments.
- ``SectionScore`` / ``RequirementScore``: scores of each version stored at submit time, with
  ``current`` marking the organisation's latest submission — the dashboards aggregate these in SQL.
- ``Schedule``: the organisation's next due date from the ``self-assessment-due`` rule, with its basis.

Only ``kiber.compliance.services`` (and the catalogue loader) write these rows.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kiber.assets.models import InformationSystem
from kiber.documents import Frozen
from kiber.registry.models import Organisation, User
from kiber.versioning import Versioned
from kiber.web.files import GeneratedName


class Requirement(models.Model):
    """A duty of a subject under 22-TA-3183 chapters 3–5, as loaded from the catalogue."""

    ref = models.CharField(_("Identifikators"), max_length=64, unique=True)  # "22-TA-3183:53.1"
    catalogue = models.CharField(max_length=32)
    point = models.CharField(_("Punkts"), max_length=16)
    sort_key = models.PositiveIntegerField(db_index=True)
    chapter_number = models.PositiveSmallIntegerField()
    chapter_title_lv = models.CharField(max_length=255)
    chapter_title_en = models.CharField(max_length=255)
    # The section ("3.7"); a chapter without sections uses its number ("5").
    section_number = models.CharField(_("Nodaļa"), max_length=8, db_index=True)
    section_title_lv = models.CharField(max_length=255)
    section_title_en = models.CharField(max_length=255)
    norm_type = models.CharField(max_length=32)
    lead_lv = models.TextField(blank=True)
    lead_en = models.TextField(blank=True)
    text_lv = models.TextField(_("Teksts"))
    text_en = models.TextField()
    tiers = models.JSONField(default=list)
    classes = models.JSONField(default=list, blank=True)  # [] = subject-wide
    class_basis = models.CharField(max_length=16, blank=True)
    per_system = models.BooleanField(default=False)
    conditions = models.JSONField(default=list, blank=True)  # [{"key": ..., "tiers": [...] | null}]
    evidence = models.JSONField(default=list, blank=True)
    references = models.JSONField(default=list, blank=True)
    note_en = models.TextField(blank=True)
    version = models.PositiveIntegerField(_("Versija"), default=1)
    text_sha256 = models.CharField(max_length=64)
    catalogue_version = models.CharField(max_length=32)
    active = models.BooleanField(default=True)  # False once withdrawn from the catalogue
    loaded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sort_key"]
        verbose_name = _("Prasība")
        verbose_name_plural = _("Prasības")

    def __str__(self) -> str:
        return f"{self.point}. p."

    @property
    def full_text_lv(self) -> str:
        return f"{self.lead_lv} {self.text_lv}".strip()

    @property
    def full_text_en(self) -> str:
        return f"{self.lead_en} {self.text_en}".strip()


class RequirementVersion(models.Model):
    """Every text a requirement has had (the catalogue is versioned data)."""

    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    lead_lv = models.TextField(blank=True)
    lead_en = models.TextField(blank=True)
    text_lv = models.TextField()
    text_en = models.TextField()
    text_sha256 = models.CharField(max_length=64)
    catalogue_version = models.CharField(max_length=32)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["requirement_id", "version"]
        constraints = [
            models.UniqueConstraint(fields=["requirement", "version"], name="compliance_requirement_version")
        ]

    def __str__(self) -> str:
        return f"{self.requirement} v{self.version}"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Aizpildīšanā")
    SUBMITTED = "submitted", _("Iesniegts, gaida izvērtēšanu")
    REVISION = "revision_required", _("Jāprecizē")
    ACCEPTED = "accepted", _("Pieņemts")


class Assessment(models.Model):
    """A subject's self-assessment campaign for one due year (p. 151–154, Annex 15)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="self_assessments")
    year = models.PositiveSmallIntegerField(_("Gads"))
    due_date = models.DateField(_("Iesniegšanas termiņš"))
    due_basis = models.JSONField(default=list, blank=True)
    frequency_years = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(
        _("Statuss"), max_length=24, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    latest_version = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "organisation_id"]
        verbose_name = _("Pašnovērtējums")
        verbose_name_plural = _("Pašnovērtējumi")
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="compliance_one_per_year")]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            # The review queue: submitted assessments, oldest first, one page at a time.
            models.Index(fields=["status", "updated_at", "id"], name="compliance_assessment_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.year}"

    @property
    def editable(self) -> bool:
        return self.status in (AssessmentStatus.DRAFT, AssessmentStatus.REVISION)


class AnswerStatus(models.TextChoices):
    IMPLEMENTED = "implemented", _("Ieviesta")
    PARTIAL = "partial", _("Daļēji ieviesta")
    NOT_IMPLEMENTED = "not_implemented", _("Nav ieviesta")
    NOT_APPLICABLE = "not_applicable", _("Nav attiecināma")


class Answer(Versioned):
    """The answer to one applicable requirement; per system where the requirement is per system."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="answers")
    # A per-system answer; deleting the system from the catalogue removes its working answers
    # (submitted versions keep them in their frozen snapshot).
    system = models.ForeignKey(
        InformationSystem, null=True, blank=True, on_delete=models.CASCADE, related_name="compliance_answers"
    )
    status = models.CharField(_("Statuss"), max_length=20, choices=AnswerStatus.choices)
    comment = models.TextField(_("Komentārs"), blank=True)
    justification = models.TextField(_("Pamatojums neattiecināmībai"), blank=True)
    gap_owner = models.CharField(_("Atbildīgais par novēršanu"), max_length=200, blank=True)
    target_date = models.DateField(_("Novēršanas termiņš"), null=True, blank=True)
    requirement_version = models.PositiveIntegerField()
    updated_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["assessment_id", "requirement__sort_key", "system_id"]
        verbose_name = _("Atbilde")
        verbose_name_plural = _("Atbildes")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "requirement", "system"],
                name="compliance_answer_per_system",
                condition=models.Q(system__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["assessment", "requirement"],
                name="compliance_answer_subject_wide",
                condition=models.Q(system__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requirement} {self.get_status_display()}"

    @property
    def is_outdated(self) -> bool:
        """The requirement's text changed after this answer was given: answer it again."""
        return self.requirement_version != self.requirement.version

    @property
    def is_gap(self) -> bool:
        return self.status in (AnswerStatus.PARTIAL, AnswerStatus.NOT_IMPLEMENTED)


class Evidence(models.Model):
    """A file showing that a requirement is met (type and size checked before saving)."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=GeneratedName("compliance/evidence"))
    original_name = models.CharField(_("Faila nosaukums"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("Apraksts"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["answer_id", "uploaded_at", "id"]
        verbose_name = _("Pierādījums")
        verbose_name_plural = _("Pierādījumi")

    def __str__(self) -> str:
        return self.original_name


class AssessmentVersion(Frozen):
    """A submitted self-assessment, frozen: snapshot, SHA-256 of its canonical JSON, PDF. Immutable."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="versions")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("Versija"))
    snapshot = models.JSONField()
    sha256 = models.CharField(max_length=64)
    pdf = models.FileField(upload_to=GeneratedName("compliance/submissions"), blank=True)
    overall_score = models.FloatField(null=True)
    section_scores = models.JSONField(default=dict)
    restricted = models.BooleanField(_("Ierobežotas pieejamības informācija"), default=False)
    submitted_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["assessment_id", "-number"]
        verbose_name = _("Iesniegtā versija")
        verbose_name_plural = _("Iesniegtās versijas")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="compliance_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.assessment} v{self.number}"


class Recipient(models.TextChoices):
    NKC = "nkc", _("Nacionālais kiberdrošības centrs")
    SAB = "sab", _("Satversmes aizsardzības birojs")


class Delivery(models.Model):
    """A submitted version sent to a supervisory authority (NKC; SAB too for a CI owner, p. 154)."""

    version = models.ForeignKey(AssessmentVersion, on_delete=models.PROTECT, related_name="deliveries")
    recipient = models.CharField(_("Saņēmējs"), max_length=8, choices=Recipient.choices)
    restricted = models.BooleanField(default=False)
    delivered_at = models.DateTimeField()

    class Meta:
        ordering = ["version_id", "recipient"]
        constraints = [models.UniqueConstraint(fields=["version", "recipient"], name="compliance_one_delivery")]

    def __str__(self) -> str:
        return f"{self.version} → {self.recipient}"


class Decision(models.TextChoices):
    ACCEPTED = "accepted", _("Pieņemts")
    REVISION = "revision_required", _("Jāprecizē")


class Review(models.Model):
    """The NKC supervisor's decision on one submitted version."""

    version = models.ForeignKey(AssessmentVersion, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("Lēmums"), max_length=24, choices=Decision.choices)
    comment = models.TextField(_("Komentārs"), blank=True)
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("Izvērtējums")
        verbose_name_plural = _("Izvērtējumi")

    def __str__(self) -> str:
        return f"{self.version}: {self.get_decision_display()}"


class ReviewComment(models.Model):
    """The reviewer's comment on one item (requirement, and system for a per-system requirement)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="comments")
    item_key = models.CharField(max_length=96)  # "<requirement ref>" or "<requirement ref>#<system id>"
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="+")
    system_name = models.CharField(max_length=255, blank=True)
    comment = models.TextField(_("Komentārs"))

    class Meta:
        ordering = ["review_id", "requirement__sort_key", "system_name"]

    def __str__(self) -> str:
        return f"{self.item_key}: {self.comment[:40]}"


class SectionScore(models.Model):
    """A submitted version's score for one section (``section`` "" = overall), stored at submit time."""

    version = models.ForeignKey(AssessmentVersion, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    section = models.CharField(max_length=8, blank=True)
    score = models.FloatField(null=True)  # 0..1; null when every item was not applicable
    answered = models.PositiveIntegerField(default=0)
    current = models.BooleanField(default=True)

    class Meta:
        indexes = [models.Index(fields=["current", "section"], name="compliance_secscore_current")]

    def __str__(self) -> str:
        return f"{self.version} {self.section or 'Σ'}: {self.score}"


class RequirementScore(models.Model):
    """A submitted version's score for one requirement (mean over its systems), stored at submit time."""

    version = models.ForeignKey(AssessmentVersion, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="+")
    score = models.FloatField()
    current = models.BooleanField(default=True)

    class Meta:
        indexes = [models.Index(fields=["current", "requirement"], name="compliance_reqscore_current")]

    def __str__(self) -> str:
        return f"{self.version} {self.requirement}: {self.score}"


class Schedule(models.Model):
    """The organisation's next self-assessment due date (``self-assessment-due`` rule) with its basis."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="compliance_schedule")
    frequency_years = models.PositiveSmallIntegerField()
    next_due = models.DateField(_("Nākamais termiņš"))
    basis = models.JSONField(default=list)
    status_since = models.DateField()
    last_submitted_on = models.DateField(null=True, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Pašnovērtējuma grafiks")
        # The overdue list: due before today, earliest first, one page at a time.
        indexes = [models.Index(fields=["next_due", "organisation"], name="compliance_schedule_due")]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.next_due}"


class FrequencyOverride(Versioned):
    """NKC's decision on another self-assessment frequency for a subject (p. 151.2: "ja vien Nacionālais
    kiberdrošības centrs nav noteicis citādāk"). The ``self-assessment-due`` rule takes it; for a CI owner or
    a subject with a class A system the rule keeps the yearly frequency of p. 151.1 and warns."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="self_assessment_frequency"
    )
    years = models.PositiveSmallIntegerField(_("Pašnovērtējuma biežums, gadi"))
    reason = models.TextField(_("Pamatojums"))
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        verbose_name = _("NKC noteiktais pašnovērtējuma biežums")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.years}"


class RequirementRollup(models.Model):
    """Running totals of current requirement scores per sector and CI status (the NKC heat map reads these).

    One of the supervision rollups (see ``kiber.compliance.rollups``): their size depends on sectors ×
    requirements (or sections), never on the number of subjects, so the all-sector pages cost the same at
    5 000 and at 50 000 subjects. Keyed by the subject's current sector and CI status.
    """

    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="+")
    sector = models.CharField(max_length=64)
    is_ci_owner = models.BooleanField(default=False)
    score_sum = models.FloatField(default=0.0)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["requirement", "sector", "is_ci_owner"], name="compliance_rollup_key")
        ]

    def __str__(self) -> str:
        return f"{self.requirement} {self.sector}: {self.score_sum}/{self.count}"


class SectionRollup(models.Model):
    """Running totals of current section scores (``section`` "" = overall) per sector and CI status.

    ``scored`` counts the scores that are not null (a section where every item was not applicable has none);
    ``count`` counts every current submission, so the overall row's ``count`` is the number of subjects
    with a submitted self-assessment.
    """

    sector = models.CharField(max_length=64)
    is_ci_owner = models.BooleanField(default=False)
    section = models.CharField(max_length=8, blank=True)
    score_sum = models.FloatField(default=0.0)
    scored = models.IntegerField(default=0)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sector", "is_ci_owner", "section"], name="compliance_section_rollup_key")
        ]

    def __str__(self) -> str:
        return f"{self.sector} {self.section or 'Σ'}: {self.score_sum}/{self.scored}"


class ReviewRollup(models.Model):
    """The number of assessments awaiting review per sector and CI status (submitted, not yet reviewed)."""

    sector = models.CharField(max_length=64)
    is_ci_owner = models.BooleanField(default=False)
    awaiting = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sector", "is_ci_owner"], name="compliance_review_rollup_key")]

    def __str__(self) -> str:
        return f"{self.sector}: {self.awaiting}"
