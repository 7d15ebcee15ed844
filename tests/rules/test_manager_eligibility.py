"""manager-eligibility: cybersecurity manager requirements (22-TA-3183 p. 11-22)."""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

import pytest

from kiber.cli import rules_command
from kiber.rules.manager_eligibility import ManagerEligibilityInput, manager_eligibility, term_last_day
from kiber.rules.registry import evaluate

CI_OK: dict[str, Any] = {
    "subject_tier": "ci_owner",
    "citizenships": ["LV"],
    "birth_date": "1990-05-01",
    "term_start": "2025-03-01",
    "under_guardianship": False,
    "intentional_offence_conviction": False,
    "education_in_cybersecurity": True,
    "experience_months": 24,
    "former_security_service_affiliation": False,
    "banned_organisation_member": False,
    "organised_crime_or_illegal_armed_group": False,
    "reliability_doubting_disorder_or_dependence": False,
    "sab_check": "no_risks",
}
ESP_OK: dict[str, Any] = {
    "subject_tier": "essential",
    "citizenships": ["DE"],
    "birth_date": "1990-05-01",
    "term_start": "2025-03-01",
    "under_guardianship": False,
    "intentional_offence_conviction": False,
    "experience_months": 24,
}
ISP_OK: dict[str, Any] = {**ESP_OK, "subject_tier": "important", "intentional_offence_conviction": None}


