"""Scoped reads of the governance records: everything goes through ``kiber.registry.scoping.scope``.

Who reads what (issue 13): the subject its own records; NKC and SAB supervisors the records of the
subjects they supervise, read-only. Outsourcing data and SAB opinions are narrower: the subject, SAB,
and NKC only for subjects that are not CI owners. Other roles (CSIRT, auditors) see none of it.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

from kiber.governance.models import (
    ContinuityObjective,
    ManagementDocument,
    Measure,
    OutsourcingContract,
    Provider,
    Risk,
    RiskMethodology,
    SabOpinionRequest,
    StateThreatPlan,
)
from kiber.registry.choices import SUBJECT_ROLES, Role
from kiber.registry.models import Organisation, User
from kiber.registry.scoping import scope, visible_organisations

M = TypeVar("M", bound=Model)
READER_ROLES = frozenset({*SUBJECT_ROLES, Role.NKC_SUPERVISOR, Role.SAB_OFFICER})


def _governance(queryset: QuerySet[M], user: User, path: str = "organisation") -> QuerySet[M]:
    if not user.is_authenticated or user.role not in READER_ROLES:
        return queryset.none()
    return scope(queryset, user, path)


def _outsourcing(queryset: QuerySet[M], user: User, path: str = "organisation") -> QuerySet[M]:
    queryset = _governance(queryset, user, path)
    if user.is_authenticated and user.role == Role.NKC_SUPERVISOR:
        queryset = queryset.exclude(**{f"{path}__is_ci_owner": True})
    return queryset


def _one(queryset: QuerySet[M], pk: int) -> M:
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def organisations(user: User) -> QuerySet[Organisation]:
    """Subjects whose governance records ``user`` may read."""
    if not user.is_authenticated or user.role not in READER_ROLES:
        return Organisation.objects.none()
    return visible_organisations(user).exclude(category="out_of_scope").order_by("name")


def organisation(user: User, pk: int) -> Organisation:
    return _one(organisations(user), pk)


def sees_outsourcing(user: User, organisation: Organisation) -> bool:
    return not (user.role == Role.NKC_SUPERVISOR and organisation.is_ci_owner)


def can_edit(user: User, organisation_id: int) -> bool:
    """Only the subject's own admins and cybersecurity manager change its governance records."""
    return bool(user.is_authenticated and user.can_edit_subject and user.organisation_id == organisation_id)


# --- documents ------------------------------------------------------------------------------------------


def documents(user: User, organisation: Organisation | None = None) -> QuerySet[ManagementDocument]:
    queryset = _governance(ManagementDocument.objects.select_related("organisation", "next_version"), user)
    if organisation is not None:
        queryset = queryset.filter(organisation=organisation)
    return queryset


def current_documents(user: User, organisation: Organisation | None = None) -> QuerySet[ManagementDocument]:
    """The documents in force: versions no later version replaces."""
    return documents(user, organisation).filter(next_version__isnull=True)


def document(user: User, pk: int) -> ManagementDocument:
    return _one(documents(user), pk)


def sab_documents(user: User) -> QuerySet[ManagementDocument]:
    """What CI owners delivered to SAB under p. 28.1 (SAB's inbox)."""
    if not user.is_authenticated or user.role != Role.SAB_OFFICER:
        return ManagementDocument.objects.none()
    return documents(user).filter(sab_delivered_at__isnull=False).order_by("-sab_delivered_at")


# --- outsourcing ----------------------------------------------------------------------------------------


def providers(user: User, organisation: Organisation | None = None) -> QuerySet[Provider]:
    queryset = _outsourcing(Provider.objects.select_related("organisation"), user)
    return queryset.filter(organisation=organisation) if organisation is not None else queryset


def provider(user: User, pk: int) -> Provider:
    return _one(providers(user), pk)


def contracts(user: User, organisation: Organisation | None = None) -> QuerySet[OutsourcingContract]:
    queryset = _outsourcing(OutsourcingContract.objects.select_related("organisation", "provider"), user)
    return queryset.filter(organisation=organisation) if organisation is not None else queryset


def contract(user: User, pk: int) -> OutsourcingContract:
    return _one(contracts(user), pk)


def opinion_requests(user: User) -> QuerySet[SabOpinionRequest]:
    queryset = SabOpinionRequest.objects.select_related("organisation", "contract", "contract__provider")
    return _outsourcing(queryset, user)


def opinion_request(user: User, pk: int) -> SabOpinionRequest:
    return _one(opinion_requests(user), pk)


# --- risks and continuity -------------------------------------------------------------------------------


def methodology(organisation: Organisation) -> RiskMethodology | None:
    """The methodology of an organisation the caller has already been allowed to read."""
    return RiskMethodology.objects.filter(organisation=organisation).first()


def risks(user: User, organisation: Organisation | None = None) -> QuerySet[Risk]:
    queryset = _governance(Risk.objects.select_related("organisation", "system"), user)
    return queryset.filter(organisation=organisation) if organisation is not None else queryset


def risk(user: User, pk: int) -> Risk:
    return _one(risks(user), pk)


def measure(user: User, pk: int) -> Measure:
    return _one(
        _governance(Measure.objects.select_related("risk", "risk__organisation"), user, "risk__organisation"), pk
    )


def continuity(user: User, organisation: Organisation | None = None) -> QuerySet[ContinuityObjective]:
    queryset = _governance(ContinuityObjective.objects.select_related("organisation", "system"), user)
    return queryset.filter(organisation=organisation) if organisation is not None else queryset


def continuity_objective(user: User, pk: int) -> ContinuityObjective:
    return _one(continuity(user), pk)


def state_threat_plan(user: User, organisation: Organisation) -> StateThreatPlan | None:
    """A CI owner's state-threat plan: the subject and SAB only (NKC does not read CI owners' plans)."""
    return _outsourcing(StateThreatPlan.objects.filter(organisation=organisation), user).first()
