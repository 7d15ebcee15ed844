"""Every write of the registry: one function per business action, transactional, audited.

Errors are raised as ``RegistryError`` with field -> messages (``__all__`` for the whole input), so
the web forms show them as field errors and the API answers 422; nothing is saved on error.
"""

from __future__ import annotations

import copy
import json
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.db.models.fields.files import FieldFile
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kiber import versioning
from kiber.audit.services import model_changes, record
from kiber.documents import canonical_json, digest, ensure_pdf
from kiber.jobs import enqueue_after_commit
from kiber.registry import sectors
from kiber.registry.choices import (
    CI_NOTICE_POINTS,
    Category,
    CICategory,
    CINotice,
    Duty,
    EntityKind,
    NoticeType,
    Recipient,
    Role,
    SabCheck,
    SubmissionKind,
)
from kiber.registry.models import (
    CIDesignation,
    Delivery,
    ManagerAppointment,
    Organisation,
    ResponsiblePerson,
    Submission,
    User,
)
from kiber.rules.base import RuleInputError
from kiber.rules.registry import evaluate


class RegistryError(Exception):
    """Bad input for a registry action: ``errors`` maps a field name (or ``__all__``) to messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


def _fail(field: str, message: str) -> RegistryError:
    return RegistryError({field: [message]})


# --- Subjects ----------------------------------------------------------------------------------------

ORGANISATION_FIELDS = (
    "registration_number",
    "name",
    "legal_address",
    "postal_address",
    "email",
    "phone",
    "website",
    "sector",
    "subsector",
    "entity_kind",
    "employees",
    "annual_turnover_eur",
    "balance_sheet_eur",
    "is_domain_registrar",
)
# ``is_ci_owner`` is not among them: only SAB's designation sets it (p. 107.3, ``record_ci_designation``).
# What a subject may change itself; the registration number is fixed once registered.
SUBJECT_EDITABLE_FIELDS = tuple(f for f in ORGANISATION_FIELDS if f != "registration_number")


def categorise(data: dict[str, Any]) -> dict[str, Any]:
    """The ``entity-category`` rule's decision for the subject's sector, kind and size figures."""
    kind = data.get("entity_kind") or EntityKind.OTHER
    if data.get("is_domain_registrar") and kind == EntityKind.OTHER:
        kind = EntityKind.DOMAIN_REGISTRAR
    payload = {
        "sector": data.get("sector"),
        "entity_kind": str(kind),
        "employees": data.get("employees"),
        "annual_turnover_eur": float(data.get("annual_turnover_eur") or 0),
        "balance_sheet_eur": float(data.get("balance_sheet_eur") or 0),
    }
    if data.get("subsector"):
        payload["subsector"] = data["subsector"]
    try:
        return evaluate("entity-category", payload)
    except RuleInputError as exc:
        fields = [f for f in exc.fields if f in ORGANISATION_FIELDS] or ["__all__"]
        raise RegistryError({f: [exc.message] for f in fields}) from None


def _apply_category(org: Organisation) -> None:
    decision = categorise({f: getattr(org, f) for f in ORGANISATION_FIELDS})
    org.category = decision["category"]
    org.size = decision["size"]
    org.category_reasons = decision["reasons"]
    org.category_basis = decision["basis"]


def _snapshot_fields(org: Organisation) -> dict[str, Any]:
    return {f: getattr(org, f) for f in (*ORGANISATION_FIELDS, "category", "size")}


def generate_password() -> str:
    return secrets.token_urlsafe(12)


@dataclass(frozen=True)
class NewSubject:
    organisation: Organisation
    admin: User
    password: str


@transaction.atomic
def register_subject(actor: User, data: dict[str, Any], admin: dict[str, Any]) -> NewSubject:
    """NKC (or a platform administrator) registers a subject and its first subject administrator.

    The administrator's one-time password is returned to be handed over once; the subject then
    submits its status notification itself (p. 8).
    """
    if actor.role not in (Role.NKC_SUPERVISOR, Role.PLATFORM_ADMIN):
        raise PermissionError("only NKC or a platform administrator registers subjects")
    if (
        actor.role == Role.NKC_SUPERVISOR
        and actor.supervised_sectors
        and data.get("sector") not in actor.supervised_sectors
    ):
        raise _fail("sector", _("Jūs uzraugāt tikai savas nozares; šo subjektu reģistrē cits uzraugs."))
    if Organisation.objects.filter(registration_number=data.get("registration_number")).exists():
        raise _fail("registration_number", _("Subjekts ar šādu reģistrācijas numuru jau ir reģistrēts."))
    if User.objects.filter(username=admin.get("username")).exists():
        raise _fail("admin_username", _("Lietotājvārds jau ir aizņemts."))
    org = Organisation(**{f: data[f] for f in ORGANISATION_FIELDS if f in data})
    _apply_category(org)
    org.save()
    password = admin.get("password") or generate_password()
    user = User.objects.create_user(
        username=admin["username"],
        password=password,
        email=admin.get("email", ""),
        first_name=admin.get("first_name", ""),
        last_name=admin.get("last_name", ""),
        role=Role.SUBJECT_ADMIN,
        organisation=org,
        # A generated password is handed over by NKC: the administrator replaces it at first sign-in.
        must_change_password=not admin.get("password"),
    )
    record(actor, "create", org, organisation_id=org.pk, changes=_snapshot_fields(org))
    record(actor, "create", user, organisation_id=org.pk, changes={"username": user.username, "role": user.role})
    return NewSubject(org, user, password)


@transaction.atomic
def update_organisation(actor: User, org: Organisation, data: dict[str, Any]) -> Organisation:
    """The subject (admin or cybersecurity manager) updates its registration data; category is recomputed."""
    if not (actor.can_edit_subject and actor.organisation_id == org.pk) and actor.role != Role.PLATFORM_ADMIN:
        raise PermissionError("only the subject's administrator or cybersecurity manager edits its data")
    org = Organisation.objects.select_for_update().get(pk=org.pk)
    previous = copy.copy(org)
    before = _snapshot_fields(org)
    for field in SUBJECT_EDITABLE_FIELDS:
        if field in data:
            setattr(org, field, data[field])
    _apply_category(org)
    versioning.save(org, versioning.expected(data))
    changes = model_changes(before, _snapshot_fields(org))
    if changes:
        record(actor, "update", org, organisation_id=org.pk, changes=changes)
    follow_category_change(actor, previous, org)
    return org


@transaction.atomic
def override_category(
    actor: User, org: Organisation, category: str, reason: str, version: int | None = None
) -> Organisation:
    """An NKC supervisor overrides the computed category with a recorded justification ("" clears it).

    ``version``: the subject's version the supervisor saw; a stale one raises ``StaleVersion``.
    """
    if actor.role != Role.NKC_SUPERVISOR:
        raise PermissionError("only an NKC supervisor overrides a subject's category")
    if category and category not in Category.values:
        raise _fail("category", _("Nezināma kategorija."))
    if not (reason or "").strip():
        raise _fail("reason", _("Norādiet pamatojumu."))
    org = Organisation.objects.select_for_update().get(pk=org.pk)
    previous = copy.copy(org)
    before = {"category_override": org.category_override, "category_override_reason": org.category_override_reason}
    org.category_override = category
    org.category_override_reason = reason.strip()
    org.category_override_by = actor
    org.category_override_at = timezone.now()
    versioning.save(org, version)
    record(
        actor,
        "override_category",
        org,
        organisation_id=org.pk,
        changes=model_changes(before, {"category_override": category, "category_override_reason": reason.strip()}),
    )
    follow_category_change(actor, previous, org)
    return org


def follow_category_change(actor: User | None, previous: Organisation, org: Organisation) -> None:
    """After a change of the subject's category or CI status, bring the apps that derive from it in line.

    In the caller's transaction, audited by each app: the systems' security classes are re-computed (class A
    exists only for essential providers, Annex 4), then the self-assessment schedule and the applicability of
    every open campaign are refreshed (tiers and class A systems decide which requirements apply). Submitted
    versions are frozen and never change. Imported here: those apps build on the registry, not the reverse.
    The supervision rollups follow a change of sector too (``follow_supervision_key``).
    """
    follow_supervision_key(previous, org)
    category_changed = previous.effective_category != org.effective_category
    if not category_changed and previous.is_ci_owner == org.is_ci_owner:
        return
    from kiber.assets.services import recompute_classes
    from kiber.compliance.services import applicable_keys, sync_campaigns

    before = applicable_keys(previous)  # the systems still carry their previous classes here
    if category_changed:
        recompute_classes(actor, org)
    sync_campaigns(actor, org, previous_keys=before, create=False)


def follow_supervision_key(previous: Organisation, org: Organisation) -> None:
    """The supervision rollups count a subject under its sector and CI status: move its figures along.

    In the caller's transaction, which holds the subject's row lock (a submission takes it too).
    """
    from kiber.compliance.rollups import key_of, move_subject

    move_subject(org.pk, key_of(previous), key_of(org))


@transaction.atomic
def record_ci_designation(actor: User, org: Organisation, data: dict[str, Any]) -> CIDesignation:
    """SAB records its notice about the subject's ICT critical infrastructure (p. 107.3).

    ``data``: notice (inclusion / european / exclusion), category (A/B/C; not for an exclusion),
    notice_date, reference, note. The notice in force decides ``is_ci_owner``, which changes the
    subject's tier, the classes of its systems in the CI set and where its reports go; the apps that
    derive from it follow in the same transaction, and both the notice and the change are audited.
    """
    if actor.role != Role.SAB_OFFICER:
        raise PermissionError("only SAB designates ICT critical infrastructure (p. 107.3)")
    notice = data.get("notice")
    if notice not in CINotice.values:
        raise _fail("notice", _("Izvēlieties paziņojumu."))
    notice_date = data.get("notice_date")
    if not isinstance(notice_date, date):
        raise _fail("notice_date", _("Norādiet paziņojuma datumu."))
    if notice_date > timezone.localdate():
        raise _fail("notice_date", _("Paziņojuma datums nevar būt nākotnē."))
    category = data.get("category") or ""
    org = Organisation.objects.select_for_update().get(pk=org.pk)
    if notice == CINotice.EXCLUSION:
        if not org.is_ci_owner:
            raise _fail("notice", _("Subjekts nav iekļauts kritiskās infrastruktūras kopumā."))
        category = ""
    elif category not in CICategory.values:
        raise _fail("category", _("Norādiet kritiskās infrastruktūras kategoriju (A, B vai C)."))
    designation = CIDesignation.objects.create(
        organisation=org,
        notice=notice,
        category=category,
        european=notice == CINotice.EUROPEAN,
        notice_date=notice_date,
        reference=(data.get("reference") or "").strip(),
        note=(data.get("note") or "").strip(),
        recorded_by=actor,
    )
    record(
        actor,
        "create",
        designation,
        organisation_id=org.pk,
        changes={
            "notice": notice,
            "category": category,
            "notice_date": notice_date.isoformat(),
            "basis": [f"22-TA-3183 p.{CI_NOTICE_POINTS[CINotice(notice)]}"],
        },
    )
    previous = copy.copy(org)
    org.is_ci_owner = designation.in_ci_set
    org.ci_designation = designation
    versioning.save(org)
    if previous.is_ci_owner != org.is_ci_owner:
        record(
            actor,
            "update",
            org,
            organisation_id=org.pk,
            changes={"is_ci_owner": [previous.is_ci_owner, org.is_ci_owner]},
        )
    follow_category_change(actor, previous, org)
    return designation


@transaction.atomic
def set_responsible_person(
    actor: User,
    org: Organisation,
    duty: str,
    full_name: str,
    personal_code: str = "",
    email: str = "",
    version: int | None = None,
) -> ResponsiblePerson | None:
    """Record (or, with an empty name, remove) the person responsible for the plan, logs or backups (p. 22).

    ``version``: the person's version the editor saw (``versioning.NEW``: none); a stale one raises
    ``StaleVersion`` and nothing changes.
    """
    if not (actor.can_edit_subject and actor.organisation_id == org.pk):
        raise PermissionError("only the subject's administrator or cybersecurity manager edits its data")
    if duty not in Duty.values:
        raise _fail("duty", _("Nezināms pienākums."))
    existing = ResponsiblePerson.objects.filter(organisation=org, duty=duty).first()
    if not full_name.strip():
        if existing is not None:
            if version == versioning.NEW:
                raise versioning.StaleVersion(existing, version)
            record(actor, "delete", existing, organisation_id=org.pk, changes={"duty": duty})
            versioning.delete(existing, version)
        elif version not in (None, versioning.NEW):
            raise versioning.StaleVersion(ResponsiblePerson(organisation=org, duty=duty), version)
        return None
    person = existing or ResponsiblePerson(organisation=org, duty=duty)
    before = {"full_name": person.full_name, "personal_code": person.personal_code, "email": person.email}
    if existing is None or existing.full_name != full_name.strip():  # a newly designated person (p. 46.2)
        person.designated_on = timezone.localdate()
    person.full_name, person.personal_code, person.email = full_name.strip(), personal_code, email.lower()
    versioning.save_or_create(person, version)
    after = {"full_name": person.full_name, "personal_code": person.personal_code, "email": person.email}
    record(
        actor, "update" if existing else "create", person, organisation_id=org.pk, changes=model_changes(before, after)
    )
    return person


# --- Cybersecurity manager (p. 11–22) -------------------------------------------------------------------


def subject_tier(org: Organisation) -> str | None:
    """The tier the manager-eligibility rule checks against; None where no manager is required."""
    if org.is_ci_owner:
        return "ci_owner"
    if org.effective_category == Category.ESSENTIAL:
        return "essential"
    if org.effective_category == Category.IMPORTANT:
        return "important"
    return None


def _active(today: date) -> Q:
    return Q(ended_on__isnull=True) & (Q(term_end__isnull=True) | Q(term_end__gte=today))


def active_appointment(org: Organisation, today: date | None = None) -> ManagerAppointment | None:
    today = today or timezone.localdate()
    return org.manager_appointments.filter(_active(today)).order_by("-term_start", "-id").first()


def same_person(personal_code: str, email: str) -> Q:
    """Match a person across subjects by personal code or e-mail (case-insensitive)."""
    condition = Q(email__iexact=email) if email else Q(pk__in=[])
    if personal_code:
        condition |= Q(personal_code=personal_code)
    return condition


def other_appointment_counts(personal_code: str, email: str, exclude_org: Organisation) -> dict[str, int]:
    """The person's current appointments in other subjects, by those subjects' tier (p. 19–21)."""
    counts = {
        "other_ci_owner_appointments": 0,
        "other_essential_appointments": 0,
        "other_essential_appointments_in_managed_group": 0,
        "other_important_appointments": 0,
    }
    others = (
        ManagerAppointment.objects.filter(same_person(personal_code, email), _active(timezone.localdate()))
        .exclude(organisation=exclude_org)
        .select_related("organisation")
    )
    seen: set[int] = set()
    for appointment in others:
        if appointment.organisation_id in seen:
            continue
        seen.add(appointment.organisation_id)
        tier = subject_tier(appointment.organisation)
        if tier == "ci_owner":
            counts["other_ci_owner_appointments"] += 1
        elif tier == "essential":
            counts["other_essential_appointments"] += 1
            if appointment.subject_in_managed_group:
                counts["other_essential_appointments_in_managed_group"] += 1
        elif tier == "important":
            counts["other_important_appointments"] += 1
    return counts


def _responsibilities(org: Organisation, personal_code: str, email: str) -> dict[str, bool]:
    held = set(
        ResponsiblePerson.objects.filter(organisation=org)
        .filter(same_person(personal_code, email))
        .values_list("duty", flat=True)
    )
    return {f"responsible_for_{duty}": duty in held for duty in Duty.values}


APPOINTMENT_FIELDS = (
    "first_name",
    "last_name",
    "personal_code",
    "birth_date",
    "email",
    "phone",
    "position",
    "citizenships",
    "term_start",
    "term_end",
    "education",
    "education_in_cybersecurity",
    "experience_months",
    "certificates",
    "under_guardianship",
    "intentional_offence_conviction",
    "conviction_cleared",
    "former_security_service_affiliation",
    "banned_organisation_member",
    "organised_crime_or_illegal_armed_group",
    "reliability_doubting_disorder_or_dependence",
    "state_secret_clearance",
    "subject_in_managed_group",
)
# Rule input fields taken from the appointment as they are.
_RULE_FIELDS = (
    "citizenships",
    "birth_date",
    "term_start",
    "term_end",
    "under_guardianship",
    "intentional_offence_conviction",
    "conviction_cleared",
    "education_in_cybersecurity",
    "experience_months",
    "certificates",
    "former_security_service_affiliation",
    "banned_organisation_member",
    "organised_crime_or_illegal_armed_group",
    "reliability_doubting_disorder_or_dependence",
    "sab_check",
    "state_secret_clearance",
    "subject_in_managed_group",
)


def _json_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def eligibility_input(org: Organisation, data: dict[str, Any], tier: str) -> dict[str, Any]:
    """The manager-eligibility input: the candidate's data, plus counts and duties from the database."""
    payload: dict[str, Any] = {"subject_tier": tier}
    for field in _RULE_FIELDS:
        value = data.get(field)
        if value is None and field in ("term_end",):
            continue
        if field == "certificates":
            value = [{k: _json_value(v) for k, v in c.items() if v not in (None, "")} for c in (value or [])]
        if field == "sab_check":
            value = value or SabCheck.NOT_DONE
        if value is None and field in (
            "conviction_cleared",
            "education_in_cybersecurity",
            "state_secret_clearance",
            "subject_in_managed_group",
        ):
            value = False
        if value is None and field == "experience_months":
            value = 0
        payload[field] = _json_value(value)
    personal_code, email = data.get("personal_code") or "", (data.get("email") or "").lower()
    payload.update(other_appointment_counts(personal_code, email, org))
    payload.update(_responsibilities(org, personal_code, email))
    return payload


