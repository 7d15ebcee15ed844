"""Security classes of information systems through the ``security-class`` and ``system-obligations`` rules.

Nothing here decides a threshold: the classes come from the rule, and the reasons are found by asking
the rule's own per-column functions which indicator, taken alone, reaches the level the rule returned
(a counterfactual attribution, so the explanation can never disagree with the rule).

Propagation (Annex 4, availability column): a system that an A (B) availability system depends on gets
A (B) availability. ``reclassify`` re-computes the given systems and then, transitively, every system
they depend on, dependents before providers (the dependency graph is acyclic, see ``services``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from kiber.assets.models import (
    INDICATOR_FIELDS,
    InformationResource,
    InformationSystem,
    OrganisationCatalogue,
    SystemDependency,
)
from kiber.registry.models import Organisation
from kiber.rules import security_class as rule_module
from kiber.rules.registry import evaluate

DIMENSIONS = ("confidentiality", "integrity", "availability")
ANNEX_4 = "22-TA-3183 Annex 4"
_COLUMN = {
    "confidentiality": rule_module.confidentiality_class,
    "integrity": rule_module.integrity_class,
    "availability": rule_module.availability_class,
}
# A neutral resource: every indicator at its lowest, the longest tolerated downtime.
_NEUTRAL: dict[str, Any] = {"tolerated_unplanned_downtime_pct": 100.0}


def rule_subject_category(organisation: Organisation) -> str:
    """``essential`` only for essential providers; every other subject is offered no class A (Annex 4)."""
    return "essential" if organisation.is_essential else "important"


def catalogue_of(organisation: Organisation) -> OrganisationCatalogue:
    catalogue, _ = OrganisationCatalogue.objects.get_or_create(organisation=organisation)
    return catalogue


def resource_payload(resource: InformationResource, dependent_availability: list[str]) -> dict[str, Any]:
    payload: dict[str, Any] = {"name": resource.name}
    for field in INDICATOR_FIELDS:
        value = getattr(resource, field)
        payload[field] = float(value) if field == "tolerated_unplanned_downtime_pct" else value
    payload["dependent_systems_availability"] = sorted(set(dependent_availability))
    return payload


def _alone(field: str, value: Any) -> rule_module.InformationResource:
    return rule_module.InformationResource.model_validate({**_NEUTRAL, field: value})


def explain_resource(payload: dict[str, Any], dependents: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Reasons for a resource's uncapped A/B levels: the indicators that alone reach that level."""
    resource = rule_module.InformationResource.model_validate(payload)
    reasons: list[dict[str, Any]] = []
    for dimension in DIMENSIONS:
        level = _COLUMN[dimension](resource)
        if level == "C":
            continue
        for field in INDICATOR_FIELDS:
            value = payload[field]
            if _COLUMN[dimension](_alone(field, value)) == level:
                reasons.append(
                    {
                        "kind": "indicator",
                        "resource": payload["name"],
                        "dimension": dimension,
                        "level": level,
                        "indicator": field,
                        "value": value,
                        "basis": ANNEX_4,
                    }
                )
        if dimension == "availability":
            deciding = [name for name, avail in dependents if avail == level]
            if deciding and _COLUMN[dimension](_alone("dependent_systems_availability", [level])) == level:
                reasons.append(
                    {
                        "kind": "dependency",
                        "resource": payload["name"],
                        "dimension": dimension,
                        "level": level,
                        "indicator": "dependent_systems_availability",
                        "value": deciding,
                        "basis": ANNEX_4,
                    }
                )
    return reasons


