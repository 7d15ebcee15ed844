"""ICT catalogue API at /api/v1/assets: systems, resource categories, dependencies (scoped).

Reads are scoped (another subject's system is 404); writes are for the subject's own admins and
cybersecurity manager (403 otherwise). Bad input answers 422 with Ninja's error body
``{"detail": [{"loc": [...], "msg": ..., "type": ...}]}``; a service's field errors use the same
shape (``loc`` = ["body", "payload", <field path>]); nothing is saved.

Systems and resource categories carry a ``version`` (also the ``ETag`` of GET and PATCH); a PATCH with
``If-Match`` (or a ``version`` field) naming an older version is refused with 412, nothing changed
(``kiber.versioning``). Without either, the PATCH applies to the current version.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from kiber import versioning
from kiber.assets import selectors, services
from kiber.assets.models import InformationResource, InformationSystem, SystemDependency
from kiber.assets.reasons import reason_text, warning_texts
from kiber.registry.models import User

router = Router(tags=["assets"])

Count = Annotated[int, Field(ge=0, le=9_000_000_000)]
Downtime = Annotated[Decimal, Field(ge=0, le=100, max_digits=6, decimal_places=3)]
Name = Annotated[str, Field(min_length=1, max_length=255)]


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _errors(exc: ValidationError) -> NinjaValidationError:
    return NinjaValidationError(
        [
            {"type": "value_error", "loc": ["body", "payload", *([] if f == "__all__" else f.split("."))], "msg": m}
            for f, messages in exc.message_dict.items()
            for m in messages
        ]
    )


def _given(patch: Schema) -> dict[str, Any]:
    """The fields a PATCH sets; ``null`` leaves a field as it is (none of them may be empty)."""
    return {k: v for k, v in patch.dict(exclude_unset=True).items() if v is not None}


def _editable(request: HttpRequest, organisation_id: int) -> None:
    if not selectors.can_edit(_user(request), organisation_id):
        raise HttpError(403, "only the subject's administrators may change its catalogue")


# --- schemas ---------------------------------------------------------------------------------------


class ResourceIn(Schema):
    name: Name
    description: str = ""
    personal_data_subjects: Count = 0
    special_category_subjects: Count = 0
    national_security_harm: bool = False
    restricted_information: bool = False
    reputation_harm_lv: bool = False
    ownership_registration: bool = False
    integrity_breach_stops_state_functions_or_ci: bool = False
    integrity_breach_causes_disaster: bool = False
    integrity_breach_stops_own_service: bool = False
    integrity_breach_stops_other_subjects: bool = False
    tolerated_unplanned_downtime_pct: Downtime
    unavailability_stops_state_functions_or_ci: bool = False


class ResourcePatch(Schema):
    name: Name | None = None
    description: str | None = None
    personal_data_subjects: Count | None = None
    special_category_subjects: Count | None = None
    national_security_harm: bool | None = None
    restricted_information: bool | None = None
    reputation_harm_lv: bool | None = None
    ownership_registration: bool | None = None
    integrity_breach_stops_state_functions_or_ci: bool | None = None
    integrity_breach_causes_disaster: bool | None = None
    integrity_breach_stops_own_service: bool | None = None
    integrity_breach_stops_other_subjects: bool | None = None
    tolerated_unplanned_downtime_pct: Downtime | None = None
    unavailability_stops_state_functions_or_ci: bool | None = None
    version: int | None = Field(None, description="The version read (or send If-Match); a stale one is 412")


class ResourceOut(ResourceIn):
    id: int
    version: int
    system_id: int
    tolerated_unplanned_downtime_pct: Decimal
    dependent_systems_availability: list[str]
    confidentiality: str
    integrity: str
    availability: str


class SystemIn(Schema):
    name: Name
    description: str = ""
    in_ci_set: bool = False
    controller_name: Annotated[str, Field(max_length=255)] = ""
    controller_registration_number: Annotated[str, Field(max_length=11)] = ""
    resources: list[ResourceIn] = []


class SystemPatch(Schema):
    name: Name | None = None
    description: str | None = None
    in_ci_set: bool | None = None
    controller_name: Annotated[str, Field(max_length=255)] | None = None
    controller_registration_number: Annotated[str, Field(max_length=11)] | None = None
    version: int | None = Field(None, description="The version read (or send If-Match); a stale one is 412")


class ReasonOut(Schema):
    kind: str
    text: str
    resource: str | None = None
    dimension: str | None = None
    level: str | None = None
    indicator: str | None = None
    value: Any = None
    basis: str | None = None


class PersonOut(Schema):
    id: int
    version: int
    name: str
    position: str
    email: str
    phone: str
    role: str
    competences: str


class DependencyOut(Schema):
    id: int
    dependent_id: int
    provider_id: int
    description: str


class SystemOut(Schema):
    id: int
    version: int
    organisation_id: int
    name: str
    description: str
    in_ci_set: bool
    controller_name: str
    controller_registration_number: str
    confidentiality: str
    integrity: str
    availability: str
    security_class: str
    class_basis: list[str]
    class_warnings: list[str]
    classified_at: datetime | None
    updated_at: datetime


class SystemDetailOut(SystemOut):
    class_reasons: list[ReasonOut]
    warning_texts: list[str]
    obligations: dict[str, Any]
    resources: list[ResourceOut]
    depends_on: list[DependencyOut]
    dependents: list[DependencyOut]
    responsible_persons: list[PersonOut]


class DependencyIn(Schema):
    provider_id: int
    description: Annotated[str, Field(max_length=255)] = ""


def _detail(system: InformationSystem) -> dict[str, Any]:
    data = SystemOut.model_validate(system).model_dump()
    data.update(
        class_reasons=[{**r, "text": reason_text(r)} for r in system.class_reasons],
        warning_texts=warning_texts(system.class_warnings),
        obligations=system.obligations,
        resources=list(system.resources.all()),
        depends_on=list(system.dependencies.all()),
        dependents=list(system.dependents.all()),
        responsible_persons=list(system.responsible_persons.all()),
    )
    return data


# --- systems ---------------------------------------------------------------------------------------


@router.get("/systems", response=list[SystemOut], summary="Systems the user may see (optionally one subject's)")
def list_systems(request: HttpRequest, organisation: int | None = None) -> Any:
    qs = selectors.systems(_user(request))
    if organisation is not None:
        qs = qs.filter(organisation__pk=organisation)  # not organisation_id: beyond bigint SQLite fails
    return qs


@router.post("/systems", response={201: SystemDetailOut}, summary="Add a system (with resources) to the own catalogue")
def create_system(request: HttpRequest, payload: SystemIn) -> Any:
    user = _user(request)
    if not user.is_subject or user.organisation_id is None:
        raise HttpError(403, "only a subject's administrators may add systems")
    _editable(request, user.organisation_id)
    data = payload.dict()
    resources = data.pop("resources")
    try:
        system = services.create_system(user, user.organisation, data, resources)
    except ValidationError as exc:
        raise _errors(exc) from None
    return Status(201, _detail(system))


@router.get("/systems/{system_id}", response=SystemDetailOut, summary="A system with classes, reasons, obligations")
def get_system(request: HttpRequest, system_id: int, response: HttpResponse) -> Any:
    system = selectors.system(_user(request), system_id)
    versioning.set_etag(response, system)
    return _detail(system)


@router.patch(
    "/systems/{system_id}",
    response=SystemDetailOut,
    summary="Change a system's fields (If-Match: the version read; 412 if stale)",
)
def update_system(request: HttpRequest, system_id: int, payload: SystemPatch, response: HttpResponse) -> Any:
    system = selectors.system(_user(request), system_id)
    _editable(request, system.organisation_id)
    try:
        system = services.update_system(_user(request), system, versioning.with_version(request, _given(payload)))
    except ValidationError as exc:
        raise _errors(exc) from None
    versioning.set_etag(response, system)
    return _detail(system)


@router.delete("/systems/{system_id}", response={204: None}, summary="Delete a system (providers are re-classified)")
def delete_system(request: HttpRequest, system_id: int) -> Any:
    system = selectors.system(_user(request), system_id)
    _editable(request, system.organisation_id)
    services.delete_system(_user(request), system)
    return Status(204, None)


# --- resources -------------------------------------------------------------------------------------


@router.get("/systems/{system_id}/resources", response=list[ResourceOut], summary="A system's resource categories")
def list_resources(request: HttpRequest, system_id: int) -> Any:
    return selectors.system(_user(request), system_id).resources.all()


@router.post("/systems/{system_id}/resources", response={201: ResourceOut}, summary="Add a resource category")
def create_resource(request: HttpRequest, system_id: int, payload: ResourceIn) -> Any:
    system = selectors.system(_user(request), system_id)
    _editable(request, system.organisation_id)
    try:
        resource = services.add_resource(_user(request), system, payload.dict())
    except ValidationError as exc:
        raise _errors(exc) from None
    return Status(201, resource)


@router.get("/resources/{resource_id}", response=ResourceOut, summary="A resource category")
def get_resource(request: HttpRequest, resource_id: int, response: HttpResponse) -> InformationResource:
    resource = selectors.resource(_user(request), resource_id)
    versioning.set_etag(response, resource)
    return resource


@router.patch(
    "/resources/{resource_id}",
    response=ResourceOut,
    summary="Change a resource category's indicators (If-Match: the version read; 412 if stale)",
)
def update_resource(request: HttpRequest, resource_id: int, payload: ResourcePatch, response: HttpResponse) -> Any:
    resource = selectors.resource(_user(request), resource_id)
    _editable(request, resource.system.organisation_id)
    try:
        resource = services.update_resource(_user(request), resource, versioning.with_version(request, _given(payload)))
    except ValidationError as exc:
        raise _errors(exc) from None
    versioning.set_etag(response, resource)
    return resource


@router.delete("/resources/{resource_id}", response={204: None}, summary="Delete a resource category")
def delete_resource(request: HttpRequest, resource_id: int) -> Any:
    resource = selectors.resource(_user(request), resource_id)
    _editable(request, resource.system.organisation_id)
    services.delete_resource(_user(request), resource)
    return Status(204, None)


# --- dependencies ----------------------------------------------------------------------------------


@router.get("/systems/{system_id}/dependencies", response=list[DependencyOut], summary="Systems this one depends on")
def list_dependencies(request: HttpRequest, system_id: int) -> Any:
    return selectors.system(_user(request), system_id).dependencies.all()


@router.post(
    "/systems/{system_id}/dependencies",
    response={201: DependencyOut},
    summary="Record that this system depends on another (cycles are rejected with 422)",
)
def create_dependency(request: HttpRequest, system_id: int, payload: DependencyIn) -> Any:
    user = _user(request)
    system = selectors.system(user, system_id)
    _editable(request, system.organisation_id)
    provider = InformationSystem.objects.filter(pk=payload.provider_id, organisation_id=system.organisation_id).first()
    if provider is None:
        raise _errors(ValidationError({"provider_id": ["no such system in this catalogue"]}))
    try:
        dependency = services.add_dependency(user, system, provider, payload.description)
    except ValidationError as exc:
        raise _errors(ValidationError({"provider_id": exc.message_dict.get("provider", [str(exc)])})) from None
    return Status(201, dependency)


@router.delete("/dependencies/{dependency_id}", response={204: None}, summary="Remove a dependency")
def delete_dependency(request: HttpRequest, dependency_id: int) -> Any:
    dependency: SystemDependency = selectors.dependency(_user(request), dependency_id)
    _editable(request, dependency.dependent.organisation_id)
    services.remove_dependency(_user(request), dependency)
    return Status(204, None)
