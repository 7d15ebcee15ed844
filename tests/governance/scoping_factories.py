"""Objects the governance app gives organisation A for the scoping walk (tests/test_scoping_walk.py)."""

from __future__ import annotations

from datetime import date, timedelta

from kiber.assets import services as asset_services
from kiber.governance.services import documents, outsourcing, risks, state_threat
from tests.governance.conftest import contract_data, pdf, provider_data


def populate(organisation, admin) -> None:
    system = asset_services.create_system(
        admin,
        organisation,
        {"name": "Slepenais serveris", "in_ci_set": True},
        [{"name": "dati", "tolerated_unplanned_downtime_pct": 5}],
    )
    documents.create_document(
        admin,
        organisation,
        {
            "part": "policy",
            "title": "Slepenais politikas dokuments",
            "edition": "1",
            "approved_on": date.today() - timedelta(days=30),
            "approved_by": "Slepenā Persona",
            "copy_location": "alfa-slepens seifs",
            "content_points": ["30.1"],
        },
        pdf(),
    )
    provider = outsourcing.create_provider(admin, organisation, provider_data(name="Slepenais sniedzējs"))
    contract = outsourcing.save_contract(admin, organisation, contract_data(provider, system, title="Slepenais līgums"))
    outsourcing.file_opinion_request(admin, contract, "Slepenais", pdf("veidlapa.pdf"), [("Slepenais", pdf())])
    risks.save_methodology(
        admin,
        organisation,
        {
            "risk_list": "Slepenais saraksts",
            "likelihood_levels": ["zema", "augsta"],
            "impact_levels": ["maza", "liela"],
            "acceptable_score": 2,
            "review_period_months": 12,
            "description": "",
        },
    )
    risk = risks.save_risk(
        admin,
        organisation,
        {
            "system": system,
            "scope": "",
            "title": "Slepenais risks",
            "threat": "",
            "supply_chain": False,
            "likelihood": 2,
            "impact": 2,
            "previous_likelihood": None,
            "previous_impact": None,
            "owner": "",
        },
    )
    risks.save_measure(
        admin,
        risk,
        {
            "description": "Slepenais pasākums",
            "implementer": "x",
            "controller": "y",
            "due_on": date.today() + timedelta(days=30),
            "periodicity": "",
            "status": "planned",
            "progress": 0,
        },
    )
    risks.save_continuity(
        admin,
        organisation,
        {
            "system": system,
            "rpo_hours": 1,
            "rto_hours": 2,
            "mtd_hours": 4,
            "monitoring": "Slepenais",
            "exceedance_action": "x",
            "recovery_plan": "y",
            "reserve_resources": "",
            "provider_independent_ip": False,
        },
    )
    state_threat.save_plan(
        admin,
        organisation,
        {
            "responsible_name": "Slepenā Persona",
            "responsible_email": "plans@alfa-slepens.lv",
            "responsible_appointed_on": date.today() - timedelta(days=10),
            "exemption": False,
            "exemption_basis": "",
            "content_points": ["3"],
            "approved_on": None,
            "sab_delivered_on": None,
            "self_assessment_on": None,
        },
    )
