"""ICT resource and information system catalogue (22-TA-3183 p. 31–39, Annex 4; seed 002 Table 8 #14).

Shape (stable; other apps — compliance — read it):

- ``OrganisationCatalogue`` (one per subject, ``organisation.ict_catalogue``): the catalogue's update
  date (p. 32), a reported but not yet reflected change and the update due date computed by the
  ``review-intervals`` rule, and the "whole ICT infrastructure is in the CI set" flag (p. 36).
- ``InformationSystem`` (``organisation.information_systems``): name, description, controller
  (pārzinis), ``in_ci_set`` as declared, and the stored result of the ``security-class`` rule:
  ``confidentiality``/``integrity``/``availability``/``security_class`` ("A"/"B"/"C", "" while the
  system has no resources), ``class_reasons`` (structured, see ``kiber.assets.reasons``),
  ``class_basis`` (list of point references), ``class_warnings`` (rule warning codes), and the
  ``system-obligations`` output in ``obligations`` (JSON, with its ``basis``).
- ``InformationResource`` (``system.resources``): an information-resource category with the Annex 4
  indicators named exactly as the ``security-class`` rule's input fields, and its computed C/I/A.
- ``SystemDependency``: ``dependent`` depends on ``provider`` (``system.dependencies`` are the
  systems it depends on, ``system.dependents`` the systems depending on it). Same organisation only;
  no cycles. A provider's resources get ``dependent_systems_availability`` from its dependents.
- ``ResponsiblePerson`` (``system.responsible_persons``): name, position, contacts, role.

Only ``kiber.assets.services`` writes these rows.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kiber.registry.models import Organisation
from kiber.versioning import Versioned


class SecurityLevel(models.TextChoices):
    A = "A", _("A (paaugstinātas drošības)")
    B = "B", _("B (pamata drošības)")
    C = "C", _("C (minimālās drošības)")


class PersonRole(models.TextChoices):
    """Roles of the IS controllers and responsible persons register (seed 002, Table 8 #14)."""

    OWNER = "owner", _("Atbildīgā persona no pārziņa puses")
    ADMINISTRATOR = "administrator", _("Sistēmas administrators")
    SECURITY = "security", _("Drošības eksperts")
    DEVELOPER = "developer", _("Izstrādātājs vai uzturētājs")
    DATA_PROTECTION = "data_protection", _("Datu aizsardzības speciālists")
    OTHER = "other", _("Cita loma")


class OrganisationCatalogue(Versioned):
    """The subject's ICT catalogue as a whole (p. 31–32, p. 36).

    Its version counts the subject's decisions (whole infrastructure in CI, reported and confirmed
    changes); ``updated_at``, which every catalogue write touches, does not change it.
    """

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="ict_catalogue")
    whole_infrastructure_ci = models.BooleanField(
        _("Visa subjekta IKT infrastruktūra ir iekļauta kritiskās infrastruktūras kopumā"), default=False
    )
    # Last time anything in the catalogue changed (recorded by every service that writes it).
    updated_at = models.DateTimeField(_("Kataloga aktualizācijas datums"), null=True, blank=True)
    # A change in the subject's ICT that the catalogue does not reflect yet (p. 32), and the last
    # day to reflect it, from the review-intervals rule (change date + one calendar month).
    change_pending_since = models.DateField(_("Izmaiņu datums"), null=True, blank=True)
    change_note = models.TextField(_("Izmaiņu apraksts"), blank=True)
    update_due = models.DateField(_("Aktualizēt līdz"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("IKT resursu un informācijas sistēmu katalogs")
        verbose_name_plural = _("IKT resursu un informācijas sistēmu katalogi")

    def __str__(self) -> str:
        return f"{self.organisation} — IKT katalogs"

    def is_stale(self, as_of: date | None = None) -> bool:
        """A reported change not reflected within one month (p. 32)."""
        today = as_of or timezone.localdate()
        return self.change_pending_since is not None and self.update_due is not None and today > self.update_due


class InformationSystem(Versioned):
    """An information system of a subject, with its security class (p. 33–36)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="information_systems")
    name = models.CharField(_("Nosaukums"), max_length=255)
    description = models.TextField(_("Apraksts"), blank=True)
    in_ci_set = models.BooleanField(_("Iekļauta kritiskās infrastruktūras kopumā"), default=False)
    controller_name = models.CharField(_("Pārzinis"), max_length=255, blank=True)
    controller_registration_number = models.CharField(_("Pārziņa reģistrācijas numurs"), max_length=11, blank=True)

    # Stored result of the security-class rule ("" while the system has no resources).
    confidentiality = models.CharField(_("Konfidencialitāte"), max_length=1, choices=SecurityLevel.choices, blank=True)
    integrity = models.CharField(_("Integritāte"), max_length=1, choices=SecurityLevel.choices, blank=True)
    availability = models.CharField(_("Pieejamība"), max_length=1, choices=SecurityLevel.choices, blank=True)
    security_class = models.CharField(_("Drošības klase"), max_length=1, choices=SecurityLevel.choices, blank=True)
    class_reasons = models.JSONField(default=list, blank=True)
    class_basis = models.JSONField(default=list, blank=True)
    class_warnings = models.JSONField(default=list, blank=True)
    # Stored output of the system-obligations rule ({} while unclassified).
    obligations = models.JSONField(default=dict, blank=True)
    classified_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation_id", "name"]
        verbose_name = _("Informācijas sistēma")
        verbose_name_plural = _("Informācijas sistēmas")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="assets_system_unique_name"),
        ]
        indexes = [models.Index(fields=["organisation", "security_class"])]

    def __str__(self) -> str:
        return self.name


class InformationResource(Versioned):
    """An information-resource category of a system with its Annex 4 indicators.

    Field names equal the ``security-class`` rule's resource input fields.
    """

    system = models.ForeignKey(InformationSystem, on_delete=models.CASCADE, related_name="resources")
    name = models.CharField(_("Resursu kategorija"), max_length=255)
    description = models.TextField(_("Apraksts"), blank=True)

    personal_data_subjects = models.PositiveBigIntegerField(_("Datu subjektu skaits (personas dati)"), default=0)
    special_category_subjects = models.PositiveBigIntegerField(
        _("Datu subjektu skaits (īpašu kategoriju personas dati)"), default=0
    )
    national_security_harm = models.BooleanField(_("Izpaušana kaitētu nacionālās drošības interesēm"), default=False)
    restricted_information = models.BooleanField(_("Satur ierobežotas pieejamības informāciju"), default=False)
    reputation_harm_lv = models.BooleanField(_("Izpaušana kaitētu Latvijas Republikas reputācijai"), default=False)
    ownership_registration = models.BooleanField(
        _("Nekustamā īpašuma vai transportlīdzekļu īpašumtiesību reģistrācija"), default=False
    )
    integrity_breach_stops_state_functions_or_ci = models.BooleanField(
        _("Integritātes pārkāpums var pārtraukt valsts vai pašvaldības pamatfunkcijas vai KI darbību"), default=False
    )
    integrity_breach_causes_disaster = models.BooleanField(
        _("Integritātes pārkāpums var izraisīt katastrofu"), default=False
    )
    integrity_breach_stops_own_service = models.BooleanField(
        _("Integritātes pārkāpums var pārtraukt subjekta darbību vai pakalpojumu"), default=False
    )
    integrity_breach_stops_other_subjects = models.BooleanField(
        _("Integritātes pārkāpums var pārtraukt citu subjektu darbību vai pakalpojumus"), default=False
    )
    tolerated_unplanned_downtime_pct = models.DecimalField(
        _("Pieļaujamais neplānotais pārtraukums, % mēnesī"), max_digits=6, decimal_places=3
    )
    unavailability_stops_state_functions_or_ci = models.BooleanField(
        _("Nepieejamība var pārtraukt valsts vai pašvaldības pamatfunkcijas vai KI darbību"), default=False
    )

    # Computed: the availability classes of the systems depending on this resource's system, as fed
    # to the rule, and the resource's C/I/A from the rule's per-resource output.
    dependent_systems_availability = models.JSONField(default=list, blank=True)
    confidentiality = models.CharField(_("Konfidencialitāte"), max_length=1, choices=SecurityLevel.choices, blank=True)
    integrity = models.CharField(_("Integritāte"), max_length=1, choices=SecurityLevel.choices, blank=True)
    availability = models.CharField(_("Pieejamība"), max_length=1, choices=SecurityLevel.choices, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["system_id", "name", "id"]
        verbose_name = _("Informācijas resursu kategorija")
        verbose_name_plural = _("Informācijas resursu kategorijas")

    def __str__(self) -> str:
        return self.name


# The Annex 4 indicators in the order of the security-class rule's input (import/export columns).
INDICATOR_FIELDS: tuple[str, ...] = (
    "personal_data_subjects",
    "special_category_subjects",
    "national_security_harm",
    "restricted_information",
    "reputation_harm_lv",
    "ownership_registration",
    "integrity_breach_stops_state_functions_or_ci",
    "integrity_breach_causes_disaster",
    "integrity_breach_stops_own_service",
    "integrity_breach_stops_other_subjects",
    "tolerated_unplanned_downtime_pct",
    "unavailability_stops_state_functions_or_ci",
)


class SystemDependency(models.Model):
    """``dependent`` needs ``provider`` to work (Annex 4: availability propagates to the provider)."""

    dependent = models.ForeignKey(InformationSystem, on_delete=models.CASCADE, related_name="dependencies")
    provider = models.ForeignKey(InformationSystem, on_delete=models.CASCADE, related_name="dependents")
    description = models.CharField(_("Apraksts"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dependent_id", "provider_id"]
        verbose_name = _("Sistēmu atkarība")
        verbose_name_plural = _("Sistēmu atkarības")
        constraints = [
            models.UniqueConstraint(fields=["dependent", "provider"], name="assets_dependency_unique"),
            models.CheckConstraint(
                condition=~models.Q(dependent=models.F("provider")), name="assets_dependency_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dependent} → {self.provider}"


class ResponsiblePerson(Versioned):
    """A person responsible for a system (seed 002, Table 8 #14: name, position, contacts, role)."""

    system = models.ForeignKey(InformationSystem, on_delete=models.CASCADE, related_name="responsible_persons")
    name = models.CharField(_("Vārds, uzvārds"), max_length=255)
    position = models.CharField(_("Amats"), max_length=255, blank=True)
    email = models.EmailField(_("E-pasts"), blank=True)
    phone = models.CharField(_("Tālrunis"), max_length=32, blank=True)
    role = models.CharField(_("Loma"), max_length=32, choices=PersonRole.choices, default=PersonRole.OWNER)
    competences = models.CharField(_("Kompetences"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["system_id", "role", "name"]
        verbose_name = _("Atbildīgā persona")
        verbose_name_plural = _("Atbildīgās personas")

    def __str__(self) -> str:
        return self.name
