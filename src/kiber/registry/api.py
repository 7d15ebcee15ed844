"""Registry API at /api/v1/registry: subjects, submissions and cybersecurity managers (scoped).

Bad input answers 422 with Ninja's error body ``{"detail": [{"loc": [...], "msg": ..., "type": ...}]}``;
a service's field errors use the same shape (``loc`` = ["body", "payload", field]); nothing is saved.
A subject carries a ``version`` (also the ``ETag``); ``PATCH /organisations/own`` with an ``If-Match`` (or
``version``) naming an older version is refused with 412 and changes nothing (``kiber.versioning``).
``POST /managers`` with ``replaces`` (the current appointment's id, 0 for none) is refused with 412 if
another manager was appointed meanwhile.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import paginate
from pydantic import AfterValidator, field_validator

from kiber import versioning
from kiber.api.pagination import BoundedLimitOffsetPagination
from kiber.registry import selectors, services
from kiber.registry.choices import MEMBER_STATES, EntityKind, Role
from kiber.registry.models import CIDesignation, ManagerAppointment, Organisation, Submission, User
from kiber.registry.validators import normalise_personal_code, parse_ip_ranges

# Ninja routes path parameters with a str converter: literal paths (".../own", ".../status") come first.
router = Router(tags=["registry"])


def _email(value: str) -> str:
    from django.core.validators import validate_email

    try:
        validate_email(value)
    except ValidationError:
        raise ValueError("value is not a valid e-mail address") from None
    return value.lower()


EmailStr = Annotated[str, AfterValidator(_email)]


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _errors(exc: services.RegistryError) -> NinjaValidationError:
    return NinjaValidationError(
        [
            {
                "type": "value_error",
                "loc": ["body", "payload"] + ([] if field == "__all__" else [field]),
                "msg": message,
            }
            for field, messages in exc.errors.items()
            for message in messages
        ]
    )


class CIDesignationOut(Schema):
    """SAB's notice about the subject's ICT critical infrastructure (p. 107.3)."""

    id: int
    organisation_id: int
    notice: str
    category: str
    european: bool
    notice_date: date
    reference: str
    recorded_at: datetime


class CIDesignationIn(Schema):
    registration_number: Annotated[str, Field(pattern=r"^[0-9]{11}$")]
    notice: Literal["inclusion", "european", "exclusion"]
    category: Literal["", "A", "B", "C"] = ""
    notice_date: date
    reference: Annotated[str, Field(max_length=100)] = ""
    note: str = ""


class OrganisationOut(Schema):
    id: int
    version: int
    registration_number: str
    name: str
    legal_address: str
    postal_address: str
    email: str
    phone: str
    website: str
    sector: str
    subsector: str
    entity_kind: str
    employees: int
    annual_turnover_eur: Decimal
    balance_sheet_eur: Decimal
    is_ci_owner: bool
    ci_designation: CIDesignationOut | None
    is_domain_registrar: bool
    category: str = Field(..., alias="effective_category")
    category_computed: str = Field(..., alias="category")
    category_override: str
    category_override_reason: str
    size: str
    category_reasons: list[str]
    category_basis: list[str]
    has_manager: bool | None = None
    has_notification: bool | None = None


class OrganisationFilters(Schema):
    q: str = ""
    sector: str = ""
    category: Literal["", "essential", "important", "domain_registrar", "out_of_scope"] = ""
    ci: bool = False
    missing_manager: bool = False
    missing_notification: bool = False


class OrganisationUpdate(Schema):
    """Fields the subject may change; omitted fields stay as they are."""

    name: Annotated[str, Field(min_length=1, max_length=255)] | None = None
    legal_address: Annotated[str, Field(min_length=1, max_length=255)] | None = None
    postal_address: Annotated[str, Field(max_length=255)] | None = None
    email: EmailStr | None = None
    phone: Annotated[str, Field(pattern=r"^\+?[0-9 ()-]{7,20}$")] | None = None
    website: Annotated[str, Field(max_length=200)] | None = None
    sector: str | None = None
    subsector: str | None = None
    entity_kind: EntityKind | None = None
    employees: Annotated[int, Field(ge=0)] | None = None
    annual_turnover_eur: Annotated[Decimal, Field(ge=0, max_digits=15, decimal_places=2)] | None = None
    balance_sheet_eur: Annotated[Decimal, Field(ge=0, max_digits=15, decimal_places=2)] | None = None
    is_ci_owner: bool | None = Field(
        None, description="Refused (422): only SAB's designation sets the ICT critical infrastructure status (p. 107.3)"
    )
    is_domain_registrar: bool | None = None
    version: int | None = Field(None, description="The version read (or send If-Match); a stale one is 412")

    @field_validator("is_ci_owner")
    @classmethod
    def _sab_decides(cls, value: bool | None) -> None:
        if value is not None:
            raise ValueError("set only by SAB's designation of ICT critical infrastructure (22-TA-3183 p.107.3)")
        return None


class DeliveryOut(Schema):
    recipient: str
    delivered_at: datetime
    read_at: datetime | None


class SubmissionOut(Schema):
    id: int
    organisation_id: int
    kind: str
    notice_type: str
    version: int
    sha256: str
    submitted_at: datetime
    submitted_by: str | None = Field(None, alias="submitted_by.username")
    deliveries: list[DeliveryOut]
    pdf_url: str

    @staticmethod
    def resolve_deliveries(obj: Submission) -> list[Any]:
        return list(obj.deliveries.all())

    @staticmethod
    def resolve_pdf_url(obj: Submission) -> str:
        from django.urls import reverse

        return reverse("registry:submission_pdf", args=[obj.pk])


class SubmissionDetail(SubmissionOut):
    snapshot: dict[str, Any]


MemberState = Literal[tuple(code for code, _ in MEMBER_STATES)]  # type: ignore[valid-type]


class StatusNotificationIn(Schema):
    """Status notification (p. 8–10): fields of NIS2 Art. 3(4) and Art. 27(2), see forms.py."""

    notice_type: Literal["initial", "change", "loss"]
    contact_name: Annotated[str, Field(min_length=1, max_length=200)]
    contact_position: Annotated[str, Field(max_length=200)] = ""
    contact_email: EmailStr
    contact_phone: Annotated[str, Field(pattern=r"^\+?[0-9 ()-]{7,20}$")]
    services: Annotated[str, Field(min_length=1)]
    member_states: Annotated[list[MemberState], Field(min_length=1)]  # type: ignore[valid-type]
    ip_ranges: list[str] = []
    establishments: str = ""
    loss_reason: str = ""

    @field_validator("ip_ranges")
    @classmethod
    def _cidr(cls, value: list[str]) -> list[str]:
        try:
            return parse_ip_ranges("\n".join(value))
        except ValidationError as exc:
            raise ValueError(" ".join(exc.messages)) from None


class CertificateIn(Schema):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    valid_until: date | None = None


class ManagerIn(Schema):
    """Appointment of the cybersecurity manager (Annex 3); checked by ``manager-eligibility``."""

    first_name: Annotated[str, Field(min_length=1, max_length=100)]
    last_name: Annotated[str, Field(min_length=1, max_length=100)]
    personal_code: str = ""
    birth_date: date
    email: EmailStr
    phone: Annotated[str, Field(pattern=r"^\+?[0-9 ()-]{7,20}$")]
    position: str = ""
    citizenships: Annotated[list[Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]], Field(min_length=1)]
    term_start: date
    term_end: date | None = None
    education: str = ""
    education_in_cybersecurity: bool = False
    experience_months: Annotated[int, Field(ge=0)] = 0
    certificates: list[CertificateIn] = []
    under_guardianship: bool | None = None
    intentional_offence_conviction: bool | None = None
    conviction_cleared: bool = False
    former_security_service_affiliation: bool | None = None
    banned_organisation_member: bool | None = None
    organised_crime_or_illegal_armed_group: bool | None = None
    reliability_doubting_disorder_or_dependence: bool | None = None
    state_secret_clearance: bool = False
    subject_in_managed_group: bool = False
    replaces: int | None = Field(
        None, description="Id of the current appointment read (0: none); if another was appointed since: 412"
    )

    @field_validator("personal_code")
    @classmethod
    def _code(cls, value: str) -> str:
        if not value:
            return ""
        try:
            return normalise_personal_code(value)
        except ValidationError as exc:
            raise ValueError(" ".join(exc.messages)) from None

    @field_validator("citizenships")
    @classmethod
    def _upper(cls, value: list[str]) -> list[str]:
        return [c.upper() for c in value]


class ManagerOut(Schema):
    id: int
    organisation_id: int
    first_name: str
    last_name: str
    email: str
    phone: str
    citizenships: list[str]
    term_start: date
    term_end: date | None
    ended_on: date | None
    subject_tier: str
    eligible: bool
    sab_check: str
    eligibility: dict[str, Any]


def _own(request: HttpRequest) -> Organisation:
    return selectors.own_organisation(_user(request))


def _own_editable(request: HttpRequest) -> Organisation:
    org = _own(request)
    if not _user(request).can_edit_subject:
        raise HttpError(403, "only the subject's administrator or cybersecurity manager may do this")
    return org


@router.get("/organisations", response=list[OrganisationOut], summary="Subjects the user may see, filtered")
@paginate(BoundedLimitOffsetPagination)
def list_organisations(request: HttpRequest, filters: Query[OrganisationFilters]) -> Any:
    return selectors.organisations_for(_user(request), filters.dict())


@router.get("/organisations/own", response=OrganisationOut, summary="The user's own subject")
def own_organisation(request: HttpRequest, response: HttpResponse) -> Organisation:
    org = _own(request)
    versioning.set_etag(response, org)
    return org


@router.patch(
    "/organisations/own", response=OrganisationOut, summary="Update the own subject's data (category is recomputed)"
)
def update_own_organisation(request: HttpRequest, payload: OrganisationUpdate, response: HttpResponse) -> Organisation:
    org = _own_editable(request)
    data = versioning.with_version(request, payload.dict(exclude_unset=True))
    if data.get("sector") is not None or data.get("subsector") is not None:
        from kiber.registry import sectors

        sector = data.get("sector", org.sector)
        subsector = data.get("subsector", org.subsector) or ""
        if sector not in dict(sectors.sector_choices()):
            raise _errors(services.RegistryError({"sector": ["unknown sector"]}))
        allowed = sectors.subsectors_of(sector)
        if (allowed and subsector not in allowed) or (not allowed and subsector):
            raise _errors(services.RegistryError({"subsector": ["subsector does not belong to the sector"]}))
    try:
        services.update_organisation(_user(request), org, {k: v for k, v in data.items() if v is not None})
    except services.RegistryError as exc:
        raise _errors(exc) from None
    org = selectors.organisation_for(_user(request), org.pk)
    versioning.set_etag(response, org)
    return org


@router.get("/organisations/{organisation_id}", response=OrganisationOut, summary="One subject")
def get_organisation(request: HttpRequest, organisation_id: int, response: HttpResponse) -> Organisation:
    org = selectors.organisation_for(_user(request), organisation_id)
    versioning.set_etag(response, org)
    return org


@router.get("/submissions", response=list[SubmissionOut], summary="Submissions the user may see")
@paginate(BoundedLimitOffsetPagination)
def list_submissions(request: HttpRequest, kind: Literal["", "status", "manager"] = "") -> Any:
    queryset = selectors.submissions_for(_user(request)).prefetch_related("deliveries")
    return queryset.filter(kind=kind) if kind else queryset


@router.post(
    "/submissions/status", response={201: SubmissionDetail}, summary="Submit the status notification (p. 8–10)"
)
def submit_status(request: HttpRequest, payload: StatusNotificationIn) -> tuple[int, Submission]:
    org = _own_editable(request)
    try:
        return 201, services.submit_status_notification(_user(request), org, payload.dict())
    except services.RegistryError as exc:
        raise _errors(exc) from None


@router.post(
    "/submissions/manager",
    response={201: SubmissionDetail},
    summary="Submit the notification about the current cybersecurity manager (p. 11)",
)
def submit_manager(request: HttpRequest) -> tuple[int, Submission]:
    org = _own_editable(request)
    appointment = services.active_appointment(org)
    if appointment is None:
        raise _errors(services.RegistryError({"appointment": ["no cybersecurity manager is appointed"]}))
    return 201, services.submit_manager_notification(_user(request), org, appointment)


@router.get("/submissions/{submission_id}", response=SubmissionDetail, summary="One submission with its snapshot")
def get_submission(request: HttpRequest, submission_id: int) -> Submission:
    return selectors.submission_for(_user(request), submission_id)


@router.get("/managers", response=list[ManagerOut], summary="Cybersecurity manager appointments the user may see")
@paginate(BoundedLimitOffsetPagination)
def list_managers(request: HttpRequest) -> Any:
    return selectors.appointments_for(_user(request))


@router.get("/managers/{appointment_id}", response=ManagerOut, summary="One appointment")
def get_manager(request: HttpRequest, appointment_id: int) -> ManagerAppointment:
    return selectors.appointment_for(_user(request), appointment_id)


@router.post(
    "/managers", response={201: ManagerOut}, summary="Appoint the own subject's cybersecurity manager (p. 11–22)"
)
def appoint_manager(request: HttpRequest, payload: ManagerIn) -> tuple[int, ManagerAppointment]:
    org = _own_editable(request)
    data = payload.dict()
    try:
        return 201, services.appoint_manager(_user(request), org, data)
    except services.RegistryError as exc:
        raise _errors(exc) from None


@router.get(
    "/ci-designations",
    response=list[CIDesignationOut],
    summary="SAB's notices about ICT critical infrastructure (p. 107.3) the user may see",
)
@paginate(BoundedLimitOffsetPagination)
def list_ci_designations(request: HttpRequest) -> Any:
    return selectors.ci_designations_for(_user(request))


@router.post(
    "/ci-designations",
    response={201: CIDesignationOut},
    summary="SAB records its inclusion, European-significance or exclusion notice (p. 107.3)",
)
def record_ci_designation(request: HttpRequest, payload: CIDesignationIn) -> tuple[int, CIDesignation]:
    user = _user(request)
    if user.role != Role.SAB_OFFICER:
        raise HttpError(403, "only SAB designates ICT critical infrastructure (p. 107.3)")
    data = payload.dict()
    org = Organisation.objects.filter(registration_number=data.pop("registration_number")).first()
    if org is None:
        raise _errors(services.RegistryError({"registration_number": ["no subject with this registration number"]}))
    try:
        return 201, services.record_ci_designation(user, org, data)
    except services.RegistryError as exc:
        raise _errors(exc) from None
