"""Writes of the field duties: security scans (p. 136–141) and early-warning sensors (p. 142–150).

Who may scan, the 48-hour notice and the 5-working-day sensor notice come from ``supervision-obligations``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiber import versioning
from kiber.assets.models import InformationSystem
from kiber.audit.services import record
from kiber.registry.models import Organisation, User
from kiber.rules.registry import evaluate
from kiber.rules.supervision import SCAN_NOTICE_HOURS
from kiber.supervision.choices import ScanRequester, SensorEventKind, SensorState
from kiber.supervision.models import Scan, Sensor, SensorEvent, SensorSiting
from kiber.supervision.obligation_services import as_date, subject_tier
from kiber.supervision.services import ServiceError

STATE_AFTER = {
    SensorEventKind.INSTALLATION: SensorState.INSTALLED,
    SensorEventKind.MAINTENANCE: SensorState.MAINTAINED,
    SensorEventKind.DISMANTLING: SensorState.DISMANTLED,
}


def _rule(organisation: Organisation, **extra: Any) -> dict[str, Any]:
    has_a = InformationSystem.objects.filter(organisation=organisation, security_class="A").exists()
    siting = SensorSiting.objects.filter(organisation=organisation).first()
    data = {
        "subject_tier": subject_tier(organisation),
        "has_class_a_system": has_a,
        "csirt_soc_present": bool(siting and siting.csirt_soc_present),
    }
    data.update({k: v.isoformat() if isinstance(v, (date, datetime)) else v for k, v in extra.items()})
    return evaluate("supervision-obligations", data)


# --------------------------------------------------------------------------------------- scans

SCAN_POINTS = ("136", "137", "138", "139", "141")


def scan_basis(basis: list[str]) -> list[str]:
    """The rule's basis points about scans (the same output also covers tests and sensors)."""
    return [b for b in basis if b.split("p.")[-1].split(".")[0] in SCAN_POINTS]


@transaction.atomic
def schedule_scan(actor: User, requester: str, organisation: Organisation, data: dict[str, Any]) -> Scan:
    """Schedule a scan: the right requester (p. 136) and performer (p. 137, 141); a CI owner's scan by CERT.LV or
    a third party starts no sooner than 48 hours after the written notice to the owner and SAB (p. 139.3)."""
    errors: dict[str, list[str]] = {}
    ci = organisation.is_ci_owner
    if requester != ScanRequester.SUBJECT and requester != ("sab" if ci else "nkc"):
        errors["organisation"] = [
            _("KI īpašnieka skenēšanu pieprasa SAB (136.2. p.), citu subjektu — NKC (136.1. p.).")
        ]
    if requester != ScanRequester.SUBJECT and not data.get("grounds"):
        errors["grounds"] = [_("Atzīmējiet vismaz vienu 140. punkta apsvērumu.")]
    now = timezone.now()
    result = _rule(organisation, scan_performer=data["performer"], scan_starts_at=data["starts_at"])
    if not result["scan_performer_allowed"]:
        errors["performer"] = [
            _("Šis veicējs nedrīkst skenēt šo subjektu (%(p)s. p.).") % {"p": "137" if ci else "141"}
        ]
    notice_due = result["scan_notice_due"]
    if notice_due is not None and datetime.fromisoformat(notice_due) < now:
        errors["starts_at"] = [
            _(
                "Skenēšanu var sākt ne agrāk kā 48 stundas pēc rakstiska paziņojuma KI īpašniekam un SAB "
                "(139.3. p.): agrākais sākums %(t)s."
            )
            % {"t": timezone.localtime(now + timedelta(hours=SCAN_NOTICE_HOURS)).strftime("%d.%m.%Y %H:%M")}
        ]
    if not data.get("whole_infrastructure") and not (data.get("scope") or "").strip():
        errors["scope"] = [_("Norādiet apjomu vai atzīmējiet visu infrastruktūru (138. p.).")]
    if errors:
        raise ServiceError(errors)
    scan = Scan.objects.create(
        organisation=organisation,
        requested_by=requester,
        grounds=sorted(data.get("grounds") or []),
        performer=data["performer"],
        performer_name=data.get("performer_name") or "",
        whole_infrastructure=bool(data.get("whole_infrastructure")),
        scope=data.get("scope") or "",
        starts_at=data["starts_at"],
        duration_hours=data["duration_hours"],
        notice_sent_at=now if notice_due is not None else None,
        obligations=result,
        created_by=actor,
    )
    record(
        actor,
        "create",
        scan,
        organisation_id=organisation.pk,
        changes={
            "performer": scan.performer,
            "starts_at": scan.starts_at,
            "notice_sent_at": scan.notice_sent_at,
            "basis": [b for b in result["basis"] if "p.13" in b or "p.14" in b],
        },
    )
    return scan


