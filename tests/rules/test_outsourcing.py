"""outsourcing-eligibility: 22-TA-3183 p. 85, 92-105, 164-169; country groups."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from kiber.cli import rules_command
from kiber.rules.country_groups import EFTA, EU, IP4, ISO_3166_ALPHA2, NATO, RESTRICTED_P85
from kiber.rules.registry import evaluate

GOOD_PARTY: dict[str, Any] = {
    "registration_country": "LV",
    "board_members": [{"citizenships": ["LV"]}, {"citizenships": ["DE"]}],
    "shareholders": [{"kind": "legal_person", "registration_country": "SE"}],
    "beneficial_owners": [{"citizenships": ["LV"]}],
}
BASE: dict[str, Any] = {
    "subject_tier": "important",
    "contract_subject": "service",
    "as_of": "2026-01-15",
    "provider": GOOD_PARTY,
    "personnel": [{"citizenships": ["LV"]}],
}
CI_RES: dict[str, Any] = {
    **BASE,
    "subject_tier": "ci_owner",
    "system_in_ci_set": True,
    "contract_subject": "technical_resource",
    "manufacturer": GOOD_PARTY,
}
ESP_A: dict[str, Any] = {**BASE, "subject_tier": "essential", "system_class": "A"}


def run(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return evaluate("outsourcing-eligibility", {**base, **changes})


def party(**changes: Any) -> dict[str, Any]:
    return {**GOOD_PARTY, **changes}


def test_country_groups() -> None:
    assert len(NATO) == 32 and len(EU) == 27 and EFTA == {"IS", "LI", "NO", "CH"}
    assert IP4 == {"AU", "JP", "KR", "NZ"}
    assert RESTRICTED_P85 == {"RU", "BY"}
    assert NATO | EU | EFTA | IP4 | RESTRICTED_P85 <= ISO_3166_ALPHA2
    assert "SE" in NATO and "FI" in NATO and "UA" not in NATO and "GB" not in EU


# (point, base, changes, decision, finding codes)
CASES: list[tuple[str, dict[str, Any], dict[str, Any], str, list[str]]] = [
    ("p.85 clean important subject", BASE, {}, "allowed", []),
    (
        "p.85.1 provider registered in RU",
        BASE,
        {"provider": party(registration_country="RU")},
        "forbidden",
        ["provider_registered_in_restricted_state"],
    ),
    (
        "p.85.1 provider registered in BY",
        BASE,
        {"provider": party(registration_country="by")},
        "forbidden",
        ["provider_registered_in_restricted_state"],
    ),
    ("p.85.1 provider registered in CN: not p.85", BASE, {"provider": party(registration_country="CN")}, "allowed", []),
    (
        "p.85.2 natural-person provider RU citizen",
        BASE,
        {"provider": {"kind": "natural_person", "citizenships": ["LV", "RU"]}},
        "forbidden",
        ["provider_restricted_citizen"],
    ),
    (
        "p.85.2 natural-person shareholder BY citizen",
        BASE,
        {"provider": party(shareholders=[{"kind": "natural_person", "citizenships": ["BY"]}])},
        "forbidden",
        ["shareholder_restricted_citizen"],
    ),
    (
        "p.85.2 legal-person shareholder in RU: not a citizen",
        BASE,
        {"provider": party(shareholders=[{"registration_country": "RU"}])},
        "allowed",
        [],
    ),
    (
        "p.85.2 beneficial owner RU citizen",
        BASE,
        {"provider": party(beneficial_owners=[{"citizenships": ["DE"]}, {"citizenships": ["RU"]}])},
        "forbidden",
        ["beneficial_owner_restricted_citizen"],
    ),
    (
        "p.85 board member not named in p.85",
        BASE,
        {"provider": party(board_members=[{"citizenships": ["RU"]}])},
        "allowed",
        [],
    ),
    (
        "p.85.3 person involved is RU citizen",
        BASE,
        {"personnel": [{"citizenships": ["LV"]}, {"citizenships": ["RU"]}]},
        "forbidden",
        ["personnel_restricted_citizen"],
    ),
    (
        "p.85.4 manufacturer registered in RU",
        BASE,
        {"contract_subject": "technical_resource", "manufacturer": party(registration_country="RU")},
        "forbidden",
        ["manufacturer_registered_in_restricted_state"],
    ),
    (
        "p.85.4 manufacturer natural person BY",
        BASE,
        {"contract_subject": "technical_resource", "manufacturer": {"kind": "natural_person", "citizenships": ["BY"]}},
        "forbidden",
        ["manufacturer_restricted_citizen"],
    ),
    # p.92: CI service contract
    ("p.92 CI service needs SAB opinion", CI_RES, {"contract_subject": "service"}, "sab_opinion_required", []),
    (
        "p.92 CI service with favourable opinion",
        CI_RES,
        {"contract_subject": "service", "sab_opinion": "favourable"},
        "allowed",
        [],
    ),
    (
        "p.92 CI service with unfavourable opinion",
        CI_RES,
        {"contract_subject": "service", "sab_opinion": "unfavourable"},
        "forbidden",
        [],
    ),
    (
        "p.92 CI service, public person holder",
        CI_RES,
        {"contract_subject": "service", "public_person_holder": True},
        "allowed",
        [],
    ),
    (
        "p.92 CI owner, system outside CI set: general rules",
        CI_RES,
        {"contract_subject": "service", "system_in_ci_set": False},
        "allowed",
        [],
    ),
    # p.93: CI technical resources
    ("p.93 CI resource, all in groups", CI_RES, {}, "allowed", []),
    ("p.93.1.1 IP4 registration (JP) in", CI_RES, {"manufacturer": party(registration_country="JP")}, "allowed", []),
    (
        "p.93.1.1 registration just outside (UA)",
        CI_RES,
        {"manufacturer": party(registration_country="UA")},
        "sab_opinion_required",
        ["not_registered_in_nato_eu_efta_ip4"],
    ),
    (
        "p.93.1.1 CN manufacturer",
        CI_RES,
        {"manufacturer": party(registration_country="CN")},
        "sab_opinion_required",
        ["not_registered_in_nato_eu_efta_ip4"],
    ),
    (
        "p.93.1.2 board member outside",
        CI_RES,
        {"provider": party(board_members=[{"citizenships": ["LV"]}, {"citizenships": ["CN"]}])},
        "sab_opinion_required",
        ["board_member_not_nato_eu_efta_ip4"],
    ),
    (
        "p.93.1.2 dual citizen board member ok",
        CI_RES,
        {"provider": party(board_members=[{"citizenships": ["CN", "NZ"]}])},
        "allowed",
        [],
    ),
    (
        "p.93.1.2 board not given",
        CI_RES,
        {"provider": party(board_members=[])},
        "sab_opinion_required",
        ["board_not_given"],
    ),
    (
        "p.93.1.3 beneficial owner outside",
        CI_RES,
        {"provider": party(beneficial_owners=[{"citizenships": ["IN"]}])},
        "sab_opinion_required",
        ["beneficial_owner_not_nato_eu_efta_ip4"],
    ),
    ("p.93.1.3 beneficial owner not determinable", CI_RES, {"provider": party(beneficial_owners=[])}, "allowed", []),
    (
        "p.93.1.4 legal shareholder outside (RU) fails 93 not 85",
        CI_RES,
        {"provider": party(shareholders=[{"registration_country": "RU"}])},
        "sab_opinion_required",
        ["shareholder_not_nato_eu_efta_ip4"],
    ),
    (
        "p.93.1.4 natural shareholder outside",
        CI_RES,
        {"provider": party(shareholders=[{"kind": "natural_person", "citizenships": ["BR"]}])},
        "sab_opinion_required",
        ["shareholder_not_nato_eu_efta_ip4"],
    ),
    (
        "p.93.2 natural-person provider KR citizen",
        CI_RES,
        {"provider": {"kind": "natural_person", "citizenships": ["KR"]}},
        "allowed",
        [],
    ),
    (
        "p.93.2 natural-person provider outside",
        CI_RES,
        {"provider": {"kind": "natural_person", "citizenships": ["IL"]}},
        "sab_opinion_required",
        ["not_nato_eu_efta_ip4_citizen"],
    ),
    (
        "p.94.1 public person holder",
        CI_RES,
        {"manufacturer": party(registration_country="CN"), "public_person_holder": True},
        "allowed",
        ["not_registered_in_nato_eu_efta_ip4"],
    ),
    (
        "p.94.2 SAB exception opinion",
        CI_RES,
        {"manufacturer": party(registration_country="CN"), "sab_opinion": "favourable"},
        "allowed",
        ["not_registered_in_nato_eu_efta_ip4"],
    ),
    (
        "p.94.2 unfavourable opinion",
        CI_RES,
        {"manufacturer": party(registration_country="CN"), "sab_opinion": "unfavourable"},
        "forbidden",
        ["not_registered_in_nato_eu_efta_ip4"],
    ),
    (
        "p.85 beats p.94.1",
        CI_RES,
        {"manufacturer": party(registration_country="RU"), "public_person_holder": True},
        "forbidden",
        ["manufacturer_registered_in_restricted_state", "not_registered_in_nato_eu_efta_ip4"],
    ),
    (
        "p.92+93 service and resource, compliant parties",
        CI_RES,
        {"contract_subject": "service_and_technical_resource"},
        "sab_opinion_required",
        [],
    ),
    # p.100: essential provider, class A system
    ("p.100.2 ESP class A service, compliant", ESP_A, {}, "allowed", []),
    (
        "p.100.2 person involved outside",
        ESP_A,
        {"personnel": [{"citizenships": ["UA"]}]},
        "sab_opinion_required",
        ["personnel_not_nato_eu_efta_ip4"],
    ),
    ("p.100.2 persons involved not given", ESP_A, {"personnel": []}, "sab_opinion_required", ["personnel_not_given"]),
    (
        "p.100.1 ESP resource: provider outside",
        ESP_A,
        {
            "contract_subject": "technical_resource",
            "manufacturer": party(registration_country="CN"),
            "provider": party(registration_country="CN"),
        },
        "sab_opinion_required",
        ["not_registered_in_nato_eu_efta_ip4"],
    ),
    (
        "p.100.1 ESP resource: manufacturer not checked under p.100",
        ESP_A,
        {"contract_subject": "technical_resource", "manufacturer": party(registration_country="CN")},
        "allowed",
        [],
    ),
    (
        "p.102.1 public person",
        ESP_A,
        {"personnel": [{"citizenships": ["UA"]}], "public_person_holder": True},
        "allowed",
        ["personnel_not_nato_eu_efta_ip4"],
    ),
    (
        "p.102.2 SAB no negative information",
        ESP_A,
        {"personnel": [{"citizenships": ["UA"]}], "sab_opinion": "favourable"},
        "allowed",
        ["personnel_not_nato_eu_efta_ip4"],
    ),
    (
        "p.100 class B: general rules only",
        ESP_A,
        {"system_class": "B", "personnel": [{"citizenships": ["UA"]}]},
        "allowed",
        [],
    ),
    (
        "p.101 PECN critical part, class C",
        ESP_A,
        {"system_class": "C", "pecn_critical_part": True, "personnel": [{"citizenships": ["UA"]}]},
        "sab_opinion_required",
        ["personnel_not_nato_eu_efta_ip4"],
    ),
    (
        "p.169 existing network: p.101 not before 2030",
        ESP_A,
        {
            "system_class": None,
            "pecn_critical_part": True,
            "pecn_existing_at_entry_into_force": True,
            "as_of": "2029-12-31",
            "personnel": [{"citizenships": ["UA"]}],
        },
        "allowed",
        [],
    ),
    (
        "p.169 existing network: p.101 from 2030-01-01",
        ESP_A,
        {
            "system_class": None,
            "pecn_critical_part": True,
            "pecn_existing_at_entry_into_force": True,
            "as_of": "2030-01-01",
            "personnel": [{"citizenships": ["UA"]}],
        },
        "sab_opinion_required",
        ["personnel_not_nato_eu_efta_ip4"],
    ),
    (
        "p.100 CI owner's ESP rules do not apply to important",
        BASE,
        {"system_class": "A", "personnel": [{"citizenships": ["UA"]}]},
        "allowed",
        [],
    ),
]


@pytest.mark.parametrize(("point", "base", "changes", "decision", "found"), CASES, ids=[c[0] for c in CASES])
def test_cases(point: str, base: dict[str, Any], changes: dict[str, Any], decision: str, found: list[str]) -> None:
    out = run(base, **changes)
    assert out["decision"] == decision
    assert [f["code"] for f in out["findings"]] == found
    assert out["basis"][0] == "22-TA-3183 p.85" and out["reasons"]


def test_field_paths_of_findings() -> None:
    out = run(CI_RES, provider=party(board_members=[{"citizenships": ["LV"]}, {"citizenships": ["CN"]}]))
    assert out["findings"][0]["field"] == "provider.board_members.1.citizenships"
    assert out["findings"][0]["basis"] == "22-TA-3183 p.93.1.2"
    assert out["sab_opinion_points"] == ["22-TA-3183 p.94.2"]


# Transitional provisions: (point, base, changes, decision, permanent, allowed_until, report_by)
TRANSITIONS: list[tuple[str, dict[str, Any], dict[str, Any], str, str, str | None, str | None]] = [
    (
        "p.165 old contract, last day 2027-12-31",
        BASE,
        {
            "provider": party(registration_country="RU"),
            "concluded_before_entry_into_force": True,
            "as_of": "2027-12-31",
        },
        "allowed",
        "forbidden",
        "2027-12-31",
        None,
    ),
    (
        "p.165 old contract on 2028-01-01",
        BASE,
        {
            "provider": party(registration_country="RU"),
            "concluded_before_entry_into_force": True,
            "as_of": "2028-01-01",
        },
        "forbidden",
        "forbidden",
        None,
        None,
    ),
    (
        "p.164 ESP reports within six months",
        ESP_A,
        {
            "personnel": [{"citizenships": ["UA"]}],
            "concluded_before_entry_into_force": True,
            "entry_into_force": "2025-08-31",
        },
        "allowed",
        "sab_opinion_required",
        "2027-12-31",
        "2026-02-28",
    ),
    (
        "p.166 earlier procurement, contract ends 2027-12-31",
        ESP_A,
        {
            "personnel": [{"citizenships": ["UA"]}],
            "procurement_launched_before_entry_into_force": True,
            "contract_end": "2027-12-31",
        },
        "allowed",
        "sab_opinion_required",
        "2027-12-31",
        None,
    ),
    (
        "p.166 earlier procurement, contract ends 2028-01-01",
        ESP_A,
        {
            "personnel": [{"citizenships": ["UA"]}],
            "procurement_launched_before_entry_into_force": True,
            "contract_end": "2028-01-01",
        },
        "sab_opinion_required",
        "sab_opinion_required",
        None,
        None,
    ),
    (
        "p.166 earlier procurement, no contract_end",
        ESP_A,
        {"personnel": [{"citizenships": ["UA"]}], "procurement_launched_before_entry_into_force": True},
        "sab_opinion_required",
        "sab_opinion_required",
        None,
        None,
    ),
    (
        "p.167 not for CI owners; p.168 six months",
        CI_RES,
        {
            "manufacturer": party(registration_country="CN"),
            "concluded_before_entry_into_force": True,
            "entry_into_force": "2025-07-15",
            "as_of": "2026-01-15",
        },
        "allowed",
        "sab_opinion_required",
        "2026-01-15",
        None,
    ),
    (
        "p.168 CI six months over",
        CI_RES,
        {
            "manufacturer": party(registration_country="CN"),
            "concluded_before_entry_into_force": True,
            "entry_into_force": "2025-07-15",
            "as_of": "2026-01-16",
        },
        "sab_opinion_required",
        "sab_opinion_required",
        None,
        None,
    ),
    (
        "p.167 CI without entry_into_force: no grace",
        CI_RES,
        {"manufacturer": party(registration_country="CN"), "concluded_before_entry_into_force": True},
        "sab_opinion_required",
        "sab_opinion_required",
        None,
        None,
    ),
    (
        "compliant contract: no transition needed",
        BASE,
        {"concluded_before_entry_into_force": True},
        "allowed",
        "allowed",
        None,
        None,
    ),
]


@pytest.mark.parametrize(
    ("point", "base", "changes", "decision", "permanent", "until", "report_by"),
    TRANSITIONS,
    ids=[t[0] for t in TRANSITIONS],
)
def test_transitions(
    point: str,
    base: dict[str, Any],
    changes: dict[str, Any],
    decision: str,
    permanent: str,
    until: str | None,
    report_by: str | None,
) -> None:
    out = run(base, **changes)
    assert (out["decision"], out["permanent_decision"]) == (decision, permanent)
    assert out["allowed_until"] == until and out["report_non_compliance_by"] == report_by


def cli(payload: str) -> tuple[int, dict[str, Any]]:
    out = io.StringIO()
    status = rules_command(["outsourcing-eligibility"], stdin=io.StringIO(payload), out=out)
    return status, json.loads(out.getvalue())


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({**BASE, "provider": party(registration_country="XX")}, ["provider.registration_country"]),
        ({**BASE, "provider": party(registration_country="UK")}, ["provider.registration_country"]),
        ({**BASE, "personnel": [{"citizenships": ["LV", "EL"]}]}, ["personnel.0.citizenships.1"]),
        ({**BASE, "personnel": [{"citizenships": []}]}, ["personnel.0.citizenships"]),
        ({**BASE, "provider": {"kind": "legal_person"}}, ["provider.registration_country"]),
        ({**BASE, "provider": {"kind": "natural_person"}}, ["provider.citizenships"]),
        (
            {**BASE, "provider": party(shareholders=[{"kind": "natural_person"}])},
            ["provider.shareholders.0.citizenships"],
        ),
        ({**BASE, "contract_subject": "technical_resource"}, ["manufacturer"]),
        ({**BASE, "subject_tier": "ci_owner"}, ["system_in_ci_set"]),
        ({**BASE, "subject_tier": "essential"}, ["system_class"]),
        ({**BASE, "contract_subject": "lease"}, ["contract_subject"]),
        ({**BASE, "as_of": "2026-02-29"}, ["as_of"]),
        ({**BASE, "sab_opinion": "yes"}, ["sab_opinion"]),
        ({**BASE, "provider": party(registration_contry="LV")}, ["provider.registration_contry"]),
        ({k: v for k, v in BASE.items() if k != "provider"}, ["provider"]),
    ],
)
def test_invalid_input(payload: dict[str, Any], fields: list[str]) -> None:
    status, body = cli(json.dumps(payload))
    assert status == 2
    assert body["error"]["fields"] == fields
