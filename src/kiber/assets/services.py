"""The only writers of the ICT catalogue: one function per business action, atomic and audited.

Every change re-computes the classes of the changed system and, transitively, of the systems it
depends on (availability propagation, Annex 4), and records the catalogue's update date (p. 32).
Bad input raises ``django.core.exceptions.ValidationError`` with a dict of field -> messages.
Updates are compare-and-set on the record's version (``data["version"]``: the version the editor saw);
a stale one raises ``kiber.versioning.StaleVersion`` and changes nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiber import versioning
from kiber.assets.classification import catalogue_of, reclassify
from kiber.assets.models import (
    INDICATOR_FIELDS,
    InformationResource,
    InformationSystem,
    OrganisationCatalogue,
    ResponsiblePerson,
    SystemDependency,
)
from kiber.audit.services import record
from kiber.registry.models import Organisation, User
from kiber.rules.registry import evaluate

SYSTEM_FIELDS = ("name", "description", "in_ci_set", "controller_name", "controller_registration_number")
RESOURCE_FIELDS = ("name", "description", *INDICATOR_FIELDS)
PERSON_FIELDS = ("name", "position", "email", "phone", "role", "competences")


def _snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {f: getattr(obj, f) for f in fields}


def _diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def _apply(obj: Any, data: dict[str, Any], fields: tuple[str, ...]) -> dict[str, list[Any]]:
    """Set ``fields`` of ``obj`` from ``data``; the changes as {field: [old, new]} for the audit log."""
    before = _snapshot(obj, fields)
    for field in fields:
        if field in data:
            value = data[field]
            if isinstance(value, float):
                value = Decimal(str(value))
            setattr(obj, field, value)
    return _diff(before, _snapshot(obj, fields))


def _validate(obj: Any, exclude: list[str] | None = None) -> None:
    obj.full_clean(exclude=exclude, validate_constraints=False)


def _check_name_free(organisation: Organisation, name: str, exclude_pk: int | None = None) -> None:
    clash = InformationSystem.objects.filter(organisation=organisation, name=name).exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": [_("Sistēma ar šādu nosaukumu katalogā jau ir.")]})


def touch_catalogue(organisation: Organisation) -> OrganisationCatalogue:
    """Record the catalogue's update date (p. 32)."""
    catalogue = catalogue_of(organisation)
    catalogue.updated_at = timezone.now()
    catalogue.save(update_fields=["updated_at"])
    return catalogue


def _class_changes(before: dict[int, str], organisation: Organisation) -> dict[str, list[str]]:
    after = dict(InformationSystem.objects.filter(organisation=organisation).values_list("pk", "security_class"))
    return {str(pk): [before.get(pk, ""), cls] for pk, cls in after.items() if before.get(pk, "") != cls}


def _classes(organisation: Organisation) -> dict[int, str]:
    return dict(InformationSystem.objects.filter(organisation=organisation).values_list("pk", "security_class"))


# --- systems ---------------------------------------------------------------------------------------


@transaction.atomic
def create_system(
    actor: User | None,
    organisation: Organisation,
    data: dict[str, Any],
    resources: list[dict[str, Any]] | None = None,
) -> InformationSystem:
    """Add a system (and optionally its first resource categories) and classify it."""
    system = InformationSystem(organisation=organisation)
    _apply(system, data, SYSTEM_FIELDS)
    if not system.controller_name:
        system.controller_name = organisation.name
        system.controller_registration_number = system.controller_registration_number or (
            organisation.registration_number
        )
    _validate(system)
    _check_name_free(organisation, system.name)
    system.save()
    record(actor, "create", system, organisation_id=organisation.pk, changes=_snapshot(system, SYSTEM_FIELDS))
    for index, resource_data in enumerate(resources or []):
        try:
            _create_resource(actor, system, resource_data)
        except ValidationError as exc:
            raise ValidationError({f"resources.{index}.{k}": v for k, v in exc.message_dict.items()}) from None
    reclassify(organisation, [system])
    touch_catalogue(organisation)
    system.refresh_from_db()
    return system


