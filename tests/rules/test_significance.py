"""significance: 22-TA-3183 p.121 -> CIR 2024/2690 Art. 3, 4 and 5-14 (legal pack §2)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiber.rules.base import RIGA, RuleInputError
from kiber.rules.registry import evaluate
from kiber.rules.significance import THRESHOLDS, months_before

CIR = "CIR 2024/2690"


def run(entity_type: str = "other", **fields: Any) -> dict[str, Any]:
    return evaluate("significance", {"entity_type": entity_type, **fields})


def criteria(entity_type: str = "other", **fields: Any) -> list[str]:
    out = run(entity_type, **fields)
    assert out["significant"] == bool(out["criteria"])
    return list(out["criteria"])


def art(ref: str) -> str:
    return f"{CIR} Art.{ref}"


# --- Art. 3(1)(a): direct financial loss above min(EUR 500 000, 5 % of turnover) ---

LOSS_CASES = [
    ("Art.3(1)(a): EUR 500 000 exactly without turnover is not above", None, 500_000, False),
    ("Art.3(1)(a): a cent above EUR 500 000 without turnover", None, 500_000.01, True),
    ("Art.3(1)(a): turnover 0 counts as without turnover", 0, 500_000, False),
    ("Art.3(1)(a): turnover 0 counts as without turnover (above)", 0, 500_001, True),
    ("Art.3(1)(a): 5 % of 8 m = 400 000 exactly is not above", 8_000_000, 400_000, False),
    ("Art.3(1)(a): above 5 % of 8 m", 8_000_000, 400_000.01, True),
    ("Art.3(1)(a): 5 % of 10 m = 500 000 = both limits, exactly", 10_000_000, 500_000, False),
    ("Art.3(1)(a): 5 % of 10 m, above", 10_000_000, 500_001, True),
    ("Art.3(1)(a): 5 % of 20 m is 1 m, so 500 000 is lower and decides", 20_000_000, 500_000.01, True),
    ("Art.3(1)(a): 5 % of 20 m; 600 000 > 500 000", 20_000_000, 600_000, True),
    ("Art.3(1)(a): 5 % of 100 000 = 5 000 exactly", 100_000, 5_000, False),
    ("Art.3(1)(a): 5 % of 100 000 exceeded by 1 cent", 100_000, 5_000.01, True),
    ("Art.3(1)(a): 5 % of 0.1 m written as a decimal", 123_456.7, 6_172.835, False),
    ("Art.3(1)(a): no loss", 8_000_000, 0, False),
]


@pytest.mark.parametrize(("cite", "turnover", "loss", "met"), LOSS_CASES)
def test_financial_loss(cite: str, turnover: float | None, loss: float, met: bool) -> None:
    fields: dict[str, Any] = {"direct_financial_loss_eur": loss}
    if turnover is not None:
        fields["annual_turnover_eur"] = turnover
    assert criteria("other", **fields) == ([art("3(1)(a)")] if met else []), cite


def test_financial_threshold_is_reported() -> None:
    assert run(annual_turnover_eur=8_000_000)["financial_loss_threshold_eur"] == 400_000
    assert run()["financial_loss_threshold_eur"] == 500_000
    assert run(annual_turnover_eur=None)["financial_loss_threshold_eur"] == 500_000


# --- Art. 3(1)(b)-(e) ---

GENERAL_CASES = [
    ("Art.3(1)(b): trade secret exfiltration", {"trade_secret_exfiltration": True}, ["3(1)(b)"]),
    ("Art.3(1)(c): a death", {"deaths": 1}, ["3(1)(c)"]),
    ("Art.3(1)(c): no death", {"deaths": 0}, []),
    ("Art.3(1)(d): considerable health damage", {"considerable_health_damage": True}, ["3(1)(d)"]),
    (
        "Art.3(1)(e): successful malicious unauthorised access",
        {"malicious_unauthorised_access_severe": True},
        ["3(1)(e)"],
    ),
    (
        "Art.3(1): every general criterion, in order",
        {
            "direct_financial_loss_eur": 1e6,
            "trade_secret_exfiltration": True,
            "deaths": 2,
            "considerable_health_damage": True,
            "malicious_unauthorised_access_severe": True,
        },
        ["3(1)(a)", "3(1)(b)", "3(1)(c)", "3(1)(d)", "3(1)(e)"],
    ),
    ("nothing at all", {}, []),
]


@pytest.mark.parametrize(("cite", "fields", "expected"), GENERAL_CASES)
@pytest.mark.parametrize("entity_type", ["other", "cloud", "trust_service"])
def test_general_criteria(cite: str, fields: dict[str, Any], expected: list[str], entity_type: str) -> None:
    assert criteria(entity_type, **fields) == [art(x) for x in expected], cite


# --- Art. 5-14, each criterion at and just past its threshold ---

BIG = 100_000_000  # users_total_eu large enough that the absolute user number is the smaller limit

SPECIFIC_CASES: list[tuple[str, str, dict[str, Any], list[str]]] = [
    # Art. 5 DNS
    (
        "Art.5(a): 30 min complete unavailability is not more than 30",
        "dns",
        {"complete_unavailability_minutes": 30},
        [],
    ),
    ("Art.5(a): 31 min", "dns", {"complete_unavailability_minutes": 31}, ["5(a)"]),
    ("Art.5(a): 30.5 min", "dns", {"complete_unavailability_minutes": 30.5}, ["5(a)"]),
    (
        "Art.5(b): avg 10 s is not more than 10 s",
        "dns",
        {"avg_response_time_seconds": 10, "slow_response_minutes": 120},
        [],
    ),
    (
        "Art.5(b): 60 min is not more than one hour",
        "dns",
        {"avg_response_time_seconds": 11, "slow_response_minutes": 60},
        [],
    ),
    (
        "Art.5(b): > 10 s for > 1 h",
        "dns",
        {"avg_response_time_seconds": 10.5, "slow_response_minutes": 61},
        ["5(b)"],
    ),
    ("Art.5(c): authoritative data compromised", "dns", {"data_compromised": True}, ["5(c)"]),
    (
        "Art.5(c) exception: 999 of 100 000 domains (<1 %) misconfigured",
        "dns",
        {"data_compromised": True, "misconfiguration": True, "domains_incorrect": 999, "domains_managed": 100_000},
        [],
    ),
    (
        "Art.5(c) exception: exactly 1 % (10 of 1 000) is 'no more than 1 %'",
        "dns",
        {"data_compromised": True, "misconfiguration": True, "domains_incorrect": 10, "domains_managed": 1_000},
        [],
    ),
    (
        "Art.5(c): 11 of 1 000 is more than 1 %",
        "dns",
        {"data_compromised": True, "misconfiguration": True, "domains_incorrect": 11, "domains_managed": 1_000},
        ["5(c)"],
    ),
    (
        "Art.5(c): 1 000 domains is not fewer than 1 000 (even at 0.1 %)",
        "dns",
        {"data_compromised": True, "misconfiguration": True, "domains_incorrect": 1_000, "domains_managed": 1_000_000},
        ["5(c)"],
    ),
    (
        "Art.5(c): the exception needs a misconfiguration",
        "dns",
        {"data_compromised": True, "domains_incorrect": 5, "domains_managed": 100_000},
        ["5(c)"],
    ),
    ("Art.5: no user-count criterion for DNS", "dns", {"users_affected_eu": BIG, "users_total_eu": BIG}, []),
    # Art. 6 TLD
    ("Art.6(a): any complete unavailability", "tld", {"complete_unavailability_minutes": 0.5}, ["6(a)"]),
    ("Art.6(a): none", "tld", {"complete_unavailability_minutes": 0}, []),
    (
        "Art.6(b): > 10 s for > 1 h",
        "tld",
        {"avg_response_time_seconds": 11, "slow_response_minutes": 61},
        ["6(b)"],
    ),
    ("Art.6(b): exactly 1 h", "tld", {"avg_response_time_seconds": 11, "slow_response_minutes": 60}, []),
    ("Art.6(c): TLD operation data compromised", "tld", {"data_compromised": True}, ["6(c)"]),
    (
        "Art.6(c): no misconfiguration exception for TLDs",
        "tld",
        {"data_compromised": True, "misconfiguration": True, "domains_incorrect": 1, "domains_managed": 1_000},
        ["6(c)"],
    ),
    # Art. 7 cloud
    ("Art.7(a): 30 min", "cloud", {"complete_unavailability_minutes": 30}, []),
    ("Art.7(a): 45 min", "cloud", {"complete_unavailability_minutes": 45}, ["7(a)"]),
    (
        "Art.7(b): 5 % of 100 000 = 5 000 exactly is not more than 5 %",
        "cloud",
        {"limited_availability_minutes": 61, "users_total_eu": 100_000, "users_affected_eu": 5_000},
        [],
    ),
    (
        "Art.7(b): 5 001 of 100 000 for 61 min",
        "cloud",
        {"limited_availability_minutes": 61, "users_total_eu": 100_000, "users_affected_eu": 5_001},
        ["7(b)"],
    ),
    (
        "Art.7(b): limited for exactly one hour",
        "cloud",
        {"limited_availability_minutes": 60, "users_total_eu": 100_000, "users_affected_eu": 50_000},
        [],
    ),
    (
        "Art.7(b): 1 m users exactly is not more than 1 m (5 % of 100 m = 5 m)",
        "cloud",
        {"limited_availability_minutes": 90, "users_total_eu": BIG, "users_affected_eu": 1_000_000},
        [],
    ),
    (
        "Art.7(b): 1 000 001 users, 1 m is the smaller limit",
        "cloud",
        {"limited_availability_minutes": 90, "users_total_eu": BIG, "users_affected_eu": 1_000_001},
        ["7(b)"],
    ),
    (
        "Art.7(b): unknown user base -> 1 m alone",
        "cloud",
        {"limited_availability_minutes": 90, "users_affected_eu": 999_999},
        [],
    ),
    (
        "Art.7(c): compromised, suspected malicious",
        "cloud",
        {"data_compromised": True, "suspected_malicious": True},
        ["7(c)"],
    ),
    ("Art.7(c): compromised, not malicious", "cloud", {"data_compromised": True}, []),
    (
        "Art.7(d): data of 5 001 of 100 000 users",
        "cloud",
        {"data_compromised": True, "users_total_eu": 100_000, "users_data_compromised_eu": 5_001},
        ["7(d)"],
    ),
    (
        "Art.7(d): data of 5 000 of 100 000 users",
        "cloud",
        {"data_compromised": True, "users_total_eu": 100_000, "users_data_compromised_eu": 5_000},
        [],
    ),
    ("Art.7: physical access is not a cloud criterion", "cloud", {"physical_access_compromised": True}, []),
    # Art. 8 data centre
    ("Art.8(a): any complete unavailability", "data_centre", {"complete_unavailability_minutes": 1}, ["8(a)"]),
    ("Art.8(b): limited for exactly 1 h", "data_centre", {"limited_availability_minutes": 60}, []),
    ("Art.8(b): limited > 1 h, no user threshold", "data_centre", {"limited_availability_minutes": 61}, ["8(b)"]),
    (
        "Art.8(c): malicious compromise",
        "data_centre",
        {"data_compromised": True, "suspected_malicious": True},
        ["8(c)"],
    ),
    ("Art.8(d): physical access compromised", "data_centre", {"physical_access_compromised": True}, ["8(d)"]),
    # Art. 9 CDN
    ("Art.9(a): 31 min", "cdn", {"complete_unavailability_minutes": 31}, ["9(a)"]),
    ("Art.9(a): 30 min", "cdn", {"complete_unavailability_minutes": 30}, []),
    (
        "Art.9(b)",
        "cdn",
        {"limited_availability_minutes": 61, "users_total_eu": 1_000, "users_affected_eu": 51},
        ["9(b)"],
    ),
    ("Art.9(c)", "cdn", {"data_compromised": True, "suspected_malicious": True}, ["9(c)"]),
    ("Art.9(d)", "cdn", {"users_total_eu": 1_000, "users_data_compromised_eu": 51}, ["9(d)"]),
    # Art. 10 managed (security) service providers: one article for both
    ("Art.10(a): MSP 31 min", "managed_service", {"complete_unavailability_minutes": 31}, ["10(a)"]),
    ("Art.10(a): MSSP 31 min", "managed_security_service", {"complete_unavailability_minutes": 31}, ["10(a)"]),
    (
        "Art.10(b): MSSP",
        "managed_security_service",
        {"limited_availability_minutes": 61, "users_total_eu": 1_000, "users_affected_eu": 51},
        ["10(b)"],
    ),
    (
        "Art.10(c): MSSP",
        "managed_security_service",
        {"data_compromised": True, "suspected_malicious": True},
        ["10(c)"],
    ),
    ("Art.10(d): MSP", "managed_service", {"users_total_eu": 1_000, "users_data_compromised_eu": 51}, ["10(d)"]),
    # Art. 11-13 platforms: no duration
    (
        "Art.11(a): completely unavailable for 6 % of users, 1 min",
        "online_marketplace",
        {"complete_unavailability_minutes": 1, "users_total_eu": 1_000, "users_affected_eu": 60},
        ["11(a)"],
    ),
    (
        "Art.11(a): exactly 5 % of users",
        "online_marketplace",
        {"complete_unavailability_minutes": 600, "users_total_eu": 1_000, "users_affected_eu": 50},
        [],
    ),
    (
        "Art.11(b): limited availability for 51 of 1 000",
        "online_marketplace",
        {"limited_availability_minutes": 1, "users_total_eu": 1_000, "users_affected_eu": 51},
        ["11(b)"],
    ),
    (
        "Art.11(b): users affected with no duration given -> limited availability",
        "online_marketplace",
        {"users_total_eu": 1_000, "users_affected_eu": 51},
        ["11(b)"],
    ),
    (
        "Art.11(a)+(b): both kinds of availability impact",
        "online_marketplace",
        {
            "complete_unavailability_minutes": 5,
            "limited_availability_minutes": 5,
            "users_total_eu": 1_000,
            "users_affected_eu": 51,
        },
        ["11(a)", "11(b)"],
    ),
    (
        "Art.11: 1 000 001 of 100 m users",
        "online_marketplace",
        {"limited_availability_minutes": 1, "users_total_eu": BIG, "users_affected_eu": 1_000_001},
        ["11(b)"],
    ),
    (
        "Art.11: no duration threshold, but the users must exceed it",
        "online_marketplace",
        {"complete_unavailability_minutes": 600, "users_total_eu": BIG, "users_affected_eu": 1_000_000},
        [],
    ),
    ("Art.11(c)", "online_marketplace", {"data_compromised": True, "suspected_malicious": True}, ["11(c)"]),
    ("Art.11(d)", "online_marketplace", {"users_total_eu": 1_000, "users_data_compromised_eu": 51}, ["11(d)"]),
    (
        "Art.12(a): search engine",
        "search_engine",
        {"complete_unavailability_minutes": 1, "users_total_eu": 1_000, "users_affected_eu": 51},
        ["12(a)"],
    ),
    ("Art.12(d)", "search_engine", {"users_total_eu": 1_000, "users_data_compromised_eu": 51}, ["12(d)"]),
    (
        "Art.13(b): social network",
        "social_network",
        {"limited_availability_minutes": 3, "users_total_eu": 1_000, "users_affected_eu": 51},
        ["13(b)"],
    ),
    ("Art.13(c)", "social_network", {"data_compromised": True, "suspected_malicious": True}, ["13(c)"]),
    # Art. 14 trust service providers
    ("Art.14(a): 20 min is not more than 20", "trust_service", {"complete_unavailability_minutes": 20}, []),
    ("Art.14(a): 21 min", "trust_service", {"complete_unavailability_minutes": 21}, ["14(a)"]),
    ("Art.14(b): 60 min in the week", "trust_service", {"weekly_unavailability_minutes": 60}, []),
    ("Art.14(b): 61 min in the week", "trust_service", {"weekly_unavailability_minutes": 61}, ["14(b)"]),
    (
        "Art.14(c): 1 % of 10 000 = 100 exactly",
        "trust_service",
        {"limited_availability_minutes": 5, "users_total_eu": 10_000, "users_affected_eu": 100},
        [],
    ),
    (
        "Art.14(c): 101 of 10 000",
        "trust_service",
        {"limited_availability_minutes": 5, "users_total_eu": 10_000, "users_affected_eu": 101},
        ["14(c)"],
    ),
    (
        "Art.14(c): 200 000 exactly of 100 m (1 % = 1 m)",
        "trust_service",
        {"limited_availability_minutes": 5, "users_total_eu": BIG, "users_affected_eu": 200_000},
        [],
    ),
    (
        "Art.14(c): 200 001 of 100 m",
        "trust_service",
        {"limited_availability_minutes": 5, "users_total_eu": BIG, "users_affected_eu": 200_001},
        ["14(c)"],
    ),
    ("Art.14(d): physical access", "trust_service", {"physical_access_compromised": True}, ["14(d)"]),
    (
        "Art.14(e): 0.1 % of 100 000 = 100 exactly",
        "trust_service",
        {"data_compromised": True, "users_total_eu": 100_000, "users_data_compromised_eu": 100},
        [],
    ),
    (
        "Art.14(e): 101 of 100 000",
        "trust_service",
        {"data_compromised": True, "users_total_eu": 100_000, "users_data_compromised_eu": 101},
        ["14(e)"],
    ),
    (
        "Art.14(e): 0.1 % of 50 000 = 50 is smaller than 100",
        "trust_service",
        {"data_compromised": True, "users_total_eu": 50_000, "users_data_compromised_eu": 51},
        ["14(e)"],
    ),
    (
        "Art.14(e): 50 of 50 000 is not more than 0.1 %",
        "trust_service",
        {"data_compromised": True, "users_total_eu": 50_000, "users_data_compromised_eu": 50},
        [],
    ),
    (
        "Art.14: no malicious-compromise criterion",
        "trust_service",
        {"data_compromised": True, "suspected_malicious": True},
        [],
    ),
    # other: only Art. 3(1)
    (
        "other: entity-specific facts are not criteria",
        "other",
        {
            "complete_unavailability_minutes": 10_000,
            "limited_availability_minutes": 10_000,
            "users_total_eu": 10,
            "users_affected_eu": 10,
            "data_compromised": True,
            "suspected_malicious": True,
            "users_data_compromised_eu": 10,
            "physical_access_compromised": True,
            "weekly_unavailability_minutes": 10_000,
        },
        [],
    ),
]


@pytest.mark.parametrize(("cite", "entity_type", "fields", "expected"), SPECIFIC_CASES)
def test_entity_specific(cite: str, entity_type: str, fields: dict[str, Any], expected: list[str]) -> None:
    assert criteria(entity_type, **fields) == [art(x) for x in expected], cite


@pytest.mark.parametrize(
    ("entity_type", "article"),
    [
        ("dns", 5),
        ("tld", 6),
        ("cloud", 7),
        ("data_centre", 8),
        ("cdn", 9),
        ("managed_service", 10),
        ("managed_security_service", 10),
        ("online_marketplace", 11),
        ("search_engine", 12),
        ("social_network", 13),
        ("trust_service", 14),
    ],
)
def test_entity_article(entity_type: str, article: int) -> None:
    """Legal pack §2.3: Art.10 covers MSPs and MSSPs, so marketplaces are Art.11 ... TSPs Art.14."""
    out = run(entity_type)
    assert out["entity_article"] == art(str(article))
    assert out["significant"] is False
    assert art(str(article)) in out["basis"]


def test_not_significant_basis() -> None:
    assert run()["basis"] == ["22-TA-3183 p.121", art("3(1)"), art("4")]


def test_significant_basis_names_the_criteria() -> None:
    out = run("cloud", complete_unavailability_minutes=31)
    assert out["basis"] == ["22-TA-3183 p.121", art("3(1)"), art("7(a)")]


def test_criteria_order_general_then_recurrence_then_specific() -> None:
    out = run(
        "cloud",
        direct_financial_loss_eur=600_000,
        deaths=1,
        complete_unavailability_minutes=31,
        occurred_at="2025-03-01T10:00:00+02:00",
        root_cause="x",
        previous_incidents=[{"occurred_at": "2025-02-01T10:00:00+02:00", "root_cause": "x"}],
    )
    assert out["criteria"] == [art("3(1)(a)"), art("3(1)(c)"), art("4"), art("7(a)")]


# --- Art. 3(2): scheduled maintenance ---


def test_scheduled_maintenance_is_never_significant() -> None:
    out = run(
        "cloud",
        scheduled_maintenance=True,
        complete_unavailability_minutes=600,
        direct_financial_loss_eur=10_000_000,
    )
    assert out["significant"] is False
    assert out["criteria"] == []
    assert out["disregarded_criteria"] == [art("3(1)(a)"), art("7(a)")]
    assert out["basis"] == ["22-TA-3183 p.121", art("3(2)")]


# --- Art. 4: recurrence ---

NOW = "2025-03-01T10:00:00+02:00"


def prev(when: str, cause: str = "expired certificate", loss: float = 300_000) -> dict[str, Any]:
    return {"occurred_at": when, "root_cause": cause, "direct_financial_loss_eur": loss}


RECURRENCE_CASES: list[tuple[str, dict[str, Any], list[dict[str, Any]], bool]] = [
    (
        "Art.4: 300 000 + 300 000 > 500 000",
        {"direct_financial_loss_eur": 300_000},
        [prev("2025-01-10T00:00:00+02:00")],
        True,
    ),
    (
        "Art.4(c): together exactly 500 000 is not above",
        {"direct_financial_loss_eur": 200_000},
        [prev("2025-01-10T00:00:00+02:00")],
        False,
    ),
    (
        "Art.4(c): uses the turnover limit (5 % of 8 m = 400 000); 300 000 + 0 not above",
        {"annual_turnover_eur": 8_000_000},
        [prev("2024-12-01T09:00:00+02:00")],
        False,
    ),
    (
        "Art.4(c): 300 000 + 100 001 above 400 000",
        {"annual_turnover_eur": 8_000_000, "direct_financial_loss_eur": 100_001},
        [prev("2024-12-01T09:00:00+02:00")],
        True,
    ),
    (
        "Art.4(b): root cause compared case-insensitively and trimmed",
        {"direct_financial_loss_eur": 300_000, "root_cause": "  Expired Certificate "},
        [prev("2025-01-10T00:00:00+02:00", "EXPIRED CERTIFICATE")],
        True,
    ),
    (
        "Art.4(b): different root cause",
        {"direct_financial_loss_eur": 300_000},
        [prev("2025-01-10T00:00:00+02:00", "phishing")],
        False,
    ),
    (
        "Art.4(a): exactly 6 months before is within",
        {"direct_financial_loss_eur": 300_000},
        [prev("2024-09-01T10:00:00+03:00")],
        True,
    ),
    (
        "Art.4(a): a minute more than 6 months before is outside",
        {"direct_financial_loss_eur": 300_000},
        [prev("2024-09-01T09:59:00+03:00")],
        False,
    ),
    (
        "Art.4: three incidents, 200 000 each",
        {"direct_financial_loss_eur": 200_000},
        [prev("2025-01-10T00:00:00+02:00", loss=200_000), prev("2025-02-10T00:00:00+02:00", loss=200_000)],
        True,
    ),
    (
        "Art.4: only incidents in the window and with the cause are summed",
        {"direct_financial_loss_eur": 200_000},
        [
            prev("2025-01-10T00:00:00+02:00", loss=200_000),
            prev("2024-01-10T00:00:00+02:00", loss=900_000),
            prev("2025-02-10T00:00:00+02:00", "other", loss=900_000),
        ],
        False,
    ),
    (
        "Art.4: a 'previous' incident after occurred_at is not previous",
        {"direct_financial_loss_eur": 300_000},
        [prev("2025-03-02T00:00:00+02:00")],
        False,
    ),
    (
        "Art.4: at occurred_at itself counts (inclusive)",
        {"direct_financial_loss_eur": 300_000},
        [prev(NOW)],
        True,
    ),
    (
        "Art.4: other offsets are compared as instants",
        {"direct_financial_loss_eur": 300_000},
        [prev("2024-09-01T07:00:00+00:00")],
        True,
    ),
]


@pytest.mark.parametrize(("cite", "fields", "previous", "met"), RECURRENCE_CASES)
def test_recurrence(cite: str, fields: dict[str, Any], previous: list[dict[str, Any]], met: bool) -> None:
    payload = {"occurred_at": NOW, "root_cause": "expired certificate", **fields, "previous_incidents": previous}
    out = run("other", **payload)
    assert (art("4") in out["criteria"]) is met, cite


def test_recurrence_counts() -> None:
    out = run(
        occurred_at=NOW,
        root_cause="x",
        direct_financial_loss_eur=1,
        previous_incidents=[prev("2025-01-10T00:00:00+02:00", "x", 2), prev("2025-01-11T00:00:00+02:00", "y", 4)],
    )
    assert (out["recurring_incidents"], out["recurring_loss_eur"]) == (2, 3)


def test_recurrence_without_occurred_at_or_root_cause_warns() -> None:
    out = run(direct_financial_loss_eur=300_000, root_cause="x", previous_incidents=[prev(NOW, "x")])
    assert out["criteria"] == [] and out["warnings"] == ["recurrence_not_assessed_without_occurred_at"]
    out = run(direct_financial_loss_eur=300_000, occurred_at=NOW, previous_incidents=[prev(NOW, "x")])
    assert out["criteria"] == [] and out["warnings"] == ["recurrence_not_assessed_without_root_cause"]
    out = run(direct_financial_loss_eur=300_000, occurred_at=NOW, root_cause="  ", previous_incidents=[prev(NOW, " ")])
    assert out["criteria"] == []


def test_recurrence_recognised_for_every_entity_type() -> None:
    for entity_type in ["dns", "cloud", "trust_service", "other"]:
        out = run(
            entity_type,
            occurred_at=NOW,
            root_cause="x",
            direct_financial_loss_eur=300_000,
            previous_incidents=[prev("2025-02-01T00:00:00+02:00", "x")],
        )
        assert out["criteria"] == [art("4")]


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2025-03-01T10:00:00+02:00", "2024-09-01T10:00:00+03:00"),
        ("2025-08-31T12:00:00+03:00", "2025-02-28T12:00:00+02:00"),
        ("2024-08-31T12:00:00+03:00", "2024-02-29T12:00:00+02:00"),
        ("2025-05-15T00:30:00+03:00", "2024-11-15T00:30:00+02:00"),
    ],
)
def test_months_before_clamps_in_riga(moment: str, expected: str) -> None:
    got = months_before(datetime.fromisoformat(moment), 6)
    assert got == datetime.fromisoformat(expected)
    assert got.tzinfo is RIGA


def test_thresholds_are_data_with_basis() -> None:
    for key, threshold in THRESHOLDS.items():
        assert threshold.basis.startswith(f"{CIR} Art."), key
        assert threshold.value >= 0


# --- invalid input ---


@pytest.mark.parametrize(
    ("cite", "payload", "field"),
    [
        (
            "wrong type",
            {"entity_type": "cloud", "complete_unavailability_minutes": "x"},
            "complete_unavailability_minutes",
        ),
        ("numeric string is a wrong type", {"entity_type": "cloud", "deaths": "1"}, "deaths"),
        ("flag must be a boolean", {"entity_type": "cloud", "data_compromised": "yes"}, "data_compromised"),
        ("flag must be a boolean, not 1", {"entity_type": "cloud", "data_compromised": 1}, "data_compromised"),
        ("negative count", {"entity_type": "cloud", "users_affected_eu": -1}, "users_affected_eu"),
        ("negative money", {"entity_type": "cloud", "direct_financial_loss_eur": -1}, "direct_financial_loss_eur"),
        (
            "negative minutes",
            {"entity_type": "cloud", "limited_availability_minutes": -0.5},
            "limited_availability_minutes",
        ),
        ("fractional count", {"entity_type": "cloud", "users_total_eu": 10.5}, "users_total_eu"),
        ("unknown field", {"entity_type": "cloud", "complete_unavailable_minutes": 45}, "complete_unavailable_minutes"),
        ("unknown enum", {"entity_type": "isp"}, "entity_type"),
        ("missing entity_type", {"deaths": 1}, "entity_type"),
        ("datetime without offset", {"entity_type": "cloud", "occurred_at": "2025-03-01T10:00:00"}, "occurred_at"),
        ("impossible date", {"entity_type": "cloud", "occurred_at": "2025-02-30T10:00:00+02:00"}, "occurred_at"),
        (
            "previous incident without offset",
            {"entity_type": "cloud", "previous_incidents": [{"occurred_at": "2025-01-01T00:00:00", "root_cause": "x"}]},
            "previous_incidents.0.occurred_at",
        ),
        (
            "previous incident unknown field",
            {"entity_type": "cloud", "previous_incidents": [{"occurred_at": NOW, "root_cause": "x", "loss": 1}]},
            "previous_incidents.0.loss",
        ),
        (
            "previous incident negative loss",
            {
                "entity_type": "cloud",
                "previous_incidents": [{"occurred_at": NOW, "root_cause": "x", "direct_financial_loss_eur": -1}],
            },
            "previous_incidents.0.direct_financial_loss_eur",
        ),
        ("previous incidents must be a list", {"entity_type": "cloud", "previous_incidents": {}}, "previous_incidents"),
    ],
)
def test_invalid_input(cite: str, payload: dict[str, Any], field: str) -> None:
    with pytest.raises(RuleInputError) as info:
        evaluate("significance", payload)
    assert field in info.value.fields, cite


def test_null_turnover_is_without_turnover() -> None:
    assert run(annual_turnover_eur=None, direct_financial_loss_eur=500_001)["criteria"] == [art("3(1)(a)")]


# --- properties ---

ENTITY_TYPES = [
    "dns",
    "tld",
    "cloud",
    "data_centre",
    "cdn",
    "managed_service",
    "managed_security_service",
    "online_marketplace",
    "search_engine",
    "social_network",
    "trust_service",
    "other",
]
amounts = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False)
minutes = st.floats(min_value=0, max_value=10_000, allow_nan=False, allow_infinity=False)
counts = st.integers(min_value=0, max_value=10**9)
moments = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC))


@given(st.sampled_from(ENTITY_TYPES), amounts, st.one_of(st.none(), amounts), moments, st.text(max_size=10))
def test_single_incident_never_recurrent(
    entity_type: str, loss: float, turnover: float | None, when: datetime, cause: str
) -> None:
    """Art. 4(a): at least twice; one incident with no previous ones never triggers Art. 4."""
    out = run(
        entity_type,
        direct_financial_loss_eur=loss,
        annual_turnover_eur=turnover,
        occurred_at=when.isoformat(),
        root_cause=cause,
    )
    assert art("4") not in out["criteria"]


@given(amounts, amounts, st.one_of(st.none(), amounts))
def test_monotone_in_loss(a: float, b: float, turnover: float | None) -> None:
    lo, hi = sorted((a, b))
    if art("3(1)(a)") in criteria("other", direct_financial_loss_eur=lo, annual_turnover_eur=turnover):
        assert art("3(1)(a)") in criteria("other", direct_financial_loss_eur=hi, annual_turnover_eur=turnover)


@given(amounts, amounts, amounts)
def test_more_turnover_never_lowers_the_loss_threshold(loss: float, t1: float, t2: float) -> None:
    lo, hi = sorted((t1, t2))
    if lo == 0:  # 0 means "without turnover" (EUR 500 000)
        return
    if art("3(1)(a)") in criteria("other", direct_financial_loss_eur=loss, annual_turnover_eur=hi):
        assert art("3(1)(a)") in criteria("other", direct_financial_loss_eur=loss, annual_turnover_eur=lo)


@given(
    st.sampled_from(ENTITY_TYPES),
    st.fixed_dictionaries(
        {
            "complete_unavailability_minutes": minutes,
            "limited_availability_minutes": minutes,
            "weekly_unavailability_minutes": minutes,
            "slow_response_minutes": minutes,
            "avg_response_time_seconds": minutes,
            "users_total_eu": counts,
            "users_affected_eu": counts,
            "users_data_compromised_eu": counts,
        }
    ),
    st.sampled_from(
        [
            "complete_unavailability_minutes",
            "weekly_unavailability_minutes",
            "slow_response_minutes",
            "avg_response_time_seconds",
            "users_affected_eu",
            "users_data_compromised_eu",
        ]
    ),
    st.integers(min_value=1, max_value=10**6),
)
def test_monotone_in_impact(entity_type: str, fields: dict[str, Any], key: str, extra: int) -> None:
    """More unavailability, slowness or affected users never removes a criterion.

    (Not ``limited_availability_minutes`` from 0: with no duration at all, affected users are taken
    as impacted by limited availability, decision 4 — so that field is not varied here.)
    """
    before = set(criteria(entity_type, **fields))
    after = set(criteria(entity_type, **{**fields, key: fields[key] + extra}))
    assert before <= after


@given(st.sampled_from(ENTITY_TYPES), amounts, minutes, counts, st.booleans(), st.booleans())
def test_scheduled_maintenance_never_significant(
    entity_type: str, loss: float, mins: float, users: int, flag: bool, death: bool
) -> None:
    out = run(
        entity_type,
        scheduled_maintenance=True,
        direct_financial_loss_eur=loss,
        complete_unavailability_minutes=mins,
        users_affected_eu=users,
        data_compromised=flag,
        suspected_malicious=flag,
        deaths=int(death),
    )
    assert out["significant"] is False and out["criteria"] == []


@given(st.integers(min_value=2, max_value=6), amounts, amounts)
def test_recurrence_needs_both_in_window(months_ago: int, own: float, other: float) -> None:
    """Two incidents with the same cause within 6 months: Art.4 iff the sum exceeds EUR 500 000."""
    now = datetime(2025, 6, 15, 12, 0, tzinfo=RIGA)
    earlier = months_before(now, months_ago) + timedelta(minutes=1)
    out = run(
        occurred_at=now.isoformat(),
        root_cause="Ransomware",
        direct_financial_loss_eur=own,
        previous_incidents=[prev(earlier.isoformat(), "ransomware", other)],
    )
    total = Fraction(repr(own)) + Fraction(repr(other))
    assert (art("4") in out["criteria"]) is (total > 500_000)
