"""The outsourcing register (p. 85–105): providers, contracts, eligibility, SAB opinion requests."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiber import versioning
from kiber.audit.services import record
from kiber.governance.choices import FAVOURABLE_OPINIONS, ContractStatus, Eligibility, OpinionStatus, PartyKind
from kiber.governance.models import (
    ConsentFile,
    OutsourcingContract,
    Provider,
    ProviderChangeReport,
    SabOpinionRequest,
)
from kiber.governance.services.common import SIGNED_SUFFIXES, apply, check_upload, require_edit, subject_tier
from kiber.registry.choices import Role
from kiber.registry.models import Organisation, User
from kiber.rules.base import RuleInputError
from kiber.rules.registry import evaluate
from kiber.rules.working_days import add_working_days

PROVIDER_FIELDS = (
    "name",
    "registration_number",
    "kind",
    "registration_country",
    "citizenships",
    "board_members",
    "shareholders",
    "beneficial_owners",
    "public_person_holder",
)
CONTRACT_FIELDS = (
    "title",
    "description",
    "contract_subject",
    "provider",
    "manufacturer",
    "personnel",
    "clauses",
    "risk_assessment",
    "exit_strategy",
    "manager_agreed_on",
    "supervising_person",
    "pecn_critical_part",
    "concluded_before_entry_into_force",
    "contract_end",
)
_CLASS_ORDER = {"A": 0, "B": 1, "C": 2}
# Rule input paths -> the form field the user fixes.
_FIELD_OF = {"manufacturer": "manufacturer", "system_class": "systems", "system_in_ci_set": "systems"}


# --- eligibility ----------------------------------------------------------------------------------------


def _people(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"citizenships": row["citizenships"]} for row in rows]


def party(provider: Provider) -> dict[str, Any]:
    """A register entry as the rule's ``Party``."""
    return {
        "kind": provider.kind,
        "registration_country": provider.registration_country or None if provider.kind == PartyKind.LEGAL else None,
        "citizenships": provider.citizenships if provider.kind == PartyKind.NATURAL else [],
        "board_members": _people(provider.board_members),
        "shareholders": [
            {
                "kind": s["kind"],
                "registration_country": s.get("registration_country") or None,
                "citizenships": s.get("citizenships", []),
            }
            for s in provider.shareholders
        ],
        "beneficial_owners": _people(provider.beneficial_owners),
    }


def sab_opinion(contract: OutsourcingContract) -> str:
    """The rule's ``sab_opinion`` from SAB's latest answer on the contract (p. 92, 94.2, 102.2)."""
    latest = contract.opinion_requests.exclude(status=OpinionStatus.FILED).order_by("-decided_at", "-id").first()
    if latest is None:
        return "none"
    return "favourable" if latest.status in FAVOURABLE_OPINIONS else "unfavourable"


def rule_input(contract: OutsourcingContract, systems: list[Any]) -> dict[str, Any]:
    organisation = contract.organisation
    tier = subject_tier(organisation)
    classes = sorted((s.security_class for s in systems if s.security_class), key=_CLASS_ORDER.__getitem__)
    payload: dict[str, Any] = {
        "subject_tier": tier,
        "contract_subject": contract.contract_subject,
        "as_of": timezone.localdate().isoformat(),
        "system_class": classes[0] if classes else None,
        "pecn_critical_part": contract.pecn_critical_part,
        "provider": party(contract.provider),
        "manufacturer": party(contract.manufacturer) if contract.manufacturer_id else None,
        "personnel": _people(contract.personnel),
        "public_person_holder": contract.provider.public_person_holder,
        "sab_opinion": sab_opinion(contract) if contract.pk else "none",
        "concluded_before_entry_into_force": contract.concluded_before_entry_into_force,
        "contract_end": contract.contract_end.isoformat() if contract.contract_end else None,
    }
    if tier == "ci_owner":
        payload["system_in_ci_set"] = any(s.in_ci_set for s in systems)
    return payload


def _evaluate(contract: OutsourcingContract, systems: list[Any]) -> None:
    try:
        output = evaluate("outsourcing-eligibility", rule_input(contract, systems))
    except RuleInputError as exc:
        errors: dict[str, list[str]] = {}
        for path in exc.fields:
            head = path.split(".")[0]
            if head == "provider":
                message = _("Ārpakalpojuma sniedzēja dati nav pilnīgi (valsts vai pilsonība): %(path)s.")
            elif head == "manufacturer":
                message = _("Tehnisko resursu līgumam norādiet ražotāju ar reģistrācijas valsti vai pilsonību.")
            elif head in ("system_class", "system_in_ci_set"):
                message = _("Norādiet skartās informācijas sistēmas ar noteiktu drošības klasi.")
            else:
                message = _("Nepilnīgi dati: %(path)s.")
            errors.setdefault(_FIELD_OF.get(head, "__all__"), []).append(message % {"path": path})
        raise ValidationError(errors) from None
    contract.eligibility = output
    contract.decision = output["decision"]


