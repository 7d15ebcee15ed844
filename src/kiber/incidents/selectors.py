"""Scoped reads. Every query for incidents goes through ``incidents_for`` (which uses registry.scoping).

- a subject's users: their organisation's whole log;
- the CSIRT analyst: incidents with at least one report (every report is routed to the CSIRT, p. 122);
- an SAB officer: only incidents with a report routed to SAB (p. 124), within SAB's scope;
- an NKC supervisor: reported incidents of the subjects it supervises (read only);
- a platform admin: everything; anyone else: nothing.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from kiber.incidents.choices import Kind, Recipient, Significance, Stage
from kiber.incidents.models import Attachment, Delivery, Incident, Notification, Report
from kiber.registry.choices import Role
from kiber.registry.models import User, duties_ended_filter
from kiber.registry.scoping import scope


def incidents_for(user: User) -> QuerySet[Incident]:
    base = scope(Incident.objects.select_related("organisation"), user)
    if not user.is_authenticated:
        return base.none()
    if user.is_subject or user.role == Role.PLATFORM_ADMIN:
        return base
    if user.role == Role.SAB_OFFICER:
        routed = Delivery.objects.filter(recipient=Recipient.SAB).values("report__incident_id")
        return base.filter(pk__in=routed)
    if user.role in (Role.CSIRT_ANALYST, Role.NKC_SUPERVISOR):
        return base.filter(pk__in=Report.objects.values("incident_id"))
    return base.none()


def unreported_non_significant(user: User) -> QuerySet[Incident]:
    """Non-significant cyber incidents not yet reported in free form (p. 123), oldest first.

    For the subject: its own. For the CSIRT (to whom the report is owed): every subject's — only the
    reference, subject and dates are shown; the incident itself stays closed to it until reported.
    """
    if not user.is_authenticated:
        return Incident.objects.none()
    if user.is_subject or user.role in (Role.CSIRT_ANALYST, Role.PLATFORM_ADMIN):
        base = scope(Incident.objects.select_related("organisation"), user)
    else:
        return Incident.objects.none()
    reported = Report.objects.filter(stage=Stage.VOLUNTARY).values("incident_id")
    return (
        base.filter(kind=Kind.INCIDENT, significance=Significance.NOT_SIGNIFICANT)
        .exclude(pk__in=reported)
        .exclude(duties_ended_filter("organisation__"))  # the duty ended with the status (p. 8.3, 10.3)
        .order_by("significance_at", "detected_at", "pk")
    )


def reports_for(user: User) -> QuerySet[Report]:
    reports = Report.objects.filter(incident__in=incidents_for(user))
    if user.role == Role.SAB_OFFICER:
        reports = reports.filter(routed_to_sab=True)
    return reports.select_related("incident", "incident__organisation", "submitted_by")


def get_incident(user: User, public_id: object) -> Incident:
    return get_object_or_404(incidents_for(user), public_id=public_id)


def get_report(user: User, pk: int) -> Report:
    return get_object_or_404(reports_for(user), pk=pk)


def get_attachment(user: User, pk: int) -> Attachment:
    """An attachment of a report the user may open (``reports_for``, as the report page)."""
    return get_object_or_404(Attachment.objects.select_related("report__incident"), report__in=reports_for(user), pk=pk)


def is_csirt(user: User) -> bool:
    return user.is_authenticated and user.role in (Role.CSIRT_ANALYST, Role.PLATFORM_ADMIN)


def is_reviewer(user: User) -> bool:
    return user.is_authenticated and user.role in (Role.CSIRT_ANALYST, Role.SAB_OFFICER, Role.NKC_SUPERVISOR,
                                                   Role.PLATFORM_ADMIN)


def notices_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).select_related("incident")
