"""Subjects (organisations), users with their role, and API tokens for machine clients."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from kiber.registry.choices import (
    SECOND_FACTOR_ROLES,
    SUBJECT_EDITOR_ROLES,
    SUBJECT_ROLES,
    Category,
    EntityKind,
    Role,
    Size,
)


class Organisation(models.Model):
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
    is_ci_owner = models.BooleanField(
        _("IKT kritiskās infrastruktūras īpašnieks vai tiesiskais valdītājs"), default=False
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

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Subjekts")
        verbose_name_plural = _("Subjekti")
        indexes = [models.Index(fields=["sector", "category"])]

    def __str__(self) -> str:
        return self.name

    @property
    def effective_category(self) -> str:
        return self.category_override or self.category

    @property
    def is_essential(self) -> bool:
        return self.effective_category == Category.ESSENTIAL


class User(AbstractUser):
    """A person using Kiber: a subject role within one organisation, or a supervisor role."""

    role = models.CharField(_("Loma"), max_length=32, choices=Role.choices, default=Role.SUBJECT_USER)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    # An NKC supervisor may be limited to some sectors; empty means all sectors.
    supervised_sectors = models.JSONField(_("Uzraudzītās nozares"), default=list, blank=True)
    phone = models.CharField(_("Tālrunis"), max_length=32, blank=True)

    @property
    def is_subject(self) -> bool:
        return self.role in SUBJECT_ROLES

    @property
    def can_edit_subject(self) -> bool:
        return self.role in SUBJECT_EDITOR_ROLES

    @property
    def needs_second_factor(self) -> bool:
        return self.role in SECOND_FACTOR_ROLES or self.is_superuser


class ApiToken(models.Model):
    """A bearer token for a machine client (e.g. a subject's SOC tooling). Only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("Nosaukums"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
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
        token = cls.objects.create(user=user, name=name, key_hash=cls.hash_key(key), prefix=key[4:12])
        return token, key