@transaction.atomic
def update_system(actor: User | None, system: InformationSystem, data: dict[str, Any]) -> InformationSystem:
    changes = _apply(system, data, SYSTEM_FIELDS)
    _validate(system)
    _check_name_free(system.organisation, system.name, exclude_pk=system.pk)
    versioning.save(system, versioning.expected(data))
    record(actor, "update", system, organisation_id=system.organisation_id, changes=changes)
    if "in_ci_set" in changes:
        reclassify(system.organisation, [system])
    touch_catalogue(system.organisation)
    system.refresh_from_db()
    return system


@transaction.atomic
def delete_system(actor: User | None, system: InformationSystem) -> None:
    organisation = system.organisation
    providers = list(InformationSystem.objects.filter(dependents__dependent=system))
    record(actor, "delete", system, organisation_id=organisation.pk, changes=_snapshot(system, SYSTEM_FIELDS))
    system.delete()
    if providers:
        reclassify(organisation, providers)
    touch_catalogue(organisation)


@transaction.atomic
def recompute_classes(actor: User | None, organisation: Organisation) -> list[int]:
    """Re-classify every system of a subject (e.g. after its category changed)."""
    before = _classes(organisation)
    order = reclassify(organisation)
    record(
        actor,
        "reclassify",
        catalogue_of(organisation),
        organisation_id=organisation.pk,
        changes=_class_changes(before, organisation),
    )
    return order


# --- resources -------------------------------------------------------------------------------------


def _create_resource(actor: User | None, system: InformationSystem, data: dict[str, Any]) -> InformationResource:
    resource = InformationResource(system=system)
    _apply(resource, data, RESOURCE_FIELDS)
    _validate(resource, exclude=["system"])
    resource.save()
    record(
        actor,
        "create",
        resource,
        organisation_id=system.organisation_id,
        changes={"system": system.name, **_snapshot(resource, RESOURCE_FIELDS)},
    )
    return resource


@transaction.atomic
def add_resource(actor: User | None, system: InformationSystem, data: dict[str, Any]) -> InformationResource:
    resource = _create_resource(actor, system, data)
    reclassify(system.organisation, [system])
    touch_catalogue(system.organisation)
    resource.refresh_from_db()
    return resource


@transaction.atomic
def update_resource(actor: User | None, resource: InformationResource, data: dict[str, Any]) -> InformationResource:
    changes = _apply(resource, data, RESOURCE_FIELDS)
    _validate(resource, exclude=["system"])
    versioning.save(resource, versioning.expected(data))
    system = resource.system
    record(actor, "update", resource, organisation_id=system.organisation_id, changes=changes)
    reclassify(system.organisation, [system])
    touch_catalogue(system.organisation)
    resource.refresh_from_db()
    return resource


@transaction.atomic
def delete_resource(actor: User | None, resource: InformationResource) -> None:
    system = resource.system
    record(
        actor,
        "delete",
        resource,
        organisation_id=system.organisation_id,
        changes={"system": system.name, **_snapshot(resource, RESOURCE_FIELDS)},
    )
    resource.delete()
    reclassify(system.organisation, [system])
    touch_catalogue(system.organisation)


# --- dependencies ----------------------------------------------------------------------------------


def would_cycle(dependent: InformationSystem, provider: InformationSystem) -> list[str] | None:
    """The path provider -> ... -> dependent if adding dependent -> provider closes a cycle."""
    edges: dict[int, list[int]] = {}
    for d, p in SystemDependency.objects.filter(dependent__organisation_id=dependent.organisation_id).values_list(
        "dependent_id", "provider_id"
    ):
        edges.setdefault(d, []).append(p)
    names = dict(InformationSystem.objects.filter(organisation_id=dependent.organisation_id).values_list("pk", "name"))
    # Depth-first search from provider along "depends on" edges, looking for dependent.
    stack: list[tuple[int, list[int]]] = [(provider.pk, [provider.pk])]
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        if node == dependent.pk:
            return [names[dependent.pk]] + [names[n] for n in path]
        if node in seen:
            continue
        seen.add(node)
        for nxt in edges.get(node, []):
            stack.append((nxt, path + [nxt]))
    return None


