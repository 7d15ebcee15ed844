"""Subjects (organisations), users with their role, and API tokens for machine clients."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from kiber.documents import Frozen
from kiber.registry.choices import (
    SECOND_FACTOR_ROLES,
    SUBJECT_EDITOR_ROLES,
    SUBJECT_ROLES,
    Category,
    CICategory,
    CINotice,
    Duty,
    EntityKind,
    NoticeType,
    Recipient,
    Role,
    SabCheck,
    Size,
    SubmissionKind,
)
from kiber.versioning import Versioned
from kiber.web.files import GeneratedName


class Organisation(Versioned):
    """A subject of the National Cybersecurity Law (22-TA-3183 ch. 2, p. 8–10)."""

    registration_number = models.CharField(_("Reģistrācijas numurs"), max_length=11, unique=True)
    name = models.CharField(_("Nosaukums"), max_length=255)
    legal_address = models.CharField(_("Juridiskā adrese"), max_length=255)
    postal_address = models.CharField(_("Pasta adrese"), max_length=255, blank=True)
    email = models.EmailField(_("E-pasts"))
    phone = models.CharField(_("Tālrunis"), max_length=32)
    website = models.URLField(_("Tīmekļvietne"), blank=True)
    sector = models.CharField(_("Nozare"), max_length=64)
    subsector = models.CharField(_("Apakšnozare"), max_length=64, blank=True)
    entity_kind = models.CharField(
        _("Subjekta veids"), max_length=64, choices=EntityKind.choices, default=EntityKind.OTHER
    )
    employees = models.PositiveIntegerField(_("Darbinieku skaits"))
    annual_turnover_eur = models.DecimalField(_("Gada apgrozījums, EUR"), max_digits=15, decimal_places=2)
    balance_sheet_eur = models.DecimalField(_("Bilances kopsumma, EUR"), max_digits=15, decimal_places=2)
    # Set only by SAB's designation (p. 107.3, ``services.record_ci_designation``), never by the subject.
    is_ci_owner = models.BooleanField(
        _("IKT kritiskās infrastruktūras īpašnieks vai tiesiskais valdītājs"), default=False, editable=False
    )
    ci_designation = models.ForeignKey(
        "registry.CIDesignation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Spēkā esošais SAB paziņojums"),
    )
    is_domain_registrar = models.BooleanField(_("Domēna vārdu reģistrētājs"), default=False)

    # Computed by the entity-category rule and stored with its reasons and basis.
    category = models.CharField(_("Kategorija"), max_length=32, choices=Category.choices, blank=True)
    size = models.CharField(_("Lielums"), max_length=16, choices=Size.choices, blank=True)
    category_reasons = models.JSONField(default=list, blank=True)
    category_basis = models.JSONField(default=list, blank=True)
    # A supervisor's override, always with a justification (issue 2).
    category_override = models.CharField(
        _("Uzrauga noteiktā kategorija"), max_length=32, choices=Category.choices, blank=True
    )
    category_override_reason = models.TextField(_("Pamatojums"), blank=True)
    category_override_by = models.ForeignKey(
        "registry.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    category_override_at = models.DateTimeField(null=True, blank=True)

    # Set by the subject's accepted loss-of-status notice (p. 8.3, 10.3): from then on it has no tier and
    # its duties end (no campaigns, no deadlines); a new initial status notice (p. 8.1, 10.1) clears it.
    status_lost_at = models.DateTimeField(_("Statuss zaudēts"), null=True, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Subjekts")
        verbose_name_plural = _("Subjekti")
        indexes = [
            models.Index(fields=["sector", "category"]),
            # The supervisors' list of subjects, by name, one page at a time.
            models.Index(fields=["name", "id"], name="registry_org_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def effective_category(self) -> str:
        """The tier in force: none (out of scope) once the status is lost (p. 8.3, 10.3)."""
        if self.status_lost_at is not None:
            return Category.OUT_OF_SCOPE
        return self.category_override or self.category

    @property
    def duties_ended(self) -> bool:
        """The status was lost (p. 8.3, 10.3) and no SAB designation keeps duties (p. 107.3)."""
        return self.status_lost_at is not None and not self.is_ci_owner

    def get_effective_category_display(self) -> str:
        return str(Category(self.effective_category).label) if self.effective_category else "—"

    @property
    def is_essential(self) -> bool:
        return self.effective_category == Category.ESSENTIAL

    @property
    def category_explanation(self) -> list[str]:
        """The computed category's reasons in the user's language (the stored ``category_reasons`` are English)."""
        from kiber.registry.explain import category_explanation

        return category_explanation(self)


def duties_ended_filter(path: str = "") -> models.Q:
    """Subjects whose duties ended with the loss of their status (``Organisation.duties_ended``) as a filter;
    ``path`` reaches the organisation from another model (``"organisation__"``)."""
    return models.Q(**{f"{path}status_lost_at__isnull": False, f"{path}is_ci_owner": False})


class User(AbstractUser):
    """A person using Kiber: a subject role within one organisation, or a supervisor role."""

    role = models.CharField(_("Loma"), max_length=32, choices=Role.choices, default=Role.SUBJECT_USER)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    # An NKC supervisor may be limited to some sectors; empty means all sectors.
    supervised_sectors = models.JSONField(_("Uzraudzītās nozares"), default=list, blank=True)
    phone = models.CharField(_("Tālrunis"), max_length=32, blank=True)
    # Set when NKC's registration generated the password (a one-time password someone else has seen):
    # the user must choose their own before doing anything else.
    must_change_password = models.BooleanField(_("Jānomaina parole"), default=False)

    @property
    def is_subject(self) -> bool:
        return self.role in SUBJECT_ROLES

    @property
    def can_edit_subject(self) -> bool:
        return self.role in SUBJECT_EDITOR_ROLES

    @property
    def needs_second_factor(self) -> bool:
        return self.role in SECOND_FACTOR_ROLES or self.is_superuser

    @property
    def has_second_factor(self) -> bool:
        """A confirmed TOTP device: what a token of a role with a second factor requires."""
        from django_otp.plugins.otp_totp.models import TOTPDevice

        return TOTPDevice.objects.filter(user=self, confirmed=True).exists()

    @classmethod
    def from_db(cls, db: str | None, field_names: list[str], values: list[object]) -> User:
        user = super().from_db(db, field_names, values)
        user._loaded_role = user.role if "role" in field_names else None  # type: ignore[attr-defined]
        return user

    def save(self, *args: object, **kwargs: object) -> None:
        # post_save compares the role with the one loaded: kiber.registry.tokens revokes the tokens
        # issued under the old role (issue 10, finding 11).
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        self._loaded_role = self.role


class PasswordHistory(models.Model):
    """The hashes of a user's recent passwords, so that none of the last few is chosen again."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class ApiToken(models.Model):
    """A bearer token for a machine client (e.g. a subject's SOC tooling). Only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("Nosaukums"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    # The role the token was issued under: authentication refuses it once the user's role differs, even
    # if the role was changed in a way that skipped User.save (a bulk update).
    role = models.CharField(max_length=32, choices=Role.choices)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str) -> tuple[ApiToken, str]:
        """Create a token and return it with its secret, which is shown once and never stored."""
        key = "kbr_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, key_hash=cls.hash_key(key), role=user.role, prefix=key[4:12]
        )
        return token, key


class ResponsiblePerson(Versioned):
    """The subject's person responsible for the plan, the logs or the backups (p. 22).

    Kept so that a CI owner's cybersecurity manager can be checked not to hold these duties too.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="responsible_persons")
    duty = models.CharField(_("Pienākums"), max_length=16, choices=Duty.choices)
    full_name = models.CharField(_("Vārds, uzvārds"), max_length=200)
    personal_code = models.CharField(_("Personas kods"), max_length=12, blank=True)
    email = models.EmailField(_("E-pasts"), blank=True)
    designated_on = models.DateField(_("Noteikta"), null=True, blank=True)

    class Meta:
        ordering = ["organisation_id", "duty"]
        verbose_name = _("Atbildīgā persona")
        verbose_name_plural = _("Atbildīgās personas")
        constraints = [models.UniqueConstraint(fields=["organisation", "duty"], name="registry_one_person_per_duty")]

    def __str__(self) -> str:
        return f"{self.get_duty_display()}: {self.full_name}"

    @property
    def sab_notice_due(self) -> dict[str, object] | None:
        """A CI owner informs SAB within five working days of designating the person (p. 46.2, 67.2, 76.2),
        by the ``working-days`` rule (Latvian calendar); None for other subjects."""
        if not self.organisation.is_ci_owner or self.designated_on is None:
            return None
        from kiber.rules.registry import evaluate

        result = evaluate("working-days", {"from": self.designated_on.isoformat(), "working_days": 5})
        point = {"plan": "46.2", "logs": "67.2", "backups": "76.2"}[self.duty]
        return {"due": date.fromisoformat(result["due"]), "basis": [f"22-TA-3183 p.{point}", *result["basis"]]}


