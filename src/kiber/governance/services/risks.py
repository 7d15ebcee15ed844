"""Risk assessment, treatment plan and continuity (p. 42–46): methodology, risks, measures, objectives."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiber import versioning
from kiber.audit.services import record
from kiber.governance.models import ContinuityObjective, Measure, PlanResponsibleNotice, Risk, RiskMethodology
from kiber.governance.services.common import apply, require_edit
from kiber.registry.choices import Duty
from kiber.registry.models import Organisation, User
from kiber.registry.services import active_appointment
from kiber.rules.working_days import add_working_days

METHODOLOGY_FIELDS = (
    "risk_list",
    "likelihood_levels",
    "impact_levels",
    "acceptable_score",
    "review_period_months",
    "description",
)
RISK_FIELDS = (
    "system",
    "scope",
    "title",
    "threat",
    "supply_chain",
    "likelihood",
    "impact",
    "previous_likelihood",
    "previous_impact",
    "owner",
)
MEASURE_FIELDS = ("description", "implementer", "controller", "due_on", "periodicity", "status", "progress")
CONTINUITY_FIELDS = (
    "system",
    "rpo_hours",
    "rto_hours",
    "mtd_hours",
    "monitoring",
    "exceedance_action",
    "recovery_plan",
    "reserve_resources",
    "provider_independent_ip",
)


@transaction.atomic
def save_methodology(actor: User, organisation: Organisation, data: dict[str, Any]) -> RiskMethodology:
    require_edit(actor, organisation)
    existing = RiskMethodology.objects.filter(organisation=organisation).first()
    methodology = existing or RiskMethodology(organisation=organisation)
    changes = apply(methodology, data, METHODOLOGY_FIELDS)
    top = len(methodology.likelihood_levels) * len(methodology.impact_levels)
    if methodology.acceptable_score > top:
        raise ValidationError(
            {"acceptable_score": [_("Vērtība nevar pārsniegt matricas augstāko vērtību %(top)s.") % {"top": top}]}
        )
    methodology.full_clean(exclude=["organisation"])
    if existing is None:
        methodology.save()
    else:
        versioning.save(methodology, versioning.expected(data))
        _check_risks_fit(methodology)
    record(actor, "update" if existing else "create", methodology, organisation_id=organisation.pk, changes=changes)
    return methodology


def _check_risks_fit(methodology: RiskMethodology) -> None:
    """A shorter scale must not leave assessed risks outside the matrix."""
    risks = Risk.objects.filter(organisation=methodology.organisation)
    if (
        risks.filter(likelihood__gt=len(methodology.likelihood_levels)).exists()
        or risks.filter(impact__gt=len(methodology.impact_levels)).exists()
    ):
        raise ValidationError({"__all__": [_("Daži riski novērtēti ārpus jaunās skalas; vispirms pārvērtējiet tos.")]})


def _check_risk(risk: Risk, organisation: Organisation) -> None:
    methodology = RiskMethodology.objects.filter(organisation=organisation).first()
    if methodology is None:
        raise ValidationError({"__all__": [_("Vispirms aprakstiet kiberrisku novērtēšanas metodiku (42.1. p.).")]})
    if risk.system is not None and risk.system.organisation_id != organisation.pk:
        raise ValidationError({"system": [_("Izvēlieties sava kataloga sistēmu.")]})
    if risk.system is None and not risk.scope.strip():
        raise ValidationError({"scope": [_("Norādiet sistēmu vai tīklu, vai IKT resursu, uz ko risks attiecas.")]})
    scales = {"likelihood": len(methodology.likelihood_levels), "impact": len(methodology.impact_levels)}
    errors: dict[str, list[str]] = {}
    for field, top in (
        *scales.items(),
        ("previous_likelihood", scales["likelihood"]),
        ("previous_impact", scales["impact"]),
    ):
        value = getattr(risk, field)
        if value is not None and not 1 <= value <= top:
            errors[field] = [_("Vērtībai jābūt no 1 līdz %(top)s (metodikas skala).") % {"top": top}]
    if (risk.previous_likelihood is None) != (risk.previous_impact is None):
        errors.setdefault("previous_impact", []).append(_("Norādiet abas iepriekšējā perioda vērtības vai nevienu."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_risk(actor: User, organisation: Organisation, data: dict[str, Any], risk: Risk | None = None) -> Risk:
    require_edit(actor, organisation)
    creating = risk is None
    risk = risk or Risk(organisation=organisation)
    changes = apply(risk, data, RISK_FIELDS)
    _check_risk(risk, organisation)
    risk.full_clean(exclude=["organisation", "system"])
    if creating:
        risk.save()
    else:
        versioning.save(risk, versioning.expected(data))
    record(actor, "create" if creating else "update", risk, organisation_id=organisation.pk, changes=changes)
    return risk


@transaction.atomic
def delete_risk(actor: User, risk: Risk) -> None:
    require_edit(actor, risk.organisation)
    record(actor, "delete", risk, organisation_id=risk.organisation_id, changes={"title": risk.title})
    risk.delete()


def _check_measure(measure: Measure) -> None:
    if measure.due_on is None and not measure.periodicity.strip():
        raise ValidationError({"due_on": [_("Norādiet termiņu vai periodiskumu (42.3. p.).")]})
    if measure.progress > 100:
        raise ValidationError({"progress": [_("Izpilde nevar pārsniegt 100 %.")]})


@transaction.atomic
def save_measure(actor: User, risk: Risk, data: dict[str, Any], measure: Measure | None = None) -> Measure:
    require_edit(actor, risk.organisation)
    creating = measure is None
    measure = measure or Measure(risk=risk)
    changes = apply(measure, data, MEASURE_FIELDS)
    _check_measure(measure)
    measure.full_clean(exclude=["risk"])
    if creating:
        measure.save()
    else:
        versioning.save(measure, versioning.expected(data))
    record(actor, "create" if creating else "update", measure, organisation_id=risk.organisation_id, changes=changes)
    return measure


def continuity_warnings(objective: ContinuityObjective) -> list[str]:
    """Catalogue checks of p. 43.2–43.3 (warnings: the plan may still be saved)."""
    found = []
    security_class = objective.system.security_class
    if security_class in ("A", "B") and not objective.reserve_resources.strip():
        found.append(_("A un B klases sistēmai jāparedz rezerves IKT resursi (43.2. p.)."))
    if security_class == "A" and not objective.provider_independent_ip:
        found.append(_("A klases sistēmai iespēju robežās jānodrošina neatkarīgas IP adreses (43.3. p.)."))
    return found


@transaction.atomic
def save_continuity(
    actor: User, organisation: Organisation, data: dict[str, Any], objective: ContinuityObjective | None = None
) -> ContinuityObjective:
    require_edit(actor, organisation)
    creating = objective is None
    objective = objective or ContinuityObjective(organisation=organisation)
    changes = apply(objective, data, CONTINUITY_FIELDS)
    if objective.system.organisation_id != organisation.pk:
        raise ValidationError({"system": [_("Izvēlieties sava kataloga sistēmu.")]})
    clash = ContinuityObjective.objects.filter(system=objective.system).exclude(pk=objective.pk)
    if clash.exists():
        raise ValidationError({"system": [_("Šai sistēmai raksturlielumi jau ir noteikti.")]})
    if objective.rto_hours > objective.mtd_hours:
        raise ValidationError(
            {
                "rto_hours": [
                    _(
                        "RTO nevar būt lielāks par MTD: atjaunošanai jānotiek pirms "
                        "maksimāli pieļaujamā dīkstāves laika beigām (42.4. p.)."
                    )
                ]
            }
        )
    objective.full_clean(exclude=["organisation", "system"])
    if creating:
        objective.save()
    else:
        versioning.save(objective, versioning.expected(data))
    record(actor, "create" if creating else "update", objective, organisation_id=organisation.pk, changes=changes)
    return objective


def plan_responsible_due(notice: PlanResponsibleNotice) -> date:
    """p. 46.2: SAB is informed within five working days of the appointment."""
    return add_working_days(notice.appointed_on, 5)


def manager_is_plan_responsible(organisation: Organisation) -> bool:
    """p. 22: a CI owner's cybersecurity manager must not be the person responsible for the plan."""
    person = organisation.responsible_persons.filter(duty=Duty.PLAN).first()
    manager = active_appointment(organisation)
    if person is None or manager is None:
        return False
    same_email = bool(person.email) and person.email.lower() == manager.email.lower()
    same_code = bool(person.personal_code) and person.personal_code == manager.personal_code
    return same_email or same_code or person.full_name.strip().lower() == manager.full_name.strip().lower()


@transaction.atomic
def save_plan_responsible_notice(
    actor: User, organisation: Organisation, data: dict[str, Any]
) -> PlanResponsibleNotice:
    require_edit(actor, organisation)
    if not organisation.is_ci_owner:
        raise ValidationError({"__all__": [_("Attiecas uz IKT kritiskās infrastruktūras īpašnieku (46. p.).")]})
    existing = PlanResponsibleNotice.objects.filter(organisation=organisation).first()
    notice = existing or PlanResponsibleNotice(organisation=organisation)
    changes = apply(notice, data, ("appointed_on", "sab_informed_on"))
    today = timezone.localdate()
    if notice.appointed_on > today:
        raise ValidationError({"appointed_on": [_("Datums nevar būt nākotnē.")]})
    if notice.sab_informed_on is not None and not notice.appointed_on <= notice.sab_informed_on <= today:
        raise ValidationError({"sab_informed_on": [_("Datumam jābūt starp noteikšanas dienu un šodienu.")]})
    notice.full_clean(exclude=["organisation"])
    if existing is None:
        notice.save()
    else:
        versioning.save(notice, versioning.expected(data))
    record(actor, "update" if existing else "create", notice, organisation_id=organisation.pk, changes=changes)
    return notice
