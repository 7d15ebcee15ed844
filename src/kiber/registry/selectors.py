"""Scoped reads of the registry: every query goes through ``kiber.registry.scoping``."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from kiber.registry.choices import Recipient, Role, SubmissionKind
from kiber.registry.models import CIDesignation, Delivery, ManagerAppointment, Organisation, Submission, User
from kiber.registry.scoping import scope, visible_organisations

FILTERS = ("q", "sector", "category", "ci", "missing_manager", "missing_notification")


def _with_flags(queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
    today = timezone.localdate()
    active_manager = ManagerAppointment.objects.filter(
        Q(organisation=OuterRef("pk")), Q(ended_on__isnull=True), Q(term_end__isnull=True) | Q(term_end__gte=today)
    )
    status = Submission.objects.filter(organisation=OuterRef("pk"), kind=SubmissionKind.STATUS)
    return queryset.select_related("ci_designation").annotate(
        has_manager=Exists(active_manager), has_notification=Exists(status)
    )


def organisations_for(user: User, filters: dict[str, Any] | None = None) -> QuerySet[Organisation]:
    """The subjects ``user`` may see, with ``has_manager``/``has_notification`` and the list filters."""
    filters = filters or {}
    queryset = _with_flags(visible_organisations(user))
    if filters.get("q"):
        q = str(filters["q"]).strip()
        queryset = queryset.filter(Q(name__icontains=q) | Q(registration_number__startswith=q))
    if filters.get("sector"):
        queryset = queryset.filter(sector=filters["sector"])
    if filters.get("category"):
        c = filters["category"]
        queryset = queryset.filter(Q(category_override=c) | Q(category_override="", category=c))
    if filters.get("ci") in (True, "1", "true", "yes"):
        queryset = queryset.filter(is_ci_owner=True)
    if filters.get("missing_manager") in (True, "1", "true", "yes"):
        queryset = queryset.filter(has_manager=False)
    if filters.get("missing_notification") in (True, "1", "true", "yes"):
        queryset = queryset.filter(has_notification=False)
    return queryset.order_by("name", "pk")


def organisation_for(user: User, pk: int) -> Organisation:
    found = _with_flags(visible_organisations(user)).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def own_organisation(user: User) -> Organisation:
    if not user.is_authenticated or not user.is_subject or not user.organisation_id:
        raise Http404
    return organisation_for(user, user.organisation_id)


def submissions_for(user: User, organisation: Organisation | None = None) -> QuerySet[Submission]:
    """The submissions of the subjects ``user`` may see, plus those delivered to the user's authority.

    SAB receives every subject's manager notice (p. 11), also from subjects it does not otherwise
    supervise: the delivery itself grants the read of that one submission, not of the subject.
    """
    base = Submission.objects.select_related("organisation", "submitted_by")
    queryset = scope(base, user)
    if recipient_of(user) == Recipient.SAB:
        delivered = Delivery.objects.filter(submission=OuterRef("pk"), recipient=Recipient.SAB)
        queryset = queryset | base.filter(Exists(delivered))
    if organisation is not None:
        queryset = queryset.filter(organisation=organisation)
    return queryset.order_by("-submitted_at", "-id")


def submission_for(user: User, pk: int) -> Submission:
    found = submissions_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def previous_version(submission: Submission) -> Submission | None:
    return (
        Submission.objects.filter(
            organisation_id=submission.organisation_id, kind=submission.kind, version__lt=submission.version
        )
        .order_by("-version")
        .first()
    )


def appointments_for(user: User, organisation: Organisation | None = None) -> QuerySet[ManagerAppointment]:
    queryset = scope(ManagerAppointment.objects.select_related("organisation"), user)
    if organisation is not None:
        queryset = queryset.filter(organisation=organisation)
    return queryset.order_by("-term_start", "-id")


def appointment_for(user: User, pk: int) -> ManagerAppointment:
    found = appointments_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def recipient_of(user: User) -> str | None:
    """The authority whose inbox ``user`` reads: NKC supervisors NKC's, SAB officers SAB's."""
    return {Role.NKC_SUPERVISOR: Recipient.NKC, Role.SAB_OFFICER: Recipient.SAB}.get(user.role)


def deliveries_for(user: User) -> QuerySet[Delivery]:
    """The deliveries addressed to the user's authority (an NKC supervisor limited to sectors sees those)."""
    recipient = recipient_of(user)
    if recipient is None:
        return Delivery.objects.none()
    queryset = Delivery.objects.filter(recipient=recipient).select_related("submission", "organisation")
    if recipient != Recipient.SAB:  # what is addressed to SAB is SAB's, whichever subject sent it (p. 11)
        queryset = scope(queryset, user)
    return queryset.order_by("-delivered_at", "-id")


def ci_designations_for(user: User) -> QuerySet[CIDesignation]:
    """SAB's notices (p. 107.3): SAB sees all it recorded (also for subjects it later excluded); others
    see those of the subjects they may see."""
    queryset = CIDesignation.objects.select_related("organisation", "recorded_by")
    if user.is_authenticated and user.role == Role.SAB_OFFICER:
        return queryset.order_by("-notice_date", "-id")
    return scope(queryset, user).order_by("-notice_date", "-id")