def run(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return evaluate("manager-eligibility", {**base, **changes})


def codes(out: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(v["code"], v["field"], v["basis"]) for v in out["violations"]]


@pytest.mark.parametrize("base", [CI_OK, ESP_OK, ISP_OK])
def test_baselines_eligible(base: dict[str, Any]) -> None:
    out = run(base)
    assert out["eligible"] is True
    assert out["violations"] == [] and out["pending"] == []
    assert out["basis"]


# (point, base, changes, expected (code, field, basis) violations)
CASES: list[tuple[str, dict[str, Any], dict[str, Any], list[tuple[str, str, str]]]] = [
    (
        "p.12.1 CI: Latvian citizenship",
        CI_OK,
        {"citizenships": ["EE"]},
        [("citizenship_not_latvian", "citizenships", "22-TA-3183 p.12.1")],
    ),
    ("p.12.1 CI: dual citizenship incl. LV ok", CI_OK, {"citizenships": ["US", "lv"]}, []),
    (
        "p.13.1 ESP: NATO/EU/EFTA citizenship",
        ESP_OK,
        {"citizenships": ["UA"]},
        [("citizenship_not_nato_eu_efta", "citizenships", "22-TA-3183 p.13.1")],
    ),
    ("p.13.1 ESP: EFTA (CH) ok", ESP_OK, {"citizenships": ["CH"]}, []),
    ("p.13.1 ESP: NATO non-EU (US) ok", ESP_OK, {"citizenships": ["US"]}, []),
    (
        "p.14.1 ISP: IP4 is not enough",
        ISP_OK,
        {"citizenships": ["JP"]},
        [("citizenship_not_nato_eu_efta", "citizenships", "22-TA-3183 p.14.1")],
    ),
    ("p.12.2 CI: 18th birthday on term_start is adult", CI_OK, {"birth_date": "2007-03-01"}, []),
    (
        "p.12.2 CI: one day short of 18",
        CI_OK,
        {"birth_date": "2007-03-02"},
        [("not_adult", "birth_date", "22-TA-3183 p.12.2")],
    ),
    ("p.12.2 born 29 Feb: adult on 1 March", ESP_OK, {"birth_date": "2008-02-29", "term_start": "2026-03-01"}, []),
    (
        "p.12.2 born 29 Feb: not adult on 28 Feb",
        ESP_OK,
        {"birth_date": "2008-02-29", "term_start": "2026-02-28"},
        [("not_adult", "birth_date", "22-TA-3183 p.13.2")],
    ),
    (
        "p.12.3 guardianship",
        ISP_OK,
        {"under_guardianship": True},
        [("under_guardianship", "under_guardianship", "22-TA-3183 p.14.2")],
    ),
    (
        "p.12.3 declaration missing",
        ESP_OK,
        {"under_guardianship": None},
        [("declaration_missing", "under_guardianship", "22-TA-3183 p.13.2")],
    ),
    (
        "p.12.4 CI: conviction",
        CI_OK,
        {"intentional_offence_conviction": True},
        [("intentional_offence_conviction", "intentional_offence_conviction", "22-TA-3183 p.12.4")],
    ),
    (
        "p.12.4 CI: expunged conviction ok",
        CI_OK,
        {"intentional_offence_conviction": True, "conviction_cleared": True},
        [],
    ),
    (
        "p.13.2 ESP: conviction (via 12.4)",
        ESP_OK,
        {"intentional_offence_conviction": True},
        [("intentional_offence_conviction", "intentional_offence_conviction", "22-TA-3183 p.13.2")],
    ),
    (
        "p.13.2 ESP: conviction declaration missing",
        ESP_OK,
        {"intentional_offence_conviction": None},
        [("declaration_missing", "intentional_offence_conviction", "22-TA-3183 p.13.2")],
    ),
    ("p.14.2 ISP: 12.4 not referenced", ISP_OK, {"intentional_offence_conviction": True}, []),
    (
        "p.12.5 CI: education + 23 months not enough",
        CI_OK,
        {"experience_months": 23},
        [("experience_too_short", "experience_months", "22-TA-3183 p.12.5")],
    ),
    (
        "p.12.5 CI: experience alone not enough",
        CI_OK,
        {"education_in_cybersecurity": False, "experience_months": 120},
        [("qualification_missing", "education_in_cybersecurity", "22-TA-3183 p.12.5")],
    ),
    (
        "p.12.5 CI: valid CISM alone ok",
        CI_OK,
        {
            "education_in_cybersecurity": False,
            "experience_months": 0,
            "certificates": [{"name": "CISM", "valid_until": "2025-03-01"}],
        },
        [],
    ),
    (
        "p.12.5 CI: CISSP expired the day before term_start",
        CI_OK,
        {"education_in_cybersecurity": False, "certificates": [{"name": "CISSP", "valid_until": "2025-02-28"}]},
        [("certificate_expired", "certificates.0.valid_until", "22-TA-3183 p.12.5")],
    ),
    (
        "p.12.5 CI: unknown certificate vouched for",
        CI_OK,
        {"education_in_cybersecurity": False, "certificates": [{"name": "ISO 27001 LI", "recognised": True}]},
        [],
    ),
    (
        "p.12.5 CI: unknown certificate not counted",
        CI_OK,
        {"education_in_cybersecurity": False, "experience_months": 0, "certificates": [{"name": "ECDL"}]},
        [("qualification_missing", "education_in_cybersecurity", "22-TA-3183 p.12.5")],
    ),
    ("p.13.3 ESP: 24 months experience alone ok", ESP_OK, {"experience_months": 24}, []),
    (
        "p.13.3 ESP: 23 months, nothing else",
        ESP_OK,
        {"experience_months": 23},
        [("qualification_missing", "education_in_cybersecurity", "22-TA-3183 p.13.3")],
    ),
    ("p.13.3 ESP: education alone ok", ESP_OK, {"experience_months": 0, "education_in_cybersecurity": True}, []),
    (
        "p.13.3 ESP: expired certificate still 'received'",
        ESP_OK,
        {"experience_months": 0, "certificates": [{"name": "c-i-s-m", "valid_until": "2020-01-01"}]},
        [],
    ),
    (
        "p.14.3 ISP: nothing",
        ISP_OK,
        {"experience_months": 0},
        [("qualification_missing", "education_in_cybersecurity", "22-TA-3183 p.14.3")],
    ),
    (
        "p.12.6 CI: declaration true",
        CI_OK,
        {"former_security_service_affiliation": True},
        [("former_security_service_affiliation", "former_security_service_affiliation", "22-TA-3183 p.12.6")],
    ),
    (
        "p.12.7 CI: declaration missing",
        CI_OK,
        {"banned_organisation_member": None},
        [("declaration_missing", "banned_organisation_member", "22-TA-3183 p.12.7")],
    ),
    (
        "p.12.8 CI",
        CI_OK,
        {"organised_crime_or_illegal_armed_group": True},
        [("organised_crime_or_illegal_armed_group", "organised_crime_or_illegal_armed_group", "22-TA-3183 p.12.8")],
    ),
    (
        "p.12.9 CI",
        CI_OK,
        {"reliability_doubting_disorder_or_dependence": True},
        [
            (
                "reliability_doubting_disorder_or_dependence",
                "reliability_doubting_disorder_or_dependence",
                "22-TA-3183 p.12.9",
            )
        ],
    ),
    ("p.12.6-12.9 not asked of ESP", ESP_OK, {"former_security_service_affiliation": None}, []),
    (
        "p.12.10 SAB found risks",
        CI_OK,
        {"sab_check": "risks_identified"},
        [("sab_security_risks", "sab_check", "22-TA-3183 p.12.10")],
    ),
    ("p.16 term exactly three years", CI_OK, {"term_end": "2028-02-29"}, []),
    (
        "p.16 term three years and one day",
        CI_OK,
        {"term_end": "2028-03-01"},
        [("term_too_long", "term_end", "22-TA-3183 p.16")],
    ),
    (
        "p.19 CI manager elsewhere (ESP)",
        CI_OK,
        {"other_essential_appointments": 1},
        [("ci_manager_not_exclusive", "other_essential_appointments", "22-TA-3183 p.19")],
    ),
    (
        "p.19 CI manager elsewhere (two kinds)",
        CI_OK,
        {"other_ci_owner_appointments": 1, "other_important_appointments": 2},
        [
            ("ci_manager_not_exclusive", "other_ci_owner_appointments", "22-TA-3183 p.19"),
            ("ci_manager_not_exclusive", "other_important_appointments", "22-TA-3183 p.19"),
        ],
    ),
    (
        "p.19 ISP candidate already CI manager",
        ISP_OK,
        {"other_ci_owner_appointments": 1},
        [("already_ci_manager", "other_ci_owner_appointments", "22-TA-3183 p.19")],
    ),
    ("p.20 ESP: 4 others + this = 5 ok", ESP_OK, {"other_essential_appointments": 4}, []),
    (
        "p.20 ESP: 5 others + this = 6",
        ESP_OK,
        {"other_essential_appointments": 5},
        [("essential_limit_exceeded", "other_essential_appointments", "22-TA-3183 p.20")],
    ),
    (
        "p.21 ESP: 7 others, 2 in managed group -> 6",
        ESP_OK,
        {"other_essential_appointments": 7, "other_essential_appointments_in_managed_group": 2},
        [("essential_limit_exceeded", "other_essential_appointments", "22-TA-3183 p.20")],
    ),
    (
        "p.21 ESP: 7 others, 3 in managed group -> 5",
        ESP_OK,
        {"other_essential_appointments": 7, "other_essential_appointments_in_managed_group": 3},
        [],
    ),
    (
        "p.21 ESP: this subject in managed group, 5 others -> 5",
        ESP_OK,
        {"other_essential_appointments": 5, "subject_in_managed_group": True},
        [],
    ),
    ("p.20 ISP: limit not checked for important subject", ISP_OK, {"other_essential_appointments": 9}, []),
    (
        "p.22 plan",
        CI_OK,
        {"responsible_for_plan": True},
        [("segregation_of_duties", "responsible_for_plan", "22-TA-3183 p.22")],
    ),
    (
        "p.22 logs and backups",
        CI_OK,
        {"responsible_for_logs": True, "responsible_for_backups": True},
        [
            ("segregation_of_duties", "responsible_for_logs", "22-TA-3183 p.22"),
            ("segregation_of_duties", "responsible_for_backups", "22-TA-3183 p.22"),
        ],
    ),
    ("p.22 not for ESP", ESP_OK, {"responsible_for_logs": True}, []),
]


@pytest.mark.parametrize(("point", "base", "changes", "expected"), CASES, ids=[c[0] for c in CASES])
def test_cases(point: str, base: dict[str, Any], changes: dict[str, Any], expected: list[Any]) -> None:
    out = run(base, **changes)
    assert codes(out) == expected
    assert out["eligible"] is (not expected)
    for v in out["violations"]:
        assert v["message"] and v["message_lv"] and v["basis"] in out["basis"]


def test_p15_sab_check_pending_and_clearance() -> None:
    out = run(CI_OK, sab_check="not_done")
    assert out["eligible"] is False and out["violations"] == []
    assert [(p["code"], p["field"]) for p in out["pending"]] == [("sab_check_pending", "sab_check")]
    out = run(CI_OK, sab_check="not_done", state_secret_clearance=True)
    assert out["eligible"] is True and out["pending"] == []


@pytest.mark.parametrize(
    ("start", "last"),
    [
        ("2025-03-01", "2028-02-29"),
        ("2025-01-01", "2027-12-31"),
        ("2024-02-29", "2027-02-28"),
        ("2025-06-15", "2028-06-14"),
    ],
)
def test_p16_term_last_day(start: str, last: str) -> None:
    assert term_last_day(date.fromisoformat(start), 3) == date.fromisoformat(last)


def test_p16_p18_term_and_successor_notice() -> None:
    out = run(CI_OK, term_end="2027-05-31")
    assert out["term_end"] == "2027-05-31" and out["max_term_end"] == "2028-02-29"
    assert out["successor_notice_due"] == "2027-02-28"  # 31 May - 3 months, clamped (p.18)
    assert run(ESP_OK)["successor_notice_due"] is None


def test_p20_counted_output() -> None:
    assert run(ESP_OK, other_essential_appointments=2)["essential_appointments_counted"] == 3
    assert run(CI_OK)["essential_appointments_counted"] is None


def test_python_api() -> None:
    inp = ManagerEligibilityInput.model_validate({**ESP_OK, "citizenships": ["ru"]})
    out = manager_eligibility(inp)
    assert not out.eligible and out.violations[0].field == "citizenships"


def cli(payload: str) -> tuple[int, dict[str, Any]]:
    out = io.StringIO()
    status = rules_command(["manager-eligibility"], stdin=io.StringIO(payload), out=out)
    return status, json.loads(out.getvalue())


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({**ESP_OK, "citizenships": ["UK"]}, ["citizenships.0"]),
        ({**ESP_OK, "citizenships": []}, ["citizenships"]),
        ({**ESP_OK, "subject_tier": "ci"}, ["subject_tier"]),
        ({**ESP_OK, "experience_months": -1}, ["experience_months"]),
        ({**ESP_OK, "birth_date": "1990-02-30"}, ["birth_date"]),
        ({**ESP_OK, "under_guardianship": "no"}, ["under_guardianship"]),
        ({**ESP_OK, "experiance_months": 30}, ["experiance_months"]),
        ({**ESP_OK, "certificates": [{"name": ""}]}, ["certificates.0.name"]),
        ({k: v for k, v in ESP_OK.items() if k != "term_start"}, ["term_start"]),
        ({**ESP_OK, "term_end": "2025-02-28"}, ["term_end"]),
        ({**ESP_OK, "birth_date": "2026-01-01"}, ["birth_date"]),
        (
            {**ESP_OK, "other_essential_appointments": 1, "other_essential_appointments_in_managed_group": 2},
            ["other_essential_appointments_in_managed_group"],
        ),
    ],
)
def test_invalid_input(payload: dict[str, Any], fields: list[str]) -> None:
    status, body = cli(json.dumps(payload))
    assert status == 2
    assert body["error"]["fields"] == fields
    assert body["error"]["message"]


def test_malformed_json() -> None:
    status, body = cli("{not json")
    assert status == 2 and "error" in body


def test_cli_success() -> None:
    status, body = cli(json.dumps(ESP_OK))
    assert status == 0 and body["eligible"] is True
