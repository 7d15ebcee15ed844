"""Organisation A's supervision records for the scoping walk: audit, finding, test, non-compliance, scan, sensor."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from kiber.assets.models import InformationSystem
from kiber.registry.choices import Role
from kiber.registry.models import User
from kiber.supervision import audit_services, services
from kiber.supervision import field_services as field
from kiber.supervision import obligation_services as duties
from tests.supervision.conftest import auditor_data, certificate


def populate(organisation, admin) -> None:
    committee = User.objects.create_user(username="walk-committee", password="x-Walk-2026!", role=Role.DDSC_MEMBER)
    auditor = services.register_auditor(committee, auditor_data(name="SIA Walk Auditors"), certificate(), [])
    audit = audit_services.create_audit(
        admin,
        organisation,
        {
            "auditor": auditor,
            "scope": "Slepenais audita apjoms",
            "contract_signed_on": date(2026, 10, 1),
            "guarantee_130_1": True,
            "guarantee_130_2": True,
            "guarantee_130_3": True,
            "guarantee_130_4": True,
            "auditor_last_involved_on": None,
            "sab_opinion_on": date(2026, 9, 1),
            "sab_opinion_reference": "SAB-1",
            "status": "in_progress",
            "starts_on": None,
            "completed_on": None,
        },
        [],
    )
    audit_services.add_finding(
        admin,
        audit,
        {
            "title": "Slepenais konstatējums",
            "severity": "high",
            "requirement": "",
            "action": "Slepenais pasākums",
            "owner": "Slepenā Persona",
            "due_on": date(2026, 12, 1),
            "status": "open",
            "done_on": None,
            "note": "",
        },
    )
    system = InformationSystem.objects.create(
        organisation=organisation, name="Slepenā testējamā sistēma", security_class="A"
    )
    nkc = User.objects.create_user(username="walk-nkc", password="x-Walk-2026!", role=Role.NKC_SUPERVISOR)
    sab = User.objects.create_user(username="walk-sab", password="x-Walk-2026!", role=Role.SAB_OFFICER)
    certlv = User.objects.create_user(username="walk-certlv", password="x-Walk-2026!", role=Role.CSIRT_ANALYST)
    duties.order_pentest(nkc, "nkc", system, ["1"], "Slepenais pieprasījums", None)
    today = timezone.localdate()
    duties.record_non_compliance(
        nkc,
        "nkc",
        organisation,
        {
            "source": "audit",
            "source_reference": "",
            "requirement": "",
            "description": "Slepenā neatbilstība",
            "found_on": today - timedelta(days=9),
            "remedy_by": today - timedelta(days=1),
            "public_body_type": "direct_administration_institution",
        },
    )
    field.schedule_scan(
        sab,
        "sab",
        organisation,
        {
            "performer": "sab_officials",
            "performer_name": "Slepenais skeneris",
            "grounds": ["1"],
            "whole_infrastructure": True,
            "starts_at": timezone.now() + timedelta(days=3),
            "duration_hours": 2,
        },
    )
    sensor = field.plan_sensor(certlv, organisation, "Slepenā vieta", [], "CERT.LV")
    field.record_sensor_event(certlv, sensor, "installation", today, "Slepenais sensors", inform_now=False)
