"""Writes of the supervision duties: penetration tests (p. 132–135) and non-compliance escalation (p. 155–157).

The deadlines and the escalation target come from the rules (``supervision-obligations``,
``escalation-target``) and are stored with their basis.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from kiber import versioning
from kiber.assets.models import InformationSystem
from kiber.audit.services import model_changes, record
from kiber.registry.models import Organisation, User
from kiber.rules.registry import evaluate
from kiber.supervision.audit_services import involved_within
from kiber.supervision.choices import (
    NonComplianceStatus,
    PentestStatus,
    PentestTrigger,
    PublicBodyType,
    Tester,
)
from kiber.supervision.labels import basis_text
from kiber.supervision.models import NonCompliance, NonComplianceProgress, Pentest
from kiber.supervision.services import ServiceError

OUTSIDE_EXPERIENCE_YEARS = 2  # p. 133.2.1


def subject_tier(organisation: Organisation) -> str:
    """The ``subject_tier`` of the supervision rules: a CI owner, else the effective category."""
    if organisation.is_ci_owner:
        return "ci_owner"
    return "essential" if organisation.is_essential else "important"


def as_date(value: str | None) -> date | None:
    """A rule output's ISO date (the rules answer JSON) as a date."""
    return date.fromisoformat(value) if value else None


def pentest_obligations(system: InformationSystem, **extra: Any) -> dict[str, Any]:
    """``supervision-obligations`` for one system (class, last test done) plus ``extra`` inputs."""
    last = (
        Pentest.objects.filter(system=system, status=PentestStatus.DONE, performed_on__isnull=False)
        .order_by("-performed_on")
        .values_list("performed_on", flat=True)
        .first()
    )
    data: dict[str, Any] = {
        "subject_tier": subject_tier(system.organisation),
        "system_class": system.security_class or None,
        "last_pentest_on": last.isoformat() if last else None,
        "as_of": timezone.localdate().isoformat(),
    }
    data.update({k: v.isoformat() if isinstance(v, date) else v for k, v in extra.items()})
    return evaluate("supervision-obligations", data)


# --------------------------------------------------------------------------------------- penetration tests


def class_a_schedule(organisation_ids: list[int]) -> list[dict[str, Any]]:
    """Every class A system of the given subjects with its next mandatory test (p. 132.1) from the rule."""
    rows = []
    systems = InformationSystem.objects.filter(organisation_id__in=organisation_ids, security_class="A")
    for system in systems.select_related("organisation").order_by("organisation__name", "name"):
        result = pentest_obligations(system)
        rows.append(
            {
                "system": system,
                "due": as_date(result["next_pentest_due"]),
                "overdue": result["pentest_overdue"],
                "basis": basis_text([b for b in result["basis"] if b.startswith("22-TA-3183 p.132")]),
            }
        )
    return rows


PENTEST_FIELDS = (
    "tester",
    "tester_name",
    "tester_certificate",
    "tester_experience_years",
    "tester_last_involved_on",
    "sab_opinion_on",
    "status",
    "performed_on",
    "results_on",
    "results_summary",
    "results_sent_to_sab_on",
)


def _tester_errors(pentest: Pentest, ci: bool) -> dict[str, list[str]]:
    """Who may test (p. 133–134): independence, qualification, SAB's opinion for a CI owner, who for an order."""
    errors: dict[str, list[str]] = {}
    if not pentest.tester:
        return errors
    on = pentest.performed_on or timezone.localdate()
    if pentest.tester in (Tester.OWN_STAFF, Tester.OUTSIDE) and involved_within(pentest.tester_last_involved_on, on):
        errors["tester_last_involved_on"] = [
            _(
                "Testētājs pēdējo trīs gadu laikā bijis iesaistīts sistēmas izstrādē vai uzturēšanā "
                "(133.1., 133.2.2. p.)."
            )
        ]
    ordered = pentest.trigger == PentestTrigger.ORDERED
    if pentest.tester == Tester.OWN_STAFF and ordered:
        errors["tester"] = [_("Pieprasītu testu subjekta personāls neveic (134. p.).")]
    if pentest.tester == Tester.OUTSIDE:
        if not pentest.tester_certificate.strip() and (pentest.tester_experience_years or 0) < OUTSIDE_EXPERIENCE_YEARS:
            errors["tester_certificate"] = [
                _(
                    "Citai personai vajag starptautiski atzītu sertifikātu (piem., CEH, OSCP) vai vismaz divu gadu "
                    "pieredzi (133.2.1. p.)."
                )
            ]
        if ci and pentest.sab_opinion_on is None:
            errors["sab_opinion_on"] = [
                _(
                    "IKT kritiskās infrastruktūras sistēmu cita persona testē tikai ar SAB atzinumu "
                    "(133.3., 134.2.2. p.)."
                )
            ]
    if pentest.tester == Tester.OFFICIALS and (ci or not ordered):
        errors["tester"] = [_("NKC vai CERT.LV amatpersonas testē pēc pieprasījuma subjektam, kas nav KI (134.1. p.).")]
    if pentest.tester == Tester.CSIRT_WITH_SAB:
        if not (ci and ordered):
            errors["tester"] = [_("Pēc saskaņošanas ar SAB CERT.LV testē tikai pieprasītu KI testu (134.2.1. p.).")]
        elif pentest.sab_opinion_on is None:
            errors["sab_opinion_on"] = [_("Norādiet saskaņojuma ar SAB datumu (134.2.1. p.).")]
    if pentest.status == PentestStatus.DONE and (not pentest.performed_on or not pentest.tester):
        errors.setdefault("performed_on", []).append(_("Veiktam testam norādiet testētāju un datumu."))
    if pentest.results_on and pentest.performed_on and pentest.results_on < pentest.performed_on:
        errors["results_on"] = [_("Rezultāti nevar būt pirms testa.")]
    return errors