@transaction.atomic
def add_dependency(
    actor: User | None, dependent: InformationSystem, provider: InformationSystem, description: str = ""
) -> SystemDependency:
    """Record that ``dependent`` depends on ``provider``; reject self, duplicates, other subjects and cycles."""
    if provider.organisation_id != dependent.organisation_id:
        raise ValidationError({"provider": [_("Atkarību var norādīt tikai starp viena subjekta sistēmām.")]})
    if provider.pk == dependent.pk:
        raise ValidationError({"provider": [_("Sistēma nevar būt atkarīga pati no sevis.")]})
    if SystemDependency.objects.filter(dependent=dependent, provider=provider).exists():
        raise ValidationError({"provider": [_("Šī atkarība jau ir norādīta.")]})
    cycle = would_cycle(dependent, provider)
    if cycle:
        raise ValidationError({"provider": [_("Atkarība veidotu ciklu: %(path)s.") % {"path": " → ".join(cycle)}]})
    dependency = SystemDependency.objects.create(dependent=dependent, provider=provider, description=description)
    record(
        actor,
        "create",
        dependency,
        organisation_id=dependent.organisation_id,
        changes={"dependent": dependent.name, "provider": provider.name, "description": description},
    )
    reclassify(dependent.organisation, [provider])
    touch_catalogue(dependent.organisation)
    return dependency


@transaction.atomic
def remove_dependency(actor: User | None, dependency: SystemDependency) -> None:
    provider = dependency.provider
    organisation = provider.organisation
    record(
        actor,
        "delete",
        dependency,
        organisation_id=organisation.pk,
        changes={"dependent": dependency.dependent.name, "provider": provider.name},
    )
    dependency.delete()
    reclassify(organisation, [provider])
    touch_catalogue(organisation)


# --- responsible persons ---------------------------------------------------------------------------


@transaction.atomic
def add_person(actor: User | None, system: InformationSystem, data: dict[str, Any]) -> ResponsiblePerson:
    person = ResponsiblePerson(system=system)
    _apply(person, data, PERSON_FIELDS)
    _validate(person, exclude=["system"])
    person.save()
    record(
        actor,
        "create",
        person,
        organisation_id=system.organisation_id,
        changes={"system": system.name, **_snapshot(person, PERSON_FIELDS)},
    )
    touch_catalogue(system.organisation)
    return person


@transaction.atomic
def update_person(actor: User | None, person: ResponsiblePerson, data: dict[str, Any]) -> ResponsiblePerson:
    changes = _apply(person, data, PERSON_FIELDS)
    _validate(person, exclude=["system"])
    versioning.save(person, versioning.expected(data))
    record(actor, "update", person, organisation_id=person.system.organisation_id, changes=changes)
    touch_catalogue(person.system.organisation)
    return person


@transaction.atomic
def delete_person(actor: User | None, person: ResponsiblePerson) -> None:
    organisation = person.system.organisation
    record(actor, "delete", person, organisation_id=organisation.pk, changes=_snapshot(person, PERSON_FIELDS))
    person.delete()
    touch_catalogue(organisation)


# --- the catalogue as a whole ----------------------------------------------------------------------


def subject_tier(organisation: Organisation) -> str:
    """The review-intervals rule's tier: CI owner, essential, else important."""
    if organisation.is_ci_owner:
        return "ci_owner"
    return "essential" if organisation.is_essential else "important"


def catalogue_update_due(organisation: Organisation, changed_on: date) -> date:
    """p. 32: the last day to reflect a change, from the review-intervals rule (change + one month)."""
    output = evaluate(
        "review-intervals",
        {"subject_tier": subject_tier(organisation), "catalogue_changed_on": changed_on.isoformat()},
    )
    return date.fromisoformat(output["catalogue_update_due"])


def _locked_catalogue(organisation: Organisation) -> OrganisationCatalogue:
    return OrganisationCatalogue.objects.select_for_update().get(pk=catalogue_of(organisation).pk)


