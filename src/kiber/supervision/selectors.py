"""The only reads of supervision records by a user: who may see which auditor entry and audit."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from kiber.assets.models import InformationSystem
from kiber.registry.choices import Role
from kiber.registry.models import User
from kiber.registry.scoping import scope
from kiber.supervision.choices import ActionStatus, AuditorStatus
from kiber.supervision.models import (
    Audit,
    AuditFinding,
    Auditor,
    AuditorCertificate,
    NonCompliance,
    Pentest,
    RegisterReview,
    Scan,
    Sensor,
)


def is_committee(user: User) -> bool:
    """The Digital Security Supervisory Committee keeps the auditor register (p. 125–129)."""
    return bool(user.is_authenticated and user.is_active and user.role == Role.DDSC_MEMBER)


def auditors_for(user: User) -> QuerySet[Auditor]:
    """Every entry for the Committee; an auditor's own accounts their own entry; nothing for anyone else."""
    if is_committee(user):
        return Auditor.objects.all()
    if user.is_authenticated and user.is_active and user.role == Role.AUDITOR:
        return Auditor.objects.filter(users=user)
    return Auditor.objects.none()


def get_auditor(user: User, pk: int) -> Auditor:
    return get_object_or_404(auditors_for(user), pk=pk)


def get_certificate(user: User, pk: int) -> AuditorCertificate:
    certificate = get_object_or_404(AuditorCertificate.objects.select_related("auditor"), pk=pk)
    if not auditors_for(user).filter(pk=certificate.auditor_id).exists():
        raise Http404
    return certificate


def public_auditors() -> QuerySet[Auditor]:
    """The published list (p. 129): registered auditors only."""
    return Auditor.objects.filter(status=AuditorStatus.REGISTERED).prefetch_related("certificates").order_by("name")


def last_review() -> RegisterReview | None:
    return RegisterReview.objects.first()


def review_due(today: date) -> date | None:
    """p. 129: at least once per calendar year — the last day of this year while this year has no review."""
    latest = last_review()
    if latest is not None and latest.reviewed_on.year >= today.year:
        return None
    return date(today.year, 12, 31)


# --------------------------------------------------------------------------------------- audits (p. 130–131)

# Who follows audits besides the subject: the supervisors of the subject (scoped) and the platform admin.
AUDIT_READERS = frozenset({Role.NKC_SUPERVISOR, Role.SAB_OFFICER, Role.PLATFORM_ADMIN})


def audits_for(user: User) -> QuerySet[Audit]:
    """The subject its own audits; NKC and SAB those of the subjects they supervise; an auditor those naming it."""
    base = Audit.objects.select_related("organisation", "auditor")
    if not user.is_authenticated or not user.is_active:
        return base.none()
    if user.role == Role.AUDITOR:
        return base.filter(auditor__users=user)
    if user.is_subject or user.role in AUDIT_READERS:
        return scope(base, user)
    return base.none()


def get_audit(user: User, pk: int) -> Audit:
    return get_object_or_404(audits_for(user), pk=pk)


def can_edit_audit(user: User, audit: Audit | None = None) -> bool:
    """Only the subject's administrators and cybersecurity manager record audits and their findings."""
    if not (user.is_authenticated and user.can_edit_subject and user.organisation_id):
        return False
    return audit is None or audit.organisation_id == user.organisation_id


def get_finding(user: User, pk: int) -> AuditFinding:
    finding = get_object_or_404(AuditFinding.objects.select_related("audit"), pk=pk)
    if not audits_for(user).filter(pk=finding.audit_id).exists():
        raise Http404
    return finding


def open_findings(user: User) -> QuerySet[AuditFinding]:
    return (
        AuditFinding.objects.filter(audit__in=audits_for(user))
        .exclude(status=ActionStatus.DONE)
        .select_related("audit__organisation")
    )


# --------------------------------------------------------------------------------------- pentests, non-compliance

AUTHORITY_OF = {Role.NKC_SUPERVISOR: "nkc", Role.SAB_OFFICER: "sab"}


def authority(user: User) -> str | None:
    """``nkc`` or ``sab`` for a supervisor who may order tests and record non-compliance; None otherwise."""
    return AUTHORITY_OF.get(user.role) if user.is_authenticated and user.is_active else None


def pentests_for(user: User) -> QuerySet[Pentest]:
    """The subject its own tests; NKC those of its subjects; SAB CI owners' tests and the tests it ordered (p. 135)."""
    base = Pentest.objects.select_related("organisation", "system")
    if not user.is_authenticated or not user.is_active:
        return base.none()
    if user.role == Role.SAB_OFFICER:
        return scope(base, user).filter(Q(organisation__is_ci_owner=True) | Q(ordered_by="sab"))
    if user.is_subject or user.role in (Role.NKC_SUPERVISOR, Role.PLATFORM_ADMIN):
        return scope(base, user)
    return base.none()


def get_pentest(user: User, pk: int) -> Pentest:
    return get_object_or_404(pentests_for(user), pk=pk)


def non_compliances_for(user: User) -> QuerySet[NonCompliance]:
    """The subject its own; NKC and SAB those of the subjects they supervise."""
    base = NonCompliance.objects.select_related("organisation")
    if not user.is_authenticated or not user.is_active:
        return base.none()
    if user.is_subject or user.role in (Role.NKC_SUPERVISOR, Role.SAB_OFFICER, Role.PLATFORM_ADMIN):
        return scope(base, user)
    return base.none()


def get_non_compliance(user: User, pk: int) -> NonCompliance:
    return get_object_or_404(non_compliances_for(user), pk=pk)


def orderable_systems(user: User) -> QuerySet[InformationSystem]:
    return scope(InformationSystem.objects.select_related("organisation"), user).order_by("organisation__name", "name")


# --------------------------------------------------------------------------------------- scans and sensors


def scans_for(user: User) -> QuerySet[Scan]:
    """Restricted (p. 139.6): the subject its own; SAB only CI owners' scans; NKC only the others'; CERT.LV the
    scans it performs."""
    base = Scan.objects.select_related("organisation")
    if not user.is_authenticated or not user.is_active:
        return base.none()
    if user.role == Role.SAB_OFFICER:
        return scope(base, user).filter(organisation__is_ci_owner=True)
    if user.role == Role.NKC_SUPERVISOR:
        return scope(base, user).filter(organisation__is_ci_owner=False)
    if user.role == Role.CSIRT_ANALYST:
        return base.filter(performer__in=["csirt_on_sab_request", "csirt_officials"])
    if user.is_subject:
        return scope(base, user)
    return base.none()


def get_scan(user: User, pk: int) -> Scan:
    return get_object_or_404(scans_for(user), pk=pk)


def is_csirt(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == Role.CSIRT_ANALYST)


def sensors_for(user: User) -> QuerySet[Sensor]:
    """CERT.LV every sensor; the subject its own; SAB those in CI owners' infrastructure (p. 148)."""
    base = Sensor.objects.select_related("organisation")
    if not user.is_authenticated or not user.is_active:
        return base.none()
    if is_csirt(user):
        return base
    if user.role == Role.SAB_OFFICER:
        return scope(base, user).filter(organisation__is_ci_owner=True)
    if user.is_subject:
        return scope(base, user)
    return base.none()


def get_sensor(user: User, pk: int) -> Sensor:
    return get_object_or_404(sensors_for(user), pk=pk)
