"""Organisation A's supervision records for the scoping walk: an audit by a registered auditor, a finding."""

from __future__ import annotations

from datetime import date

from kiber.registry.choices import Role
from kiber.registry.models import User
from kiber.supervision import audit_services, services
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