def _store_obligations(pentest: Pentest) -> None:
    result = pentest_obligations(pentest.system, pentest_results_on=pentest.results_on)
    pentest.obligations = result
    pentest.results_to_sab_due = as_date(result["pentest_results_to_sab_due"])


@transaction.atomic
def order_pentest(
    actor: User, authority: str, system: InformationSystem, grounds: list[str], note: str, due_by: date | None
) -> Pentest:
    """NKC or SAB orders a test of any system (p. 132.3), weighing at least one consideration of p. 140."""
    if not grounds:
        raise ServiceError({"grounds": [_("Atzīmējiet vismaz vienu 140. punkta apsvērumu.")]})
    pentest = Pentest(
        organisation=system.organisation,
        system=system,
        trigger=PentestTrigger.ORDERED,
        ordered_by=authority,
        grounds=sorted(grounds),
        order_note=note.strip(),
        ordered_on=timezone.localdate(),
        due_by=due_by,
        status=PentestStatus.ORDERED,
        created_by=actor,
    )
    _store_obligations(pentest)
    pentest.save()
    record(
        actor,
        "order",
        pentest,
        organisation_id=system.organisation_id,
        changes={
            "system": system.name,
            "grounds": [f"140.{g}" for g in pentest.grounds],
            "due_by": due_by,
            "basis": "22-TA-3183 p.132.3",
        },
    )
    return pentest


@transaction.atomic
def create_pentest(actor: User, system: InformationSystem, trigger: str, data: dict[str, Any]) -> Pentest:
    """The subject records a test of its own (p. 132.1, 132.2)."""
    if trigger == PentestTrigger.ORDERED:
        raise ServiceError({"trigger": [_("Pieprasītu testu reģistrē NKC vai SAB.")]})
    pentest = Pentest(
        organisation=system.organisation,
        system=system,
        trigger=trigger,
        created_by=actor,
        **{k: data.get(k) for k in PENTEST_FIELDS},
    )
    _save_checked(pentest)
    record(
        actor,
        "create",
        pentest,
        organisation_id=system.organisation_id,
        changes={"system": system.name, "trigger": trigger, "basis": f"22-TA-3183 p.{trigger}"},
    )
    return pentest


def _save_checked(pentest: Pentest, version: int | None = None) -> None:
    for key in ("tester_name", "tester_certificate", "results_summary", "tester"):
        setattr(pentest, key, getattr(pentest, key) or "")
    errors = _tester_errors(pentest, pentest.organisation.is_ci_owner)
    if errors:
        raise ServiceError(errors)
    _store_obligations(pentest)
    if pentest.pk:
        versioning.save(pentest, version)
    else:
        pentest.save()


@transaction.atomic
def update_pentest(actor: User, pentest: Pentest, data: dict[str, Any]) -> Pentest:
    """The subject records who tests and the results; a CI owner's results go to SAB in 10 working days (p. 135)."""
    before = {k: getattr(pentest, k) for k in PENTEST_FIELDS}
    for key in PENTEST_FIELDS:
        setattr(pentest, key, data.get(key))
    if pentest.performed_on and pentest.status != PentestStatus.DONE:
        pentest.status = PentestStatus.DONE
    _save_checked(pentest, versioning.expected(data))
    changes = model_changes(before, {k: getattr(pentest, k) for k in PENTEST_FIELDS})
    if pentest.results_to_sab_due:
        changes["results_to_sab_due"] = pentest.results_to_sab_due
        changes["basis"] = "22-TA-3183 p.135"
    record(actor, "update", pentest, organisation_id=pentest.organisation_id, changes=changes)
    return pentest


