"""A CI owner's continuity plan for a state threat (p. 112–117, Annex 8): the subject's record, SAB's part."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiber import versioning
from kiber.audit.services import record
from kiber.governance.models import StateThreatPlan
from kiber.governance.services.common import apply, require_edit
from kiber.registry.choices import Role
from kiber.registry.models import Organisation, User
from kiber.rules.review_intervals import add_months, add_years

P = "22-TA-3183 p."
SUBJECT_FIELDS = (
    "responsible_name",
    "responsible_email",
    "responsible_appointed_on",
    "exemption",
    "exemption_basis",
    "content_points",
    "approved_on",
    "sab_delivered_on",
    "self_assessment_on",
)
SAB_FIELDS = ("sab_agreed_on", "vetting")


@dataclass(frozen=True)
class Deadline:
    what: str
    due: date | None
    done_on: date | None
    basis: str

    @property
    def status(self) -> str:
        if self.due is None:
            return "none"
        if self.done_on is not None:
            return "met" if self.done_on <= self.due else "late"
        return "overdue" if timezone.localdate() > self.due else "open"


def deadlines(plan: StateThreatPlan) -> list[Deadline]:
    """p. 114: to SAB within a month of approval; p. 117: the update self-assessment at least every four years."""
    approved = plan.approved_on
    delivery = Deadline(
        _("Nosūtīt SAB pēc apstiprināšanas"),
        add_months(approved, 1) if approved else None,
        plan.sab_delivered_on,
        P + "114",
    )
    since = plan.self_assessment_on or approved
    review = Deadline(
        _("Pašvērtējums AM, nozares ministrijai un SAB"), add_years(since, 4) if since else None, None, P + "117"
    )
    return [delivery, review]


def _check(plan: StateThreatPlan) -> None:
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    for field in ("responsible_appointed_on", "approved_on", "sab_delivered_on", "self_assessment_on"):
        value = getattr(plan, field)
        if value is not None and value > today:
            errors[field] = [_("Datums nevar būt nākotnē.")]
    if plan.approved_on and not plan.exemption:
        if plan.sab_agreed_on is None or plan.sab_agreed_on > plan.approved_on:
            errors.setdefault("approved_on", []).append(_("Pirms apstiprināšanas plāns jāsaskaņo ar SAB (112.1. p.)."))
    if plan.sab_delivered_on and (plan.approved_on is None or plan.sab_delivered_on < plan.approved_on):
        errors.setdefault("sab_delivered_on", []).append(_("Nosūta apstiprinātu plānu (114. p.)."))
    if plan.exemption and not plan.exemption_basis.strip():
        errors["exemption_basis"] = [_("Norādiet plānu vai sertificēto sistēmu (115. p.).")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_plan(actor: User, organisation: Organisation, data: dict[str, Any]) -> StateThreatPlan:
    require_edit(actor, organisation)
    if not organisation.is_ci_owner:
        raise ValidationError({"__all__": [_("Plānu izstrādā IKT kritiskās infrastruktūras īpašnieks (112. p.).")]})
    existing = StateThreatPlan.objects.filter(organisation=organisation).first()
    plan = existing or StateThreatPlan(organisation=organisation)
    changes = apply(plan, data, SUBJECT_FIELDS)
    _check(plan)
    plan.full_clean(exclude=["organisation"])
    if existing is None:
        plan.save()
    else:
        versioning.save(plan, versioning.expected(data))
    record(actor, "update" if existing else "create", plan, organisation_id=organisation.pk, changes=changes)
    return plan


@transaction.atomic
def sab_review(actor: User, plan: StateThreatPlan, data: dict[str, Any]) -> StateThreatPlan:
    """SAB records its agreement to the plan (p. 112.1) and its check of the responsible person (p. 113)."""
    if actor.role != Role.SAB_OFFICER:
        raise PermissionDenied
    changes = apply(plan, data, SAB_FIELDS)
    if plan.sab_agreed_on is not None and plan.sab_agreed_on > timezone.localdate():
        raise ValidationError({"sab_agreed_on": [_("Datums nevar būt nākotnē.")]})
    plan.full_clean(exclude=["organisation"])
    versioning.save(plan, versioning.expected(data))
    record(actor, "sab_review", plan, organisation_id=plan.organisation_id, changes=changes)
    return plan