class ManagerAppointment(Versioned):
    """A cybersecurity manager (kiberdrošības pārvaldnieks) of a subject (p. 11–22, Annex 3).

    Eligibility is decided by the ``manager-eligibility`` rule and stored with its basis; a record
    violating the rule is never saved. A person is matched across subjects by personal code or e-mail.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="manager_appointments")
    first_name = models.CharField(_("Vārds"), max_length=100)
    last_name = models.CharField(_("Uzvārds"), max_length=100)
    personal_code = models.CharField(_("Personas kods"), max_length=12, blank=True, db_index=True)
    birth_date = models.DateField(_("Dzimšanas datums"))
    email = models.EmailField(_("E-pasts"), db_index=True)
    phone = models.CharField(_("Tālrunis"), max_length=32)
    position = models.CharField(_("Amats"), max_length=200, blank=True)
    citizenships = models.JSONField(_("Pilsonība"), default=list)
    term_start = models.DateField(_("Pilnvaru sākums"))
    term_end = models.DateField(_("Pilnvaru beigas"), null=True, blank=True)
    # Qualification (p. 12.5, 13.3, 14.3).
    education = models.CharField(_("Izglītība"), max_length=255, blank=True)
    education_in_cybersecurity = models.BooleanField(
        _("Augstākā vai vidējā profesionālā izglītība kiberdrošības pārvaldībā vai saistītā jomā"), default=False
    )
    experience_months = models.PositiveIntegerField(_("Darba pieredze kiberdrošības pārvaldībā, mēneši"), default=0)
    certificates = models.JSONField(_("Sertifikāti"), default=list, blank=True)
    # Declarations (p. 12.3, 12.4, 12.6–12.9); null = not declared.
    under_guardianship = models.BooleanField(null=True)
    intentional_offence_conviction = models.BooleanField(null=True)
    conviction_cleared = models.BooleanField(default=False)
    former_security_service_affiliation = models.BooleanField(null=True)
    banned_organisation_member = models.BooleanField(null=True)
    organised_crime_or_illegal_armed_group = models.BooleanField(null=True)
    reliability_doubting_disorder_or_dependence = models.BooleanField(null=True)
    state_secret_clearance = models.BooleanField(_("Speciālā atļauja pieejai valsts noslēpumam"), default=False)
    sab_check = models.CharField(_("SAB pārbaude"), max_length=24, choices=SabCheck.choices, default=SabCheck.NOT_DONE)
    # p. 17: SAB answers within one calendar month of receiving the candidate application (p. 16);
    # p. 15: the result goes to the subject's head.
    sab_check_due_at = models.DateTimeField(_("SAB atbildes termiņš"), null=True, blank=True)
    sab_checked_at = models.DateTimeField(_("SAB pārbaudes rezultāts paziņots"), null=True, blank=True)
    # p. 21: this subject is subordinate to / owned by an essential provider the person also manages.
    subject_in_managed_group = models.BooleanField(
        _("Subjekts ir pakļauts būtisko pakalpojumu sniedzējam, kurā persona ir pārvaldnieks (21. p.)"),
        default=False,
    )
    # Stored result of the manager-eligibility rule.
    subject_tier = models.CharField(max_length=16)
    eligible = models.BooleanField(default=False)
    eligibility = models.JSONField(default=dict, blank=True)
    ended_on = models.DateField(_("Atcelts"), null=True, blank=True)
    created_by = models.ForeignKey("registry.User", null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation_id", "-term_start", "-id"]
        verbose_name = _("Kiberdrošības pārvaldnieks")
        verbose_name_plural = _("Kiberdrošības pārvaldnieki")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Submission(Frozen):
    """A frozen, versioned notification to the supervisors (status: Annex 1/2; manager: Annex 3).

    Immutable once saved: a correction or change is a new version. The snapshot is the JSON that
    was submitted; ``sha256`` is the digest of its canonical form; ``pdf`` its Latvian rendering.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="submissions")
    kind = models.CharField(_("Veids"), max_length=16, choices=SubmissionKind.choices)
    notice_type = models.CharField(_("Paziņojuma iemesls"), max_length=16, choices=NoticeType.choices)
    version = models.PositiveIntegerField(_("Versija"))
    snapshot = models.JSONField()
    sha256 = models.CharField(max_length=64)
    pdf = models.FileField(upload_to=GeneratedName("submissions"), blank=True)
    appointment = models.ForeignKey(
        ManagerAppointment, null=True, blank=True, on_delete=models.PROTECT, related_name="submissions"
    )
    submitted_by = models.ForeignKey("registry.User", null=True, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("Iesniegums")
        verbose_name_plural = _("Iesniegumi")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind", "version"], name="registry_submission_version")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"


class ManagerReminder(models.Model):
    """One reminder or overdue notice of a manager deadline (p. 17, p. 18), recorded once: the sweep is
    idempotent through this constraint."""

    appointment = models.ForeignKey(ManagerAppointment, on_delete=models.CASCADE, related_name="reminders")
    duty = models.CharField(max_length=24)
    kind = models.CharField(max_length=8)
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["appointment", "duty", "kind", "due_at"], name="manager_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.appointment_id} {self.duty} {self.kind}"


class CIDesignation(models.Model):
    """SAB's notice to a subject about its ICT critical infrastructure (p. 107.3).

    Inclusion in the critical infrastructure set (107.3.1), designation as European critical
    infrastructure of particular significance (107.3.2), or exclusion (107.3.3). Append-only: a later
    notice supersedes an earlier one and never edits it; the subject's ``ci_designation`` points at the
    one in force, which alone decides ``is_ci_owner``.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="ci_designations")
    notice = models.CharField(_("Paziņojums"), max_length=16, choices=CINotice.choices)
    category = models.CharField(_("Kategorija"), max_length=1, choices=CICategory.choices, blank=True)
    european = models.BooleanField(_("Eiropas mērogā īpaši nozīmīga kritiskā infrastruktūra"), default=False)
    notice_date = models.DateField(_("Paziņojuma datums"))
    reference = models.CharField(_("Paziņojuma numurs"), max_length=100, blank=True)
    note = models.TextField(_("Piezīmes"), blank=True)
    recorded_by = models.ForeignKey("registry.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-notice_date", "-id"]
        verbose_name = _("SAB paziņojums par kritisko infrastruktūru")
        verbose_name_plural = _("SAB paziņojumi par kritisko infrastruktūru")

    def __str__(self) -> str:
        return f"{self.get_notice_display()} ({self.notice_date:%d.%m.%Y})"

    @property
    def in_ci_set(self) -> bool:
        return self.notice != CINotice.EXCLUSION


class Delivery(models.Model):
    """A submission delivered to a supervisory authority (NKC always; SAB for CI owners, p. 9, p. 11)."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="deliveries")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="deliveries")
    recipient = models.CharField(_("Saņēmējs"), max_length=8, choices=Recipient.choices)
    delivered_at = models.DateTimeField(_("Piegādāts"))
    read_at = models.DateTimeField(_("Izlasīts"), null=True, blank=True)
    read_by = models.ForeignKey("registry.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-delivered_at", "-id"]
        verbose_name = _("Piegāde")
        verbose_name_plural = _("Piegādes")
        indexes = [models.Index(fields=["recipient", "delivered_at"])]
        constraints = [models.UniqueConstraint(fields=["submission", "recipient"], name="registry_one_delivery")]

    def __str__(self) -> str:
        return f"{self.submission} → {self.recipient}"
