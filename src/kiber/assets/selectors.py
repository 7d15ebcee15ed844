"""Scoped reads of the ICT catalogue: everything goes through ``kiber.registry.scoping.scope``."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from kiber.assets.models import InformationResource, InformationSystem, ResponsiblePerson, SystemDependency
from kiber.registry.models import Organisation, User
from kiber.registry.scoping import scope, visible_organisations


def organisations(user: User) -> QuerySet[Organisation]:
    """Subjects whose catalogue ``user`` may see, with system counts."""
    return (
        visible_organisations(user)
        .select_related("ict_catalogue")
        .annotate(
            system_count=Count("information_systems", distinct=True),
            class_a_count=Count(
                "information_systems", filter=Q(information_systems__security_class="A"), distinct=True
            ),
        )
        .order_by("name")
    )


def organisation(user: User, pk: int) -> Organisation:
    try:
        return visible_organisations(user).select_related("ict_catalogue").get(pk=pk)
    except Organisation.DoesNotExist:
        raise Http404 from None


def systems(user: User, organisation: Organisation | None = None) -> QuerySet[InformationSystem]:
    qs = scope(InformationSystem.objects.all(), user).select_related("organisation")
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs.annotate(resource_count=Count("resources", distinct=True)).order_by("name")


def system(user: User, pk: int) -> InformationSystem:
    try:
        return (
            scope(InformationSystem.objects.all(), user)
            .select_related("organisation", "organisation__ict_catalogue")
            .get(pk=pk)
        )
    except InformationSystem.DoesNotExist:
        raise Http404 from None


def resource(user: User, pk: int) -> InformationResource:
    try:
        return scope(
            InformationResource.objects.select_related("system__organisation"), user, "system__organisation"
        ).get(pk=pk)
    except InformationResource.DoesNotExist:
        raise Http404 from None


def dependency(user: User, pk: int) -> SystemDependency:
    qs = SystemDependency.objects.select_related("dependent__organisation", "provider")
    try:
        return scope(qs, user, "dependent__organisation").get(pk=pk)
    except SystemDependency.DoesNotExist:
        raise Http404 from None


def person(user: User, pk: int) -> ResponsiblePerson:
    qs = ResponsiblePerson.objects.select_related("system__organisation")
    try:
        return scope(qs, user, "system__organisation").get(pk=pk)
    except ResponsiblePerson.DoesNotExist:
        raise Http404 from None


def can_edit(user: User, organisation_id: int) -> bool:
    """Only the subject's own admins and cybersecurity manager change its catalogue."""
    return bool(user.is_authenticated and user.can_edit_subject and user.organisation_id == organisation_id)