def _form_field(rule_field: str, data: dict[str, Any]) -> str:
    """Which input field a violation of the rule belongs to."""
    if rule_field.startswith("other_") and rule_field.endswith("appointments"):
        return "personal_code" if data.get("personal_code") else "email"
    if rule_field.startswith("certificates"):
        return "certificates"
    if rule_field.startswith("responsible_for_") or rule_field == "sab_check":
        return "__all__"
    return rule_field


def _violation_message(v: dict[str, Any]) -> str:
    if v["code"] == "declaration_missing":
        text = _("Nepieciešams kandidāta apliecinājums.")
    else:
        text = v["message"] if (get_language() or "lv").startswith("en") else v["message_lv"]
    return f"{text} ({v['basis']})"


def check_eligibility(org: Organisation, data: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Evaluate the rule for ``data``; raise RegistryError with field errors on any violation."""
    tier = subject_tier(org)
    if tier is None:
        raise _fail(
            "__all__",
            _("Subjekts nav būtisko vai svarīgo pakalpojumu sniedzējs, tāpēc kiberdrošības pārvaldnieks nav jānosaka."),
        )
    payload = eligibility_input(org, data, tier)
    try:
        result = evaluate("manager-eligibility", payload)
    except RuleInputError as exc:
        raise RegistryError(
            {_form_field(f.split(".")[0], data): [exc.message] for f in exc.fields or ["__all__"]}
        ) from None
    if result["violations"]:
        errors: dict[str, list[str]] = {}
        for v in result["violations"]:
            errors.setdefault(_form_field(v["field"], data), []).append(_violation_message(v))
        raise RegistryError(errors)
    result["input"] = {k: payload[k] for k in payload if k.startswith(("other_", "responsible_for_"))}
    return tier, result


@transaction.atomic
def appoint_manager(actor: User, org: Organisation, data: dict[str, Any]) -> ManagerAppointment:
    """Appoint the subject's cybersecurity manager; the previous appointment ends the day before.

    The candidate must pass ``manager-eligibility`` (violations are field errors, nothing saved); a
    CI owner's candidate may still await SAB's check (p. 15–17), which is recorded as pending.
    ``data["replaces"]``: the id of the appointment the editor saw as current (``versioning.NEW``: none); if
    another one was appointed meanwhile, ``StaleVersion`` is raised and nothing is saved.
    """
    if not (actor.can_edit_subject and actor.organisation_id == org.pk):
        raise PermissionError("only the subject's administrator or cybersecurity manager appoints the manager")
    Organisation.objects.select_for_update().get(pk=org.pk)
    data = {**data, "email": (data.get("email") or "").lower()}
    tier, result = check_eligibility(org, data)
    previous = active_appointment(org)
    replaces = data.get("replaces")
    if replaces is not None and replaces != (previous.pk if previous else versioning.NEW):
        raise versioning.StaleVersion(previous or ManagerAppointment(organisation=org), None)
    appointment = ManagerAppointment(organisation=org, created_by=actor, subject_tier=tier)
    for field in APPOINTMENT_FIELDS:
        if field in data:
            setattr(appointment, field, data[field])
    appointment.certificates = [{k: _json_value(v) for k, v in c.items()} for c in data.get("certificates") or []]
    if tier == "ci_owner" and appointment.term_end is None and result.get("term_end"):
        appointment.term_end = date.fromisoformat(result["term_end"])
    appointment.eligible = result["eligible"]
    appointment.eligibility = result
    appointment.save()
    if previous is not None:
        previous.ended_on = max(previous.term_start, appointment.term_start - timedelta(days=1))
        versioning.save(previous, update_fields=["ended_on"])
        record(actor, "end", previous, organisation_id=org.pk, changes={"ended_on": previous.ended_on})
    record(
        actor,
        "create",
        appointment,
        organisation_id=org.pk,
        changes={f: _json_value(getattr(appointment, f)) for f in APPOINTMENT_FIELDS if f != "personal_code"}
        | {"eligible": appointment.eligible, "basis": result["basis"]},
    )
    return appointment


@transaction.atomic
def record_sab_check(
    actor: User, appointment: ManagerAppointment, result: str, version: int | None = None
) -> ManagerAppointment:
    """SAB records the outcome of its check of a CI owner's manager (p. 15, 17); eligibility is re-evaluated.

    ``version``: the appointment's version the officer saw; a stale one raises ``StaleVersion``.
    """
    if actor.role != Role.SAB_OFFICER:
        raise PermissionError("only SAB records its check")
    if result not in SabCheck.values:
        raise _fail("sab_check", _("Nezināms pārbaudes rezultāts."))
    appointment = ManagerAppointment.objects.select_for_update().get(pk=appointment.pk)
    before = appointment.sab_check
    appointment.sab_check = result
    data = {f: getattr(appointment, f) for f in (*APPOINTMENT_FIELDS, "sab_check")}
    payload = eligibility_input(appointment.organisation, data, appointment.subject_tier)
    outcome = evaluate("manager-eligibility", payload)
    appointment.eligible = outcome["eligible"]
    appointment.eligibility = outcome
    appointment.sab_checked_at = timezone.now() if result != SabCheck.NOT_DONE else None
    versioning.save(appointment, version, update_fields=["sab_check", "eligible", "eligibility", "sab_checked_at"])
    record(
        actor,
        "sab_check",
        appointment,
        organisation_id=appointment.organisation_id,
        changes={"sab_check": [before, result], "eligible": appointment.eligible, "basis": ["22-TA-3183 p.15"]},
    )
    if appointment.sab_checked_at is not None:
        subject = _("SAB pārbaudes rezultāts: kiberdrošības pārvaldnieka kandidāts %(name)s") % {
            "name": appointment.full_name
        }
        body = _("%(result)s (22-TA-3183 15. p.).") % {"result": SabCheck(result).label}
        organisation = appointment.organisation
        transaction.on_commit(lambda: inform_head(organisation, subject, body))
    return appointment


# --- Submissions (status notifications, manager notifications) -----------------------------------------


def _subject_snapshot(org: Organisation) -> dict[str, Any]:
    return {
        "registration_number": org.registration_number,
        "name": org.name,
        "legal_address": org.legal_address,
        "postal_address": org.postal_address,
        "email": org.email,
        "phone": org.phone,
        "website": org.website,
        "sector": org.sector,
        "sector_name": sectors.sector_name(org.sector),
        "subsector": org.subsector,
        "subsector_name": sectors.subsector_name(org.subsector) if org.subsector else "",
        "entity_kind": org.entity_kind,
        "employees": org.employees,
        "annual_turnover_eur": str(org.annual_turnover_eur),
        "balance_sheet_eur": str(org.balance_sheet_eur),
        "is_ci_owner": org.is_ci_owner,
        "is_domain_registrar": org.is_domain_registrar,
        "category": org.effective_category,
        "category_computed": org.category,
        "category_override": org.category_override,
        "size": org.size,
        "category_basis": org.category_basis,
    }


def recipients(org: Organisation, kind: str = SubmissionKind.STATUS) -> list[str]:
    """Who receives a submission: a manager notice goes to NKC and SAB for every subject (p. 11); a status
    notice to NKC, and to SAB too from an ICT critical infrastructure owner (p. 8–10, p. 9)."""
    if kind == SubmissionKind.CANDIDATE:  # the application for SAB's approval of the candidate (p. 16)
        return [Recipient.SAB]
    if kind == SubmissionKind.MANAGER or org.is_ci_owner:
        return [Recipient.NKC, Recipient.SAB]
    return [Recipient.NKC]


def render_pdf(submission: Submission) -> bytes:
    """The submission rendered in Latvian with WeasyPrint (imported here: it is slow to import)."""
    from weasyprint import HTML

    with translation.override("lv"):
        html = render_to_string(
            "registry/submission_pdf.html",
            {"submission": submission, "snapshot": submission.snapshot, "rows": snapshot_rows(submission.snapshot)},
        )
    return HTML(string=html).write_pdf()


def submission_pdf(submission: Submission) -> FieldFile:
    """The submission's PDF, rendered from its frozen snapshot on first need (kiber.documents)."""
    name = f"{submission.organisation.registration_number}-{submission.kind}-v{submission.version}.pdf"
    return ensure_pdf(submission, name, lambda: render_pdf(submission))


def _freeze(
    actor: User,
    org: Organisation,
    kind: str,
    notice_type: str,
    body: dict[str, Any],
    appointment: ManagerAppointment | None = None,
) -> Submission:
    Organisation.objects.select_for_update().get(pk=org.pk)  # serialises version numbers per subject
    version = (Submission.objects.filter(organisation=org, kind=kind).aggregate(v=Max("version"))["v"] or 0) + 1
    now = timezone.now()
    snapshot = {
        "kind": kind,
        "notice_type": notice_type,
        "version": version,
        "submitted_at": now.isoformat(),
        "submitted_by": actor.get_username(),
        "recipients": recipients(org, kind),
        **body,
    }
    snapshot = json.loads(canonical_json(snapshot))
    submission = Submission(
        organisation=org,
        kind=kind,
        notice_type=notice_type,
        version=version,
        snapshot=snapshot,
        sha256=digest(snapshot),
        appointment=appointment,
        submitted_by=actor,
        submitted_at=now,
    )
    submission.save()
    enqueue_after_commit("kiber.registry.jobs.render_submission_pdf", submission.pk)
    for recipient in snapshot["recipients"]:
        Delivery.objects.create(submission=submission, organisation=org, recipient=recipient, delivered_at=now)
    record(
        actor,
        "submit",
        submission,
        organisation_id=org.pk,
        changes={"kind": kind, "version": version, "sha256": submission.sha256, "recipients": snapshot["recipients"]},
    )
    return submission


def _require_editor(actor: User, org: Organisation) -> None:
    if not (actor.can_edit_subject and actor.organisation_id == org.pk):
        raise PermissionError("only the subject's administrator or cybersecurity manager submits")


@transaction.atomic
def submit_status_notification(actor: User, org: Organisation, data: dict[str, Any]) -> Submission:
    """Freeze and send the status notification (Annex 1; Annex 2 for a domain registrar) — p. 8–10.

    ``data``: notice_type (initial/change/loss), contact person, member_states, ip_ranges,
    services, establishments, loss_reason — the fields of NIS2 Art. 3(4) and Art. 27(2).
    """
    _require_editor(actor, org)
    notice_type = data.get("notice_type")
    if notice_type not in (NoticeType.INITIAL, NoticeType.CHANGE, NoticeType.LOSS):
        raise _fail("notice_type", _("Izvēlieties paziņojuma iemeslu."))
    has_initial = Submission.objects.filter(organisation=org, kind=SubmissionKind.STATUS).exists()
    lost = org.status_lost_at is not None
    if notice_type == NoticeType.INITIAL and has_initial and not lost:
        raise _fail("notice_type", _("Sākotnējais paziņojums jau ir iesniegts; iesniedziet paziņojumu par izmaiņām."))
    if notice_type != NoticeType.INITIAL and not has_initial:
        raise _fail("notice_type", _("Vispirms iesniedziet sākotnējo paziņojumu par statusu."))
    if notice_type != NoticeType.INITIAL and lost:
        raise _fail(
            "notice_type", _("Statuss ir zaudēts; ja subjekts to atkal iegūst, iesniedziet sākotnējo paziņojumu.")
        )
    if notice_type == NoticeType.LOSS and not (data.get("loss_reason") or "").strip():
        raise _fail("loss_reason", _("Norādiet, kāpēc statuss zaudēts."))
    registrar = org.effective_category == Category.DOMAIN_REGISTRAR or org.is_domain_registrar
    point = {"initial": "1", "change": "2", "loss": "3"}[notice_type]
    body = {
        "form": "22-TA-3183 Annex 2" if registrar else "22-TA-3183 Annex 1",
        "basis": [f"22-TA-3183 p.{10 if registrar else 8}.{point}"] + (["22-TA-3183 p.9"] if org.is_ci_owner else []),
        "subject": _subject_snapshot(org),
        "contact_person": {
            "name": data.get("contact_name", ""),
            "position": data.get("contact_position", ""),
            "email": data.get("contact_email", ""),
            "phone": data.get("contact_phone", ""),
        },
        "member_states": sorted(data.get("member_states") or []),
        "ip_ranges": list(data.get("ip_ranges") or []),
        "services": data.get("services", ""),
        "establishments": data.get("establishments", ""),
        "loss_reason": data.get("loss_reason", "") if notice_type == NoticeType.LOSS else "",
    }
    submission = _freeze(actor, org, SubmissionKind.STATUS, notice_type, body)
    if notice_type == NoticeType.LOSS or lost:
        _follow_status(actor, org, submission)
    return submission


def _follow_status(actor: User, org: Organisation, submission: Submission) -> None:
    """An accepted loss-of-status notice ends the subject's duties (p. 8.3, 10.3); a new initial notice
    restores them (p. 8.1, 10.1). History stays: submissions, campaigns and incidents are kept as they are.
    """
    org = Organisation.objects.select_for_update().get(pk=org.pk)
    previous = copy.copy(org)
    org.status_lost_at = submission.submitted_at if submission.notice_type == NoticeType.LOSS else None
    versioning.save(org)
    record(
        actor,
        "status_lost" if org.status_lost_at else "status_regained",
        org,
        organisation_id=org.pk,
        changes={"status_lost_at": org.status_lost_at, "basis": submission.snapshot["basis"]},
    )
    follow_category_change(actor, previous, org)


def _appointment_snapshot(appointment: ManagerAppointment) -> dict[str, Any]:
    return {
        "first_name": appointment.first_name,
        "last_name": appointment.last_name,
        "personal_code": appointment.personal_code,
        "birth_date": appointment.birth_date.isoformat(),
        "email": appointment.email,
        "phone": appointment.phone,
        "position": appointment.position,
        "citizenships": appointment.citizenships,
        "term_start": appointment.term_start.isoformat(),
        "term_end": appointment.term_end.isoformat() if appointment.term_end else None,
        "education": appointment.education,
        "education_in_cybersecurity": appointment.education_in_cybersecurity,
        "experience_months": appointment.experience_months,
        "certificates": appointment.certificates,
        "declarations": {
            f: getattr(appointment, f)
            for f in (
                "under_guardianship",
                "intentional_offence_conviction",
                "conviction_cleared",
                "former_security_service_affiliation",
                "banned_organisation_member",
                "organised_crime_or_illegal_armed_group",
                "reliability_doubting_disorder_or_dependence",
                "state_secret_clearance",
            )
        },
        "subject_tier": appointment.subject_tier,
        "eligible": appointment.eligible,
        "pending": [p["code"] for p in appointment.eligibility.get("pending", [])],
        "eligibility_basis": appointment.eligibility.get("basis", []),
    }


@transaction.atomic
def submit_manager_notification(actor: User, org: Organisation, appointment: ManagerAppointment) -> Submission:
    """Freeze and send the notification about the cybersecurity manager (Annex 3) — p. 11.1 / 11.2."""
    _require_editor(actor, org)
    if appointment.organisation_id != org.pk:
        raise _fail("appointment", _("Pārvaldnieks nav šī subjekta pārvaldnieks."))
    earlier = Submission.objects.filter(organisation=org, kind=SubmissionKind.MANAGER).exists()
    notice_type = NoticeType.MANAGER_CHANGE if earlier else NoticeType.APPOINTMENT
    body = {
        "form": "22-TA-3183 Annex 3",
        "basis": ["22-TA-3183 p.11", "22-TA-3183 p.11.2" if earlier else "22-TA-3183 p.11.1"]
        + (["22-TA-3183 p.16"] if org.is_ci_owner else []),
        "subject": {
            k: v
            for k, v in _subject_snapshot(org).items()
            if k in ("registration_number", "name", "email", "phone", "is_ci_owner", "category")
        },
        "manager": _appointment_snapshot(appointment),
    }
    return _freeze(actor, org, SubmissionKind.MANAGER, notice_type, body, appointment=appointment)


def sab_answer_due(received_at: datetime) -> datetime:
    """p. 17: SAB checks the candidate "mēneša laikā" of receiving the application — one calendar month
    on the Riga clock, clamped to the month's end (the rules' month arithmetic)."""
    from kiber.rules.report_deadlines import add_months

    return add_months(received_at, 1)


@transaction.atomic
def submit_candidate_application(actor: User, org: Organisation, appointment: ManagerAppointment) -> Submission:
    """Freeze and send the CI owner's application for SAB's approval of its manager candidate (p. 16,
    Annex 3) — to SAB only; SAB's answer is due one month after it arrives (p. 17)."""
    _require_editor(actor, org)
    if not org.is_ci_owner:
        raise _fail(
            "appointment", _("Kandidāta saskaņošanu SAB piesaka IKT kritiskās infrastruktūras īpašnieks (16. p.).")
        )
    if appointment.organisation_id != org.pk:
        raise _fail("appointment", _("Pārvaldnieks nav šī subjekta pārvaldnieks."))
    if appointment.sab_check != SabCheck.NOT_DONE:
        raise _fail("appointment", _("SAB jau ir pārbaudījis šo kandidātu."))
    body = {
        "form": "22-TA-3183 Annex 3",
        "basis": ["22-TA-3183 p.16", "22-TA-3183 p.17"],
        "subject": {
            k: v
            for k, v in _subject_snapshot(org).items()
            if k in ("registration_number", "name", "email", "phone", "is_ci_owner", "category")
        },
        "manager": _appointment_snapshot(appointment),
    }
    submission = _freeze(actor, org, SubmissionKind.CANDIDATE, NoticeType.CANDIDATE, body, appointment=appointment)
    appointment.sab_check_due_at = sab_answer_due(submission.submitted_at)
    appointment.save(update_fields=["sab_check_due_at"])
    record(
        actor,
        "update",
        appointment,
        organisation_id=org.pk,
        changes={"sab_check_due_at": appointment.sab_check_due_at.isoformat(), "basis": ["22-TA-3183 p.17"]},
    )
    return submission


def inform_head(org: Organisation, subject: str, body: str) -> None:
    """Tell the subject's head (its administrators, who represent it in Kiber) by e-mail (p. 15, 17)."""
    from django.conf import settings
    from django.core.mail import send_mail

    addresses = list(
        User.objects.filter(organisation=org, role=Role.SUBJECT_ADMIN, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if addresses:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, addresses, fail_silently=True)


@transaction.atomic
def mark_read(actor: User, delivery: Delivery) -> Delivery:
    """A supervisor of the recipient authority opens a delivered submission for the first time."""
    if delivery.read_at is None:
        delivery.read_at, delivery.read_by = timezone.now(), actor
        delivery.save(update_fields=["read_at", "read_by"])
        record(
            actor,
            "read",
            delivery.submission,
            organisation_id=delivery.organisation_id,
            changes={"recipient": delivery.recipient},
        )
    return delivery


# --- Differences between versions ---------------------------------------------------------------------

_NOT_COMPARED = {"version", "submitted_at", "submitted_by", "notice_type", "basis"}


def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(data, dict):
        flat: dict[str, Any] = {}
        for key, value in data.items():
            flat.update(_flatten(value, f"{prefix}{key}."))
        return flat
    if isinstance(data, list) and any(isinstance(x, dict) for x in data):
        return {prefix[:-1]: canonical_json(data)}
    if isinstance(data, list):
        return {prefix[:-1]: ", ".join(str(x) for x in data)}
    return {prefix[:-1]: data}


def _display(value: Any, key: str = "") -> Any:
    from kiber.registry.snapshot_labels import display

    return display(key, value)


def snapshot_rows(snapshot: dict[str, Any]) -> list[tuple[str, Any]]:
    """The snapshot as (Latvian label, value) rows for display."""
    from kiber.registry.snapshot_labels import LABELS, label

    order = {key: i for i, key in enumerate(LABELS)}
    flat = sorted(_flatten(snapshot).items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
    return [(label(k), _display(v, k)) for k, v in flat if k not in ("kind",)]


def diff_snapshots(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(path, old value, new value) for every value that differs between two versions."""
    from kiber.registry.snapshot_labels import label

    a, b = _flatten(old), _flatten(new)
    return [
        (label(key), _display(a.get(key), key), _display(b.get(key), key))
        for key in sorted(set(a) | set(b))
        if key not in _NOT_COMPARED and a.get(key) != b.get(key)
    ]
