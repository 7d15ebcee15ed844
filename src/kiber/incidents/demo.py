"""Demo data: incidents at the registry's demo subjects in different states, with reports submitted."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone

from kiber.incidents import answers, services
from kiber.incidents.models import Incident
from kiber.registry.choices import SUBJECT_ROLES, Category, Role
from kiber.registry.models import Organisation, User


def _subject_user(org: Organisation) -> User:
    user = User.objects.filter(organisation=org, role__in=SUBJECT_ROLES, is_active=True).order_by("pk").first()
    if user is None:
        raise RuntimeError(f"incidents demo: the registry demo has no subject user for {org.name}")
    return user


def _cloud_provider() -> Organisation:
    org = Organisation.objects.filter(Q(name__icontains="Mākoņ") | Q(name__icontains="cloud")).first()
    if org is None:
        raise RuntimeError("incidents demo: the registry demo must contain the cloud provider (SIA Mākoņpakalpojumi)")
    return org


def _submit(user: User, incident: Incident, stage: str, extra: dict[str, Any]) -> None:
    data = {**answers.prefill(incident, stage, user), **extra}
    services._submit(user, incident, stage, data, [])


def load(out: Any) -> None:
    now = timezone.now()
    cloud = _cloud_provider()
    cloud_user = _subject_user(cloud)
    csirt = User.objects.filter(role=Role.CSIRT_ANALYST).order_by("pk").first()
    if Incident.objects.filter(organisation=cloud).exists():
        out.write("incidents: demo incidents already present, skipped\n")
        return

    # 1. A significant outage at the cloud provider: early warning and initial report submitted, acknowledged.
    outage = services.create_incident(cloud_user, cloud, {
        "title": "Mākoņkrātuves API nepieejamība",
        "detected_at": now - timedelta(hours=20),
        "occurred_at": now - timedelta(hours=20, minutes=20),
        "type_codes": ["06"],
        "description": "Objektu krātuves API bija pilnīgi nepieejams 55 minūtes pēc konfigurācijas izmaiņām.",
        "causes": "Kļūdaina slodzes līdzsvarotāja konfigurācija",
        "indicators": "",
        "impact": "Klienti nevarēja piekļūt saviem datiem.",
        "affected_systems": ["Objektu krātuve", "Klientu portāls"],
        "resolution": "in_progress",
        "tlp": "amber",
    })
    outage = services.assess_significance(cloud_user, outage, "cloud", {
        "complete_unavailability_minutes": 55, "users_total_eu": 40000, "users_affected_eu": 40000,
    })
    _submit(cloud_user, outage, "early_warning", {"suspected_malicious": "no", "cross_border_impact": "unknown",
                                                   "contact_phone": cloud.phone})
    _submit(cloud_user, outage, "initial_report", {
        "suspected_malicious": "no", "cross_border_impact": "no", "severity": "high",
        "affected_properties": ["availability"], "measures_taken": "Konfigurācija atjaunota.",
        "contact_phone": cloud.phone,
    })
    if csirt is not None:
        services.acknowledge(csirt, outage, "Saņemts. Lūdzam informēt par klientu skaitu ārpus Latvijas.")

    # 2. A near miss at the cloud provider, reported in free form (p. 123).
    near = services.create_incident(cloud_user, cloud, {
        "kind": "near_miss",
        "title": "Bloķēts pikšķerēšanas mēģinājums pret administratoriem",
        "detected_at": now - timedelta(days=6),
        "type_codes": ["04"],
        "description": "Pikšķerēšanas e-pasts ar viltotu pieteikšanās lapu tika bloķēts pirms piekļuves.",
        "indicators": "login-kiber-cloud.example.com\n203.0.113.17",
        "resolution": "resolved",
        "resolved_at": now - timedelta(days=6) + timedelta(hours=3),
        "tlp": "green",
    })
    near = services.assess_significance(cloud_user, near, "cloud", {})
    services._submit(cloud_user, near, "voluntary", {"description": near.description}, [])

    # 2b. A non-significant incident at the cloud provider, not yet reported: the duty of p. 123 shows.
    spam = services.create_incident(cloud_user, cloud, {
        "title": "Surogātpasta sūtīšana no kompromitēta pastkastes konta",
        "detected_at": now - timedelta(days=2),
        "type_codes": ["04"],
        "description": "Viena darbinieka pastkaste sūtīja surogātpastu 40 minūtes; parole nomainīta.",
        "resolution": "resolved",
        "resolved_at": now - timedelta(days=2) + timedelta(hours=1),
        "tlp": "green",
    })
    services.assess_significance(cloud_user, spam, "cloud", {})

    # 3. An essential provider (reports also go to SAB, p. 124) with an early warning only.
    essential = (
        Organisation.objects.exclude(pk=cloud.pk)
        .filter(Q(is_ci_owner=True) | Q(category_override=Category.ESSENTIAL)
                | Q(category_override="", category=Category.ESSENTIAL))
        .order_by("pk")
        .first()
    )
    if essential is not None and User.objects.filter(organisation=essential, role__in=SUBJECT_ROLES).exists():
        user = _subject_user(essential)
        ransomware = services.create_incident(user, essential, {
            "title": "Izspiedējvīruss grāmatvedības serverī",
            "detected_at": now - timedelta(hours=10),
            "type_codes": ["02", "07"],
            "description": "Šifrēti faili grāmatvedības serverī; izpēte turpinās.",
            "indicators": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\nevil.example.net",
            "resolution": "in_progress",
            "tlp": "amber",
        })
        ransomware = services.assess_significance(user, ransomware, "other", {
            "malicious_unauthorised_access_severe": True, "data_compromised": True, "suspected_malicious": True,
        })
        _submit(user, ransomware, "early_warning", {"suspected_malicious": "yes", "cross_border_impact": "unknown",
                                                     "contact_phone": essential.phone})
        # 4. Only logged, not yet assessed.
        services.create_incident(user, essential, {
            "title": "Neparasta aktivitāte VPN žurnālos",
            "detected_at": now - timedelta(hours=2),
            "type_codes": ["03"],
            "description": "Daudz neveiksmīgu pieteikšanās mēģinājumu no vienas adrešu kopas.",
            "resolution": "not_started",
        })
    out.write(f"incidents: {Incident.objects.count()} demo incidents, reports submitted\n")