@transaction.atomic
def set_whole_infrastructure_ci(
    actor: User | None, organisation: Organisation, value: bool, version: int | None = None
) -> OrganisationCatalogue:
    """p. 35–36: the whole ICT infrastructure in the CI set makes every system class A.

    ``version``: the catalogue's version the editor saw; a stale one raises ``StaleVersion``.
    """
    catalogue = _locked_catalogue(organisation)
    if version is not None and version != catalogue.version:
        raise versioning.StaleVersion(catalogue, version)
    if catalogue.whole_infrastructure_ci == value:
        return catalogue
    catalogue.whole_infrastructure_ci = value
    versioning.save(catalogue, version, update_fields=["whole_infrastructure_ci"])
    before = _classes(organisation)
    reclassify(organisation)
    record(
        actor,
        "update",
        catalogue,
        organisation_id=organisation.pk,
        changes={"whole_infrastructure_ci": [not value, value], "classes": _class_changes(before, organisation)},
    )
    return touch_catalogue(organisation)


@transaction.atomic
def report_change(
    actor: User | None, organisation: Organisation, changed_on: date, note: str = ""
) -> OrganisationCatalogue:
    """Record a change of the subject's ICT that the catalogue must reflect within a month (p. 32).

    Reports add up (earliest date, notes appended), so no version is checked; the new version makes a
    confirmation from a page that did not show this report stale.
    """
    today = timezone.localdate()
    if changed_on > today:
        raise ValidationError({"changed_on": [_("Izmaiņu datums nevar būt nākotnē.")]})
    catalogue = _locked_catalogue(organisation)
    if catalogue.change_pending_since and catalogue.change_pending_since <= changed_on:
        changed_on = catalogue.change_pending_since  # the earliest unreflected change decides the due date
    catalogue.change_pending_since = changed_on
    catalogue.change_note = "\n".join(filter(None, [catalogue.change_note, note]))
    catalogue.update_due = catalogue_update_due(organisation, changed_on)
    versioning.save(catalogue, update_fields=["change_pending_since", "change_note", "update_due"])
    record(
        actor,
        "report_change",
        catalogue,
        organisation_id=organisation.pk,
        changes={"changed_on": changed_on, "note": note, "update_due": catalogue.update_due},
    )
    return catalogue


@transaction.atomic
def confirm_up_to_date(
    actor: User | None, organisation: Organisation, version: int | None = None
) -> OrganisationCatalogue:
    """The subject confirms the catalogue reflects every change: clears a pending change, records the date.

    ``version``: the catalogue's version the subject saw; a change reported since makes it stale.
    """
    catalogue = _locked_catalogue(organisation)
    changes = {"change_pending_since": catalogue.change_pending_since, "update_due": catalogue.update_due}
    catalogue.change_pending_since = None
    catalogue.update_due = None
    catalogue.change_note = ""
    versioning.save(catalogue, version, update_fields=["change_pending_since", "update_due", "change_note"])
    record(actor, "confirm_up_to_date", catalogue, organisation_id=organisation.pk, changes=changes)
    return touch_catalogue(organisation)


# --- import ----------------------------------------------------------------------------------------


def _import_persons(
    actor: User | None, system: InformationSystem, persons: list[dict[str, Any]], counts: dict[str, int]
) -> None:
    """Create or update the system's responsible persons of an import (matched by name and role)."""
    existing = {(p.name, p.role): p for p in system.responsible_persons.all()}
    for data in persons:
        clean = {k: v for k, v in data.items() if k in PERSON_FIELDS}
        person = existing.get((clean["name"], clean["role"]))
        if person is None:
            person = ResponsiblePerson(system=system)
            _apply(person, clean, PERSON_FIELDS)
            person.save()
            record(
                actor,
                "create",
                person,
                organisation_id=system.organisation_id,
                changes={"source": "import", "system": system.name, **_snapshot(person, PERSON_FIELDS)},
            )
            counts["persons_created"] += 1
            continue
        changes = _apply(person, clean, PERSON_FIELDS)
        if changes:
            versioning.save(person)
            record(
                actor,
                "update",
                person,
                organisation_id=system.organisation_id,
                changes={"source": "import", **changes},
            )
            counts["persons_updated"] += 1