# --------------------------------------------------------------------------------------- non-compliance

NON_COMPLIANCE_FIELDS = (
    "source",
    "source_reference",
    "requirement",
    "description",
    "found_on",
    "remedy_by",
    "public_body_type",
)


def default_public_body_type(organisation: Organisation) -> str:
    kind = organisation.entity_kind
    if kind == "central_public_administration":
        return PublicBodyType.DIRECT
    if kind == "regional_public_administration":
        return PublicBodyType.MUNICIPALITY
    return PublicBodyType.NOT_PUBLIC


@transaction.atomic
def record_non_compliance(
    actor: User, authority: str, organisation: Organisation, data: dict[str, Any]
) -> NonCompliance:
    if data["remedy_by"] < data["found_on"]:
        raise ServiceError({"remedy_by": [_("Novēršanas termiņš nevar būt pirms konstatēšanas.")]})
    item = NonCompliance.objects.create(
        organisation=organisation,
        supervisor=authority,
        recorded_by=actor,
        **{
            k: data.get(k) or "" if k in ("source_reference", "requirement") else data.get(k)
            for k in NON_COMPLIANCE_FIELDS
        },
    )
    record(
        actor,
        "create",
        item,
        organisation_id=organisation.pk,
        changes={"remedy_by": item.remedy_by, "source": item.source, "requirement": item.requirement},
    )
    return item


@transaction.atomic
def mark_remedied(actor: User, item: NonCompliance, on: date, note: str, version: int | None) -> NonCompliance:
    if item.status in (NonComplianceStatus.REMEDIED, NonComplianceStatus.CLOSED):
        raise ServiceError({"": [_("Neatbilstība jau ir novērsta vai slēgta.")]})
    item.status = NonComplianceStatus.REMEDIED if item.status == NonComplianceStatus.OPEN else item.status
    item.remedied_on = on
    if item.status == NonComplianceStatus.ESCALATED:
        item.status, item.closed_on = NonComplianceStatus.CLOSED, on
    versioning.save(item, version)
    NonComplianceProgress.objects.create(non_compliance=item, on=on, note=note.strip() or _("Novērsta"), by=actor)
    record(actor, "remedy", item, organisation_id=item.organisation_id, changes={"remedied_on": on, "note": note})
    return item


def escalation_for(item: NonCompliance) -> dict[str, Any]:
    return evaluate(
        "escalation-target",
        {"public_body_type": item.public_body_type, "is_ci_owner": item.organisation.is_ci_owner},
    )


@transaction.atomic
def escalate(actor: User, item: NonCompliance, version: int | None) -> NonCompliance:
    """The remedy deadline passed unremedied: name the target (p. 155–157) and produce the letter to send."""
    today = timezone.localdate()
    if item.status != NonComplianceStatus.OPEN:
        raise ServiceError({"": [_("Ziņot var tikai par nenovērstu neatbilstību.")]})
    if item.remedy_by >= today:
        raise ServiceError(
            {"": [_("Novēršanas termiņš (%(d)s) vēl nav pagājis.") % {"d": item.remedy_by.strftime("%d.%m.%Y")}]}
        )
    result = escalation_for(item)
    if not result["applies"]:
        raise ServiceError({"": [_("155.–157. punkts attiecas tikai uz valsts un pašvaldību institūcijām.")]})
    item.escalation = result
    item.escalated_on = today
    item.status = NonComplianceStatus.ESCALATED
    item.letter.save("vestule.pdf", ContentFile(letter_pdf(item, actor)), save=False)
    versioning.save(item, version)
    record(
        actor,
        "escalate",
        item,
        organisation_id=item.organisation_id,
        changes={"report_to": result["report_to"], "basis": result["basis"]},
    )
    return item


def letter_pdf(item: NonCompliance, actor: User) -> bytes:
    from weasyprint import HTML  # heavy: only when a letter is made

    html = render_to_string(
        "supervision/letter_pdf.html",
        {"item": item, "actor": actor, "result": item.escalation, "today": timezone.localdate()},
    )
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]


@transaction.atomic
def add_progress(actor: User, item: NonCompliance, on: date, note: str) -> NonComplianceProgress:
    if not note.strip():
        raise ServiceError({"note": [_("Aprakstiet gaitu.")]})
    step = NonComplianceProgress.objects.create(non_compliance=item, on=on, note=note.strip(), by=actor)
    record(actor, "progress", item, organisation_id=item.organisation_id, changes={"on": on, "note": step.note})
    return step
