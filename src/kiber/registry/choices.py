"""Every enumeration of the registry in one place."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Roles of architecture.md; subject roles belong to one organisation, supervisor roles to none."""

    SUBJECT_USER = "subject_user", _("Subjekta lietotājs")
    SUBJECT_ADMIN = "subject_admin", _("Subjekta administrators")
    CYBER_MANAGER = "cyber_manager", _("Kiberdrošības pārvaldnieks")
    NKC_SUPERVISOR = "nkc_supervisor", _("NKC uzraugs")
    SAB_OFFICER = "sab_officer", _("SAB amatpersona")
    CSIRT_ANALYST = "csirt_analyst", _("CERT.LV analītiķis")
    AUDITOR = "auditor", _("Auditors")
    PLATFORM_ADMIN = "platform_admin", _("Platformas administrators")


SUBJECT_ROLES = frozenset({Role.SUBJECT_USER, Role.SUBJECT_ADMIN, Role.CYBER_MANAGER})
SUBJECT_EDITOR_ROLES = frozenset({Role.SUBJECT_ADMIN, Role.CYBER_MANAGER})
SUPERVISOR_ROLES = frozenset({Role.NKC_SUPERVISOR, Role.SAB_OFFICER, Role.CSIRT_ANALYST})
# Issue 2: a second factor is mandatory for supervisor and admin roles.
SECOND_FACTOR_ROLES = SUPERVISOR_ROLES | {Role.PLATFORM_ADMIN}


class EntityKind(models.TextChoices):
    """``entity_kind`` of the entity-category rule (NIS2 Art. 2(2), 3(1))."""

    OTHER = "other", _("Cits")
    QTSP = "qualified_trust_service_provider", _("Kvalificēts uzticamības pakalpojumu sniedzējs")
    NON_QTSP = "non_qualified_trust_service_provider", _("Nekvalificēts uzticamības pakalpojumu sniedzējs")
    TLD_REGISTRY = "tld_registry", _("Augšējā līmeņa domēna reģistrs")
    DNS_PROVIDER = "dns_service_provider", _("DNS pakalpojumu sniedzējs")
    PUBLIC_ECN = "public_ecn_provider", _("Publisko elektronisko sakaru tīklu vai pakalpojumu sniedzējs")
    CENTRAL_PA = "central_public_administration", _("Valsts pārvaldes iestāde (centrālā)")
    REGIONAL_PA = "regional_public_administration", _("Pašvaldība vai reģionālā pārvaldes iestāde")
    DOMAIN_REGISTRAR = "domain_registrar", _("Domēna vārdu reģistrētājs")


class Category(models.TextChoices):
    """Output of the entity-category rule; the subject's tier under NIS2 Art. 3."""

    ESSENTIAL = "essential", _("Būtisks (pamatpakalpojuma sniedzējs)")
    IMPORTANT = "important", _("Svarīgs pakalpojuma sniedzējs")
    DOMAIN_REGISTRAR = "domain_registrar", _("Domēna vārdu reģistrētājs")
    OUT_OF_SCOPE = "out_of_scope", _("Ārpus tvēruma")


class Size(models.TextChoices):
    SMALL = "small", _("Mazs")
    MEDIUM = "medium", _("Vidējs")
    LARGE = "large", _("Liels")