def _check_parties(organisation: Organisation, data: dict[str, Any]) -> None:
    for field in ("provider", "manufacturer"):
        value = data.get(field)
        if value is not None and value.organisation_id != organisation.pk:
            raise ValidationError({field: [_("Izvēlieties sava reģistra ierakstu.")]})
    for system in data.get("systems", []):
        if system.organisation_id != organisation.pk:
            raise ValidationError({"systems": [_("Izvēlieties sava kataloga sistēmas.")]})


# --- providers ------------------------------------------------------------------------------------------


def _clean_provider(provider: Provider) -> None:
    if provider.kind == PartyKind.LEGAL and not provider.registration_country:
        raise ValidationError({"registration_country": [_("Juridiskai personai norādiet reģistrācijas valsti.")]})
    if provider.kind == PartyKind.NATURAL and not provider.citizenships:
        raise ValidationError({"citizenships": [_("Fiziskai personai norādiet pilsonību.")]})
    provider.full_clean(exclude=["organisation"])


@transaction.atomic
def create_provider(actor: User, organisation: Organisation, data: dict[str, Any]) -> Provider:
    require_edit(actor, organisation)
    provider = Provider(organisation=organisation)
    changes = apply(provider, data, PROVIDER_FIELDS)
    _clean_provider(provider)
    provider.save()
    record(actor, "create", provider, organisation_id=organisation.pk, changes=changes)
    return provider


@transaction.atomic
def update_provider(actor: User, provider: Provider, data: dict[str, Any]) -> Provider:
    """Save a provider and re-evaluate every contract it takes part in (its owners may have changed)."""
    require_edit(actor, provider.organisation)
    changes = apply(provider, data, PROVIDER_FIELDS)
    _clean_provider(provider)
    versioning.save(provider, versioning.expected(data))
    record(actor, "update", provider, organisation_id=provider.organisation_id, changes=changes)
    affected = OutsourcingContract.objects.filter(provider=provider) | OutsourcingContract.objects.filter(
        manufacturer=provider
    )
    for contract in affected.distinct():
        reevaluate(actor, contract)
    return provider


# --- contracts ------------------------------------------------------------------------------------------


@transaction.atomic
def save_contract(
    actor: User, organisation: Organisation, data: dict[str, Any], contract: OutsourcingContract | None = None
) -> OutsourcingContract:
    """Create or edit a contract; its eligibility is computed by the rule and stored with the basis."""
    require_edit(actor, organisation)
    _check_parties(organisation, data)
    creating = contract is None
    contract = contract or OutsourcingContract(organisation=organisation)
    if contract.status != ContractStatus.DRAFT and not creating:
        raise ValidationError({"__all__": [_("Noslēgtu līgumu nevar labot; reģistrējiet izmaiņas kā jaunu līgumu.")]})
    changes = apply(contract, data, CONTRACT_FIELDS)
    systems = list(data.get("systems", contract.systems.all() if contract.pk else []))
    _evaluate(contract, systems)
    contract.full_clean(exclude=["organisation", "provider", "manufacturer"])
    if creating:
        contract.save()
    else:
        versioning.save(contract, versioning.expected(data))
    contract.systems.set(systems)
    contract.subcontractors.set(data.get("subcontractors", []))
    changes["decision"] = contract.decision
    record(actor, "create" if creating else "update", contract, organisation_id=organisation.pk, changes=changes)
    return contract


def reevaluate(actor: User | None, contract: OutsourcingContract) -> OutsourcingContract:
    """Recompute the stored eligibility after a provider's or SAB's change; audited when it changes."""
    before = contract.decision
    try:
        _evaluate(contract, list(contract.systems.all()))
    except ValidationError:
        return contract
    contract.save(update_fields=["eligibility", "decision", "updated_at"])
    if contract.decision != before:
        record(
            actor,
            "reevaluate",
            contract,
            organisation_id=contract.organisation_id,
            changes={"decision": [before, contract.decision]},
        )
        if contract.status == ContractStatus.CONCLUDED and contract.decision != Eligibility.ALLOWED:
            _open_change_report(actor, contract)
    return contract


def _open_change_report(actor: User | None, contract: OutsourcingContract) -> ProviderChangeReport | None:
    """p. 99 (CI) / p. 105 (essential): SAB hears of a provider's non-compliant change within 10 working days."""
    point = {"ci": "99", "essential_class_a": "105"}.get(contract.eligibility.get("regime") or "")
    if point is None:
        return None
    learned = timezone.localdate()
    findings = "; ".join(f"{f['message']} ({f['basis']})" for f in contract.eligibility.get("findings", []))
    report = ProviderChangeReport.objects.create(
        organisation=contract.organisation,
        contract=contract,
        learned_on=learned,
        description=findings,
        report_due=add_working_days(learned, 10),
        basis=f"22-TA-3183 p.{point}",
    )
    record(
        actor,
        "open_change_report",
        report,
        organisation_id=contract.organisation_id,
        changes={"report_due": report.report_due.isoformat(), "basis": report.basis},
    )
    return report