@transaction.atomic
def import_catalogue(actor: User | None, organisation: Organisation, plan: Any) -> dict[str, int]:
    """Save a validated ``kiber.assets.importers.ImportPlan`` at once, or nothing.

    Systems are matched by name (created or their given fields updated), resource categories by name
    within their system (created or updated), responsible persons by name and role within their system
    (created or updated); dependencies are added; nothing is deleted.
    """
    if plan.errors:
        raise ValidationError({"file": [_("Failā ir kļūdas; nekas nav saglabāts.")]})
    counts = {
        "systems_created": 0,
        "systems_updated": 0,
        "resources_created": 0,
        "resources_updated": 0,
        "dependencies_created": 0,
        "persons_created": 0,
        "persons_updated": 0,
    }
    by_name = {s.name: s for s in InformationSystem.objects.filter(organisation=organisation)}
    touched: list[InformationSystem] = []
    for name, item in plan.systems.items():
        system = by_name.get(name)
        if system is None:
            data = {"name": name, **item.data}
            system = InformationSystem(organisation=organisation)
            _apply(system, data, SYSTEM_FIELDS)
            if not system.controller_name:
                system.controller_name = organisation.name
                system.controller_registration_number = organisation.registration_number
            _validate(system)
            system.save()
            record(
                actor,
                "create",
                system,
                organisation_id=organisation.pk,
                changes={"source": "import", **_snapshot(system, SYSTEM_FIELDS)},
            )
            counts["systems_created"] += 1
            by_name[name] = system
        else:
            before = _snapshot(system, SYSTEM_FIELDS)
            _apply(system, {k: v for k, v in item.data.items() if v not in ("", None)}, SYSTEM_FIELDS)
            if "in_ci_set" in item.data:
                system.in_ci_set = item.data["in_ci_set"]
            _validate(system)
            changes = _diff(before, _snapshot(system, SYSTEM_FIELDS))
            if changes:
                versioning.save(system)
                record(
                    actor, "update", system, organisation_id=organisation.pk, changes={"source": "import", **changes}
                )
                counts["systems_updated"] += 1
        touched.append(system)
        existing_resources = {r.name: r for r in system.resources.all()}
        for data in item.resources:
            clean = {k: v for k, v in data.items() if k in RESOURCE_FIELDS}
            resource = existing_resources.get(clean["name"])
            if resource is None:
                resource = InformationResource(system=system)
                _apply(resource, clean, RESOURCE_FIELDS)
                resource.save()
                record(
                    actor,
                    "create",
                    resource,
                    organisation_id=organisation.pk,
                    changes={"source": "import", "system": name, **_snapshot(resource, RESOURCE_FIELDS)},
                )
                counts["resources_created"] += 1
            else:
                changes = _apply(resource, clean, RESOURCE_FIELDS)
                if changes:
                    versioning.save(resource)
                    record(
                        actor,
                        "update",
                        resource,
                        organisation_id=organisation.pk,
                        changes={"source": "import", **changes},
                    )
                    counts["resources_updated"] += 1
        _import_persons(actor, system, item.persons, counts)
    for name, item in plan.systems.items():
        for provider_name in item.depends_on:
            dependent, provider = by_name[name], by_name[provider_name]
            if SystemDependency.objects.filter(dependent=dependent, provider=provider).exists():
                continue
            if would_cycle(dependent, provider):
                raise ValidationError({"depends_on": [_("Atkarības veido ciklu.")]})
            dependency = SystemDependency.objects.create(dependent=dependent, provider=provider)
            record(
                actor,
                "create",
                dependency,
                organisation_id=organisation.pk,
                changes={"source": "import", "dependent": name, "provider": provider_name},
            )
            counts["dependencies_created"] += 1
    reclassify(organisation, touched)
    touch_catalogue(organisation)
    return counts
