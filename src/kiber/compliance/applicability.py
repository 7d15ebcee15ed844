"""Which requirements apply to a subject — derived, never picked by hand.

Inputs: the subject's tiers (``ci_owner`` from ``Organisation.is_ci_owner``; ``essential`` or
``important`` from ``Organisation.effective_category``) and its information systems with the classes
computed by the assets app (``security-class`` rule). Each requirement's ``applies_to`` comes from the
catalogue (see ``kiber/catalogue/requirements/22-TA-3183.yaml``).

- Tiers: the item applies if the subject holds one of the item's tiers and every condition scoped to
  that tier holds (``kiber.catalogue.loader.Applicability.applies``).
- Per system: an item with ``per_system`` is answered once for each system (of the listed classes
  when ``classes`` is set; ``class_basis`` "system" compares the system's overall class, "confidentiality"
  its confidentiality class). Others are answered once for the subject.
- Conditions are of three kinds:
  * derived from data — ``not_ci_owner``, ``has_class_a_system``, ``no_class_a_system``,
    ``public_ecn_provider`` (entity kind), ``entire_ict_in_ci_set`` and ``ci_information_system`` /
    ``multiple_is_in_ci_set`` (the ICT catalogue's CI flags; per system for per-system items);
  * qualifiers of the duty's text (``where_technically_possible``, ``as_far_as_possible``,
    ``where_applicable``) — the item applies and the qualifier is shown;
  * circumstances Kiber does not record (outsourcing, new systems, guest Wi-Fi, ...) — the item
    applies and the circumstance is shown; where it does not hold the subject answers "not
    applicable" with a justification, which the supervisor sees. Nobody removes an item by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kiber.assets.models import InformationSystem, OrganisationCatalogue
from kiber.compliance.models import Requirement
from kiber.registry.models import Organisation

DERIVED = frozenset(
    {
        "not_ci_owner",
        "has_class_a_system",
        "no_class_a_system",
        "public_ecn_provider",
        "entire_ict_in_ci_set",
        "ci_information_system",
        "multiple_is_in_ci_set",
    }
)
QUALIFIERS = frozenset({"where_technically_possible", "as_far_as_possible", "where_applicable"})
TIERS = ("ci_owner", "essential", "important")


def subject_tiers(organisation: Organisation) -> list[str]:
    tiers = []
    if organisation.is_ci_owner:
        tiers.append("ci_owner")
    if organisation.effective_category in ("essential", "important"):
        tiers.append(organisation.effective_category)
    return tiers


@dataclass(frozen=True)
class ApplicableItem:
    """One thing to answer: a requirement, for one system when the requirement is per system."""

    requirement: Requirement
    system: InformationSystem | None
    tiers: tuple[str, ...]  # the subject's tiers under which the item applies
    circumstances: tuple[str, ...] = ()  # conditions the subject confirms (or answers N/A)
    qualifiers: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return item_key(self.requirement.ref, self.system.pk if self.system else None)

    @property
    def system_class(self) -> str:
        if self.system is None:
            return ""
        if self.requirement.class_basis == "confidentiality":
            return self.system.confidentiality
        return self.system.security_class


def item_key(ref: str, system_id: int | None) -> str:
    return f"{ref}#{system_id}" if system_id else ref


@dataclass
class SubjectFacts:
    tiers: list[str]
    derived: set[str] = field(default_factory=set)  # derived conditions that hold subject-wide
    ci_system_ids: set[int] = field(default_factory=set)
    whole_infrastructure_ci: bool = False


def subject_facts(organisation: Organisation, systems: list[InformationSystem]) -> SubjectFacts:
    whole = OrganisationCatalogue.objects.filter(organisation=organisation, whole_infrastructure_ci=True).exists()
    ci_ids = {s.pk for s in systems if s.in_ci_set or whole}
    facts = SubjectFacts(subject_tiers(organisation), whole_infrastructure_ci=whole, ci_system_ids=ci_ids)
    derived = facts.derived
    if not organisation.is_ci_owner:
        derived.add("not_ci_owner")
    if any(s.security_class == "A" for s in systems):
        derived.add("has_class_a_system")
    else:
        derived.add("no_class_a_system")
    if organisation.entity_kind == "public_ecn_provider":
        derived.add("public_ecn_provider")
    if whole:
        derived.add("entire_ict_in_ci_set")
    if ci_ids or whole:
        derived.add("ci_information_system")
    if len(ci_ids) > 1:
        derived.add("multiple_is_in_ci_set")
    return facts


def _matching_tiers(requirement: Requirement, tiers: Iterable[str], holding: set[str]) -> tuple[str, ...]:
    """The subject's tiers under which every condition scoped to that tier holds."""
    matched = []
    for tier in tiers:
        if tier not in requirement.tiers:
            continue
        if all(
            _holds(c["key"], holding)
            for c in requirement.conditions
            if c.get("tiers") is None or tier in c["tiers"]
        ):
            matched.append(tier)
    return tuple(matched)


def _holds(key: str, holding: set[str]) -> bool:
    if key in DERIVED:
        return key in holding
    return True  # qualifiers and unrecorded circumstances: the item applies (N/A needs a justification)


def _kinds(requirement: Requirement) -> tuple[tuple[str, ...], tuple[str, ...]]:
    keys = [c["key"] for c in requirement.conditions]
    circumstances = tuple(k for k in keys if k not in DERIVED and k not in QUALIFIERS)
    qualifiers = tuple(k for k in keys if k in QUALIFIERS)
    return circumstances, qualifiers


def applicable_items(
    organisation: Organisation,
    requirements: list[Requirement] | None = None,
    systems: list[InformationSystem] | None = None,
) -> list[ApplicableItem]:
    """Every item the subject answers, in catalogue order (systems by name within a requirement)."""
    if requirements is None:
        requirements = list(Requirement.objects.filter(active=True).order_by("sort_key"))
    if systems is None:
        systems = list(InformationSystem.objects.filter(organisation=organisation).order_by("name"))
    facts = subject_facts(organisation, systems)
    items: list[ApplicableItem] = []
    for requirement in requirements:
        circumstances, qualifiers = _kinds(requirement)
        if not requirement.per_system:
            tiers = _matching_tiers(requirement, facts.tiers, facts.derived)
            if tiers:
                items.append(ApplicableItem(requirement, None, tiers, circumstances, qualifiers))
            continue
        for system in systems:
            if requirement.classes:
                confidentiality = requirement.class_basis == "confidentiality"
                level = system.confidentiality if confidentiality else system.security_class
                if level not in requirement.classes:
                    continue
            holding = set(facts.derived)
            holding.discard("ci_information_system")
            if system.pk in facts.ci_system_ids:
                holding.add("ci_information_system")
            tiers = _matching_tiers(requirement, facts.tiers, holding)
            if tiers:
                items.append(ApplicableItem(requirement, system, tiers, circumstances, qualifiers))
    return items


def describe(item: ApplicableItem) -> dict[str, Any]:
    """Why the item applies, as data (shown next to the item and frozen in the snapshot)."""
    return {
        "tiers": list(item.tiers),
        "per_system": item.requirement.per_system,
        "classes": list(item.requirement.classes),
        "class_basis": item.requirement.class_basis,
        "system_class": item.system_class,
        "circumstances": list(item.circumstances),
        "qualifiers": list(item.qualifiers),
        "basis": [f"22-TA-3183 p.{item.requirement.point}"],
    }
