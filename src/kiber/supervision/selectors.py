"""The only reads of supervision records by a user: who may see which auditor entry and audit."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from kiber.registry.choices import Role
from kiber.registry.models import User
from kiber.registry.scoping import scope
from kiber.supervision.choices import ActionStatus, AuditorStatus
from kiber.supervision.models import Audit, AuditFinding, Auditor, AuditorCertificate, RegisterReview


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