@transaction.atomic
def mark_reported(actor: User, report: ProviderChangeReport, reported_on: Any) -> ProviderChangeReport:
    require_edit(actor, report.organisation)
    if reported_on > timezone.localdate() or reported_on < report.learned_on:
        raise ValidationError({"reported_on": [_("Datumam jābūt starp uzzināšanas dienu un šodienu.")]})
    report.reported_on = reported_on
    report.save(update_fields=["reported_on"])
    record(
        actor,
        "reported_to_sab",
        report,
        organisation_id=report.organisation_id,
        changes={"reported_on": reported_on.isoformat()},
    )
    return report


@transaction.atomic
def conclude(
    actor: User, contract: OutsourcingContract, concluded_on: Any, version: int | None = None
) -> OutsourcingContract:
    """Mark the contract concluded: only what the rule allows, after the manager's agreement (p. 91)."""
    require_edit(actor, contract.organisation)
    if contract.status != ContractStatus.DRAFT:
        raise ValidationError({"__all__": [_("Līgums jau ir noslēgts.")]})
    _evaluate(contract, list(contract.systems.all()))
    if contract.decision != Eligibility.ALLOWED:
        basis = ", ".join(contract.eligibility.get("basis", []))
        if contract.decision == Eligibility.FORBIDDEN:
            message = _("Līgumu slēgt aizliegts (%(basis)s).")
        else:
            message = _("Līgumu drīkst slēgt tikai pēc SAB pozitīva atzinuma (%(basis)s).")
        raise ValidationError({"__all__": [message % {"basis": basis}]})
    if contract.manager_agreed_on is None:
        raise ValidationError(
            {"__all__": [_("Pirms slēgšanas līgums jāsaskaņo ar kiberdrošības pārvaldnieku (91. p.).")]}
        )
    if concluded_on > timezone.localdate():
        raise ValidationError({"concluded_on": [_("Noslēgšanas datums nevar būt nākotnē.")]})
    contract.status, contract.concluded_on = ContractStatus.CONCLUDED, concluded_on
    versioning.save(contract, version)
    record(
        actor,
        "conclude",
        contract,
        organisation_id=contract.organisation_id,
        changes={
            "status": [ContractStatus.DRAFT, ContractStatus.CONCLUDED],
            "concluded_on": str(concluded_on),
            "basis": contract.eligibility.get("basis", []),
        },
    )
    return contract


# --- SAB opinion requests -------------------------------------------------------------------------------


@transaction.atomic
def file_opinion_request(
    actor: User,
    contract: OutsourcingContract,
    note: str,
    request_file: UploadedFile,
    consents: list[tuple[str, UploadedFile]],
) -> SabOpinionRequest:
    """p. 95 / 103: the signed Annex 7 form and the consents of the provider, subcontractors and persons."""
    require_edit(actor, contract.organisation)
    if contract.decision != Eligibility.SAB_OPINION_REQUIRED:
        raise ValidationError({"__all__": [_("Šim līgumam SAB atzinums nav vajadzīgs vai vairs nevar palīdzēt.")]})
    if contract.opinion_requests.filter(status=OpinionStatus.FILED).exists():
        raise ValidationError({"__all__": [_("Pieprasījums jau iesniegts un gaida SAB atzinumu.")]})
    if not consents:
        raise ValidationError(
            {"consent_file": [_("Pievienojiet vismaz ārpakalpojuma sniedzēja piekrišanu (95.2. p.).")]}
        )
    check_upload(request_file, "request_file", SIGNED_SUFFIXES)
    for _party, upload in consents:
        check_upload(upload, "consent_file", SIGNED_SUFFIXES)
    request = SabOpinionRequest(
        organisation=contract.organisation,
        contract=contract,
        note=note,
        filed_by=actor,
        filed_at=timezone.now(),
        request_file_name=request_file.name or "",
    )
    request.request_file.save(request_file.name or "request", request_file, save=False)
    request.save()
    for who, upload in consents:
        consent = ConsentFile(request=request, party=who, file_name=upload.name or "")
        consent.file.save(upload.name or "consent", upload, save=False)
        consent.save()
    record(
        actor,
        "file_sab_request",
        request,
        organisation_id=contract.organisation_id,
        changes={"contract": contract.pk, "consents": [who for who, _u in consents]},
    )
    return request


@transaction.atomic
def decide_opinion(
    actor: User, request: SabOpinionRequest, status: str, opinion_text: str, version: int | None = None
) -> SabOpinionRequest:
    """SAB records its opinion; the contract's eligibility follows it (the rule's ``sab_opinion``)."""
    if actor.role != Role.SAB_OFFICER:
        raise PermissionDenied
    if status == OpinionStatus.FILED or status not in OpinionStatus.values:
        raise ValidationError({"status": [_("Izvēlieties atzinumu.")]})
    if request.status != OpinionStatus.FILED:
        raise ValidationError({"__all__": [_("Atzinums jau sniegts.")]})
    request.status, request.opinion_text = status, opinion_text
    request.decided_by, request.decided_at = actor, timezone.now()
    versioning.save(request, version)
    record(
        actor,
        "sab_opinion",
        request,
        organisation_id=request.organisation_id,
        changes={"status": [OpinionStatus.FILED, status]},
    )
    reevaluate(actor, request.contract)
    return request
