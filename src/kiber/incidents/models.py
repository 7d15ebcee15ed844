"""Incident log (22-TA-3183 p. 47–49), significance (p. 120–121), reports (p. 122–124), routing and review.

Submitted reports are immutable: ``Report`` rows are only ever inserted (``save`` refuses an update),
a correction is a new ``Report`` with a higher ``version``. The CSIRT's review of a report is a separate,
append-only ``ReportReview`` so the submitted content never changes.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kiber.documents import Frozen
from kiber.incidents.choices import (
    Channel,
    DeliveryStatus,
    EntityType,
    Kind,
    Recipient,
    ReminderKind,
    Resolution,
    Review,
    Significance,
    Stage,
    Tlp,
)
from kiber.versioning import Versioned
from kiber.web.files import GeneratedName

LOGGING_LIMIT = timedelta(hours=24)  # p. 48


class Incident(Versioned):
    """One entry of the subject's cyber incident log (kiberincidentu žurnāls, p. 48–49)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # No index of its own: the (organisation, number) constraint and the (organisation, detected_at) index lead
    # with it. Each redundant index is one more write on every intake (issue 11).
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="incidents", db_index=False
    )
    number = models.PositiveIntegerField(_("Numurs"))
    kind = models.CharField(_("Ieraksta veids"), max_length=16, choices=Kind.choices, default=Kind.INCIDENT)
    title = models.CharField(_("Nosaukums"), max_length=200)
    detected_at = models.DateTimeField(_("Konstatēšanas laiks"))  # p. 49.1
    occurred_at = models.DateTimeField(_("Kiberincidenta laiks"), null=True, blank=True)  # p. 49.1
    aware_at = models.DateTimeField(_("Nozīmīguma apzināšanās laiks"), null=True, blank=True)
    type_codes = models.JSONField(_("Veida kodi"), default=list)  # p. 49.2, Annex 6
    description = models.TextField(_("Vispārīgs apraksts"))  # p. 49.3
    causes = models.TextField(_("Cēloņi"), blank=True)  # p. 49.4
    indicators = models.TextField(_("Kompromitēšanas indikatori"), blank=True)  # p. 49.4
    impact = models.TextField(_("Ietekmes novērtējums"), blank=True)  # p. 49.5
    systems = models.ManyToManyField(
        "assets.InformationSystem", blank=True, related_name="incidents", verbose_name=_("Skartās sistēmas")
    )
    # Systems not (yet) in the ICT catalogue, as free text (also what API clients send).
    affected_systems = models.JSONField(_("Citas skartās sistēmas"), default=list, blank=True)
    resolution = models.CharField(
        _("Risināšanas statuss"), max_length=16, choices=Resolution.choices, default=Resolution.NOT_STARTED
    )  # p. 49.8
    resolved_at = models.DateTimeField(_("Atrisināšanas laiks"), null=True, blank=True)
    tlp = models.CharField(_("TLP"), max_length=16, choices=Tlp.choices, default=Tlp.AMBER)
    trust_service_impact = models.BooleanField(_("Ietekmē uzticamības pakalpojumus"), default=False)

    # Significance (p. 120–121, 49.6)
    significance = models.CharField(
        _("Nozīmīgums"), max_length=16, choices=Significance.choices, default=Significance.NOT_ASSESSED
    )
    entity_type = models.CharField(_("Pakalpojuma veids"), max_length=32, choices=EntityType.choices, blank=True)
    significance_answers = models.JSONField(default=dict, blank=True)
    significance_result = models.JSONField(default=dict, blank=True)
    significance_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    significance_at = models.DateTimeField(null=True, blank=True)

    # CSIRT workspace (NIS2 Art. 23(5)); not part of any submitted report.
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    feedback = models.TextField(_("Sākotnējā atgriezeniskā saite"), blank=True)
    cross_border = models.BooleanField(_("Pārrobežu"), default=False)
    # NIS2 Art. 23(6): the affected member states, and when the case went to the single point of contact (NKC).
    cross_border_states = models.JSONField(_("Skartās dalībvalstis"), default=list, blank=True)
    spoc_handoff_at = models.DateTimeField(_("Nodots vienotajam kontaktpunktam"), null=True, blank=True)
    spoc_handoff_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    intermediate_requested_at = models.DateTimeField(null=True, blank=True)
    intermediate_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    intermediate_request_note = models.TextField(blank=True)
    intermediate_due_at = models.DateTimeField(null=True, blank=True)
    related = models.ManyToManyField("self", blank=True, symmetrical=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)  # = when it was logged (p. 48)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-detected_at", "-id"]
        verbose_name = _("Kiberincidents")
        verbose_name_plural = _("Kiberincidenti")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="incident_number_per_organisation")
        ]
        indexes = [models.Index(fields=["organisation", "-detected_at"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"INC-{self.organisation_id}-{self.number:04d}"

    @property
    def clock_start(self):
        """The moment the report deadlines run from: awareness of significance, else detection."""
        return self.aware_at or self.detected_at

    @property
    def logging_due(self):
        return self.detected_at + LOGGING_LIMIT

    @property
    def must_report_free_form(self) -> bool:
        """p. 123: a cyber incident found not significant is reported to the CSIRT in free form (p. 124:
        also to SAB for a CI owner or an essential provider) — a duty, not an option."""
        return self.kind == Kind.INCIDENT and self.significance == Significance.NOT_SIGNIFICANT

    @property
    def logged_in_time(self) -> bool:
        """p. 48: logged no later than 24 hours after detection."""
        return self.created_at <= self.logging_due


class IncidentChange(models.Model):
    """A change of an entry's information, logged (p. 48: "pēc jebkādām izmaiņām iepriekš žurnālā norādītajās
    ziņās" within 24 hours, as the first logging). ``known_at`` is when the change became known."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="changes")
    known_at = models.DateTimeField(_("Izmaiņas zināmas kopš"))
    logged_at = models.DateTimeField(_("Izmaiņas reģistrētas"), auto_now_add=True)
    fields = models.JSONField(default=list)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["logged_at", "id"]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.logged_at:%Y-%m-%d %H:%M}"

    @property
    def logged_in_time(self) -> bool:
        """p. 48: logged no later than 24 hours after the change became known."""
        return self.logged_at <= self.known_at + LOGGING_LIMIT


class Report(Frozen):
    """One submitted, frozen version of a report stage. Never updated, never deleted."""

    incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, related_name="reports", db_index=False
    )  # the (incident, stage, version) constraint serves as its index
    stage = models.CharField(_("Posms"), max_length=24, choices=Stage.choices)
    version = models.PositiveIntegerField(_("Versija"), default=1)
    answers = models.JSONField(default=dict)
    snapshot = models.JSONField(default=dict)
    sha256 = models.CharField(max_length=64)
    pdf = models.FileField(upload_to=GeneratedName("incidents/reports"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()
    routed_to_sab = models.BooleanField(default=False)

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = _("Ziņojums")
        verbose_name_plural = _("Ziņojumi")
        constraints = [
            models.UniqueConstraint(fields=["incident", "stage", "version"], name="report_stage_version")
        ]

    def __str__(self) -> str:
        return f"{self.incident.reference} {self.get_stage_display()} v{self.version}"

    @property
    def current_review(self) -> ReportReview | None:
        reviews = list(self.reviews.all())
        return reviews[-1] if reviews else None


class Attachment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="attachments")
    name = models.CharField(max_length=255)
    file = models.FileField(upload_to=GeneratedName("incidents/attachments"))
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.name


class ReportReview(models.Model):
    """The CSIRT's review status of a report (append-only; the latest row is current)."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="reviews")
    status = models.CharField(_("Izskatīšanas statuss"), max_length=16, choices=Review.choices)
    note = models.TextField(_("Piezīme"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.status}"


class Delivery(models.Model):
    """One report to one recipient over one channel (p. 122–124); failed ones are retried, never dropped."""

    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, related_name="deliveries", db_index=False
    )  # the (report, recipient, channel) constraint serves as its index
    recipient = models.CharField(max_length=8, choices=Recipient.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    target = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "recipient", "channel"], name="delivery_once_per_channel")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.report_id} -> {self.recipient}/{self.channel}: {self.status}"


class DeliveryAttempt(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField(auto_now_add=True)
    ok = models.BooleanField()
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {'ok' if self.ok else 'failed'}"


class Notification(models.Model):
    """An in-platform inbox message to one user (reminders, overdue notices, CSIRT requests)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="incident_notices")
    incident = models.ForeignKey(Incident, null=True, on_delete=models.CASCADE, related_name="notices")
    subject = models.CharField(max_length=255)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject


class SentReminder(models.Model):
    """One reminder or overdue notice, recorded once: the sweep is idempotent through this constraint."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField(max_length=24)
    kind = models.CharField(max_length=8, choices=ReminderKind.choices)
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "stage", "kind", "due_at"], name="reminder_sent_once")
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.stage} {self.kind}"


class IdempotencyKey(models.Model):
    """An API request's ``Idempotency-Key`` with the response it got; a retry gets the same response."""

    # The (user, key) constraint serves as the user's index.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(default=0)
    response = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_per_user")]

    def __str__(self) -> str:
        return self.key


class CalendarToken(models.Model):
    """The per-user iCalendar feed secret: HMAC(SECRET_KEY, user + nonce); a new nonce revokes the old URL."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="incident_calendar")
    nonce = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"calendar of {self.user_id}"
