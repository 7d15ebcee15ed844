"""The one scoping mechanism: every read of subject-owned data goes through ``scope``.

A subject user sees its own organisation only; an NKC supervisor sees all subjects (or those of
its sectors); an SAB officer sees ICT critical infrastructure owners and essential providers
(p. 9, p. 124); a CSIRT analyst sees every subject (incident reports are routed to it); auditors
and anonymous users see no subject data unless an app grants it explicitly.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, Q, QuerySet

from kiber.registry.choices import Category, Role
from kiber.registry.models import Organisation, User

M = TypeVar("M", bound=Model)


def organisation_filter(user: User) -> Q | None:
    """A filter on Organisation for what ``user`` may see; None means nothing at all."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role == Role.PLATFORM_ADMIN or user.role == Role.CSIRT_ANALYST:
        return Q()
    if user.role == Role.NKC_SUPERVISOR:
        return Q(sector__in=user.supervised_sectors) if user.supervised_sectors else Q()
    if user.role == Role.SAB_OFFICER:
        return (
            Q(is_ci_owner=True)
            | Q(category_override=Category.ESSENTIAL)
            | Q(category_override="", category=Category.ESSENTIAL)
        )
    if user.is_subject and user.organisation_id:
        return Q(pk=user.organisation_id)
    return None


def visible_organisations(user: User) -> QuerySet[Organisation]:
    condition = organisation_filter(user)
    if condition is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(condition)


def scope(queryset: QuerySet[M], user: User, path: str = "organisation") -> QuerySet[M]:
    """Restrict ``queryset`` to rows whose organisation (reached through ``path``) ``user`` may see."""
    condition = organisation_filter(user)
    if condition is None:
        return queryset.none()
    if path == "":
        return queryset.filter(condition)
    prefixed = _prefix(condition, path)
    return queryset.filter(prefixed)


def _prefix(condition: Q, path: str) -> Q:
    """Rewrite a Q on Organisation fields to a Q on ``path__field`` of another model."""
    rewritten = Q()
    rewritten.connector, rewritten.negated = condition.connector, condition.negated
    for child in condition.children:
        if isinstance(child, Q):
            rewritten.children.append(_prefix(child, path))
        else:
            key, value = child
            rewritten.children.append((f"{path}__{key}", value))
    return rewritten