def classify(system: InformationSystem, catalogue: OrganisationCatalogue, dependents: list[tuple[str, str]]) -> None:
    """Compute and store ``system``'s classes; ``dependents`` are (name, availability) of systems using it."""
    resources = list(system.resources.all())
    in_ci = system.in_ci_set or catalogue.whole_infrastructure_ci
    dependent_levels = [avail for _, avail in dependents if avail]
    now = timezone.now()
    if not resources:
        system.confidentiality = system.integrity = system.availability = system.security_class = ""
        system.class_reasons = [{"kind": "no_resources"}]
        system.class_basis = ["22-TA-3183 p.33"]
        system.class_warnings = []
        system.obligations = {}
        system.classified_at = now
        system.save()
        return
    payloads = [resource_payload(r, dependent_levels) for r in resources]
    category = rule_subject_category(system.organisation)
    output = evaluate("security-class", {"subject_category": category, "in_ci_set": in_ci, "resources": payloads})

    reasons: list[dict[str, Any]] = []
    for resource, payload, result in zip(resources, payloads, output["resources"], strict=True):
        resource.dependent_systems_availability = payload["dependent_systems_availability"]
        resource.confidentiality = result["confidentiality"]
        resource.integrity = result["integrity"]
        resource.availability = result["availability"]
        resource.save(update_fields=["dependent_systems_availability", "confidentiality", "integrity", "availability"])
        reasons += explain_resource(payload, dependents)
    if output["warnings"]:
        reasons.append(
            {"kind": "lowered", "subject_category": system.organisation.effective_category, "basis": ANNEX_4}
        )
    if in_ci:
        kind = "whole_infrastructure_ci" if catalogue.whole_infrastructure_ci else "ci_set"
        reasons.append({"kind": kind, "level": "A", "basis": "22-TA-3183 p.35"})
    warnings = list(output["warnings"])
    if catalogue.whole_infrastructure_ci:
        warnings.append("whole_infrastructure_ci_agree_with_sab")

    system.confidentiality = output["confidentiality"]
    system.integrity = output["integrity"]
    system.availability = output["availability"]
    system.security_class = output["class"]
    system.class_reasons = reasons
    system.class_basis = output["basis"] + (["22-TA-3183 p.36"] if catalogue.whole_infrastructure_ci else [])
    system.class_warnings = warnings
    system.obligations = evaluate(
        "system-obligations", {"class": output["class"], "confidentiality": output["confidentiality"]}
    )
    system.classified_at = now
    system.save()


def reclassify(organisation: Organisation, start: Iterable[InformationSystem] | None = None) -> list[int]:
    """Re-compute ``start`` (default: every system of the organisation) and, transitively, their providers.

    Returns the ids of the systems re-computed, in order.
    """
    catalogue = catalogue_of(organisation)
    systems = {
        s.pk: s for s in InformationSystem.objects.filter(organisation=organisation).select_related("organisation")
    }
    providers_of: dict[int, set[int]] = defaultdict(set)
    dependents_of: dict[int, set[int]] = defaultdict(set)
    for dependent_id, provider_id in SystemDependency.objects.filter(dependent__organisation=organisation).values_list(
        "dependent_id", "provider_id"
    ):
        providers_of[dependent_id].add(provider_id)
        dependents_of[provider_id].add(dependent_id)

    seeds = list(systems) if start is None else [s.pk for s in start if s.pk in systems]
    affected: set[int] = set()
    stack = list(seeds)
    while stack:
        current = stack.pop()
        if current in affected:
            continue
        affected.add(current)
        stack.extend(providers_of[current])

    # Kahn's order inside the affected set: a system comes after every affected system depending on it.
    waiting = {pk: len(dependents_of[pk] & affected) for pk in affected}
    ready = sorted(pk for pk, n in waiting.items() if n == 0)
    order: list[int] = []
    while ready:
        pk = ready.pop(0)
        order.append(pk)
        for provider in sorted(providers_of[pk] & affected):
            waiting[provider] -= 1
            if waiting[provider] == 0:
                ready.append(provider)
    for pk in order:
        dependents = sorted((systems[d].name, systems[d].availability) for d in dependents_of[pk])
        classify(systems[pk], catalogue, dependents)
    return order