@transaction.atomic
def deliver_scan_results(actor: User, scan: Scan, summary: str, recommendations: str) -> Scan:
    """Detailed results and recommendations to the owner (and SAB for CI) at once (p. 139.5), kept (p. 139.6)."""
    if not summary.strip():
        raise ServiceError({"results_summary": [_("Norādiet rezultātu kopsavilkumu.")]})
    scan.results_summary = summary.strip()
    scan.recommendations = recommendations.strip()
    scan.results_delivered_at = timezone.now()
    versioning.save(scan, update_fields=["results_summary", "recommendations", "results_delivered_at"])
    record(
        actor,
        "deliver",
        scan,
        organisation_id=scan.organisation_id,
        changes={"results_delivered_at": scan.results_delivered_at, "basis": "22-TA-3183 p.139.5"},
    )
    return scan


# --------------------------------------------------------------------------------------- sensors


def sensor_candidates(organisations: Any) -> list[dict[str, Any]]:
    """Every essential or important subject ranked by the p. 144 priority (none where a CSIRT SOC runs, p. 150)."""
    rows = []
    for organisation in organisations.filter(category__in=["essential", "important"]).order_by("name"):
        result = _rule(organisation)
        siting = SensorSiting.objects.filter(organisation=organisation).first()
        rows.append(
            {
                "organisation": organisation,
                "priority": result["sensor_priority"],
                "basis": [b for b in result["basis"] if "p.144" in b or "p.150" in b],
                "considerations": siting.considerations if siting else [],
                "sensors": organisation.sensors.exclude(state=SensorState.DISMANTLED).count(),
            }
        )
    return sorted(rows, key=lambda r: (r["priority"] is None, r["priority"] or 0, r["organisation"].name))


@transaction.atomic
def assess_siting(actor: User, organisation: Organisation, soc: bool, considerations: list[str], note: str) -> None:
    siting, _created = SensorSiting.objects.get_or_create(organisation=organisation)
    siting.csirt_soc_present, siting.considerations, siting.note = soc, sorted(considerations), note.strip()
    siting.save()
    record(
        actor,
        "assess",
        siting,
        organisation_id=organisation.pk,
        changes={"csirt_soc_present": soc, "considerations": [f"145.{c}" for c in siting.considerations]},
    )


@transaction.atomic
def plan_sensor(
    actor: User, organisation: Organisation, location: str, systems: list[InformationSystem], operator: str
) -> Sensor:
    siting = SensorSiting.objects.filter(organisation=organisation).first()
    if siting and siting.csirt_soc_present:
        raise ServiceError(
            {"organisation": [_("Subjektā ir CERT.LV drošības operāciju centrs: sensoru neizvieto (150. p.).")]}
        )
    sensor = Sensor.objects.create(
        organisation=organisation, location=location.strip(), operator=operator.strip() or "CERT.LV"
    )
    sensor.systems.set([s for s in systems if s.organisation_id == organisation.pk])
    record(actor, "create", sensor, organisation_id=organisation.pk, changes={"location": sensor.location})
    return sensor


@transaction.atomic
def record_sensor_event(actor: User, sensor: Sensor, kind: str, on: date, note: str, inform_now: bool) -> SensorEvent:
    """Record the work and its notices: the subject within 5 working days (p. 147), SAB at once for CI (p. 148)."""
    if on > timezone.localdate():
        raise ServiceError({"on": [_("Datums nevar būt nākotnē.")]})
    if sensor.state == SensorState.DISMANTLED:
        raise ServiceError({"kind": [_("Sensors jau ir demontēts.")]})
    result = _rule(sensor.organisation, sensor_event_on=on)
    ci = sensor.organisation.is_ci_owner
    event = SensorEvent.objects.create(
        sensor=sensor,
        kind=kind,
        on=on,
        subject_notice_due=as_date(result["sensor_notice_due"]),
        note=note.strip(),
        subject_informed_on=timezone.localdate() if inform_now else None,
        # p. 148 speaks of installation and dismantling only.
        sab_informed_at=timezone.now() if ci and kind != SensorEventKind.MAINTENANCE else None,
        by=actor,
    )
    sensor.state = STATE_AFTER[SensorEventKind(kind)]
    versioning.save(sensor, update_fields=["state"])
    record(
        actor,
        kind,
        sensor,
        organisation_id=sensor.organisation_id,
        changes={
            "on": on,
            "subject_notice_due": event.subject_notice_due,
            "subject_informed_on": event.subject_informed_on,
            "sab_informed_at": event.sab_informed_at,
            "basis": ["22-TA-3183 p.147"] + (["22-TA-3183 p.148"] if event.sab_informed_at else []),
        },
    )
    return event


@transaction.atomic
def inform_subject(actor: User, event: SensorEvent) -> SensorEvent:
    if event.subject_informed_on is None:
        event.subject_informed_on = timezone.localdate()
        event.save(update_fields=["subject_informed_on"])
        record(
            actor,
            "inform",
            event.sensor,
            organisation_id=event.sensor.organisation_id,
            changes={"event": event.pk, "basis": "22-TA-3183 p.147"},
        )
    return event
