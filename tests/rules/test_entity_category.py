"""entity-category (NIS2 Art. 2-3, Recommendation 2003/361/EC) and the sectors listing."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiber.rules.base import RuleInputError
from kiber.rules.entity_category import entity_size
from kiber.rules.registry import evaluate
from kiber.rules.sectors import SECTORS

BASE: dict[str, Any] = {
    "sector": "energy",
    "subsector": "electricity",
    "entity_kind": "other",
    "employees": 10,
    "annual_turnover_eur": 1_000_000,
    "balance_sheet_eur": 1_000_000,
}
M = 1_000_000


def run(**overrides: Any) -> dict[str, Any]:
    return evaluate("entity-category", {**BASE, **overrides})


def error_fields(payload: Any) -> list[str]:
    with pytest.raises(RuleInputError) as info:
        evaluate("entity-category", payload)
    return info.value.fields


# (cite, employees, turnover, balance, expected size)
SIZE_CASES = [
    ("2003/361 Art.2(1): 249 staff is below the large headcount", 249, 0, 0, "medium"),
    ("2003/361 Art.2(1): 250 staff is large", 250, 0, 0, "large"),
    ("2003/361 Art.2(2): 49 staff is small", 49, 0, 0, "small"),
    ("2003/361 Art.2(2): 50 staff is medium", 50, 0, 0, "medium"),
    ("Art.2(1): turnover exactly 50 m is not above it", 10, 50 * M, 100 * M, "medium"),
    ("Art.2(1): balance exactly 43 m is not above it", 10, 100 * M, 43 * M, "medium"),
    ("Art.2(1): both above 50 m and 43 m -> large", 10, 50 * M + 1, 43 * M + 1, "large"),
    ("Art.2(1): turnover above 50 m alone is not large (and/or)", 10, 60 * M, 5 * M, "small"),
    ("Art.2(1): balance above 43 m alone is not large", 10, 5 * M, 60 * M, "small"),
    ("Art.2(2): turnover and balance exactly 10 m -> small", 10, 10 * M, 10 * M, "small"),
    ("Art.2(2): both above 10 m -> medium", 10, 10 * M + 1, 10 * M + 0.01, "medium"),
    ("Art.2(2): turnover above 10 m alone -> small", 49, 11 * M, 10 * M, "small"),
    ("Art.2(1)+(2): 60 m turnover, 43 m balance -> medium, not large", 10, 60 * M, 43 * M, "medium"),
    ("zero everything -> small", 0, 0, 0, "small"),
]


@pytest.mark.parametrize(("cite", "employees", "turnover", "balance", "size"), SIZE_CASES)
def test_size(cite: str, employees: int, turnover: float, balance: float, size: str) -> None:
    out = run(employees=employees, annual_turnover_eur=turnover, balance_sheet_eur=balance)
    assert out["size"] == size, cite
    assert "Recommendation 2003/361/EC Annex Art.2" in out["basis"]


SMALL = {"employees": 10, "annual_turnover_eur": M, "balance_sheet_eur": M}
MEDIUM = {"employees": 50, "annual_turnover_eur": M, "balance_sheet_eur": M}
LARGE = {"employees": 250, "annual_turnover_eur": M, "balance_sheet_eur": M}
ANNEX_II = {"sector": "food", "subsector": None}
MANUFACTURING = {"sector": "manufacturing", "subsector": "machinery"}
DIGITAL = {"sector": "digital_infrastructure", "subsector": None}
PUBLIC = {"sector": "public_administration", "subsector": None}

# (cite, overrides, category, basis that must be present)
CATEGORY_CASES: list[tuple[str, dict[str, Any], str, str]] = [
    ("NIS2 Art.3(1)(a): large Annex I entity", LARGE, "essential", "NIS2 Art.3(1)(a)"),
    ("NIS2 Art.3(2): medium Annex I entity", MEDIUM, "important", "NIS2 Art.3(2)"),
    ("NIS2 Art.2(1): small Annex I entity is out of scope", SMALL, "out_of_scope", "NIS2 Art.2(1)"),
    (
        "NIS2 Art.3(2): large Annex II entity is important",
        {**LARGE, **ANNEX_II},
        "important",
        "NIS2 Art.3(2)",
    ),
    (
        "NIS2 Art.3(2): medium Annex II (manufacturing)",
        {**MEDIUM, **MANUFACTURING},
        "important",
        "NIS2 Art.3(2)",
    ),
    ("NIS2 Art.2(1): small Annex II is out of scope", {**SMALL, **ANNEX_II}, "out_of_scope", "NIS2 Art.2(1)"),
    (
        "NIS2 Art.3(1)(b): small qualified TSP is essential",
        {**SMALL, **DIGITAL, "entity_kind": "qualified_trust_service_provider"},
        "essential",
        "NIS2 Art.3(1)(b)",
    ),
    (
        "NIS2 Art.3(1)(b): small TLD registry is essential",
        {**SMALL, **DIGITAL, "entity_kind": "tld_registry"},
        "essential",
        "NIS2 Art.3(1)(b)",
    ),
    (
        "NIS2 Art.3(1)(b): small DNS service provider is essential",
        {**SMALL, **DIGITAL, "entity_kind": "dns_service_provider"},
        "essential",
        "NIS2 Art.3(1)(b)",
    ),
    (
        "NIS2 Art.3(1)(c): medium public ECN provider is essential",
        {**MEDIUM, **DIGITAL, "entity_kind": "public_ecn_provider"},
        "essential",
        "NIS2 Art.3(1)(c)",
    ),
    (
        "NIS2 Art.3(2)+2(2)(a): small public ECN provider is important",
        {**SMALL, **DIGITAL, "entity_kind": "public_ecn_provider"},
        "important",
        "NIS2 Art.2(2)(a)",
    ),
    (
        "NIS2 Art.3(2)+2(2)(a): small non-qualified TSP is important",
        {**SMALL, **DIGITAL, "entity_kind": "non_qualified_trust_service_provider"},
        "important",
        "NIS2 Art.2(2)(a)",
    ),
    (
        "NIS2 Art.3(2): medium non-qualified TSP is important, not essential",
        {**MEDIUM, **DIGITAL, "entity_kind": "non_qualified_trust_service_provider"},
        "important",
        "NIS2 Art.3(2)",
    ),
    (
        "NIS2 Art.3(1)(a): large non-qualified TSP is a large Annex I entity",
        {**LARGE, **DIGITAL, "entity_kind": "non_qualified_trust_service_provider"},
        "essential",
        "NIS2 Art.3(1)(a)",
    ),
    (
        "NIS2 Art.3(1)(d): small central public administration is essential",
        {**SMALL, **PUBLIC, "entity_kind": "central_public_administration"},
        "essential",
        "NIS2 Art.3(1)(d)",
    ),
    (
        "NIS2 Art.3(2)+2(2)(f)(ii): small regional public administration is important",
        {**SMALL, **PUBLIC, "entity_kind": "regional_public_administration"},
        "important",
        "NIS2 Art.2(2)(f)(ii)",
    ),
    (
        "NIS2 Art.3(2): a large regional public administration is still important (not sized as an enterprise)",
        {**LARGE, **PUBLIC, "entity_kind": "regional_public_administration"},
        "important",
        "NIS2 Art.2(2)(f)(ii)",
    ),
    (
        "NIS2 Art.3(1)(d): a large central public administration, by its kind",
        {**LARGE, **PUBLIC, "entity_kind": "central_public_administration"},
        "essential",
        "NIS2 Art.3(1)(d)",
    ),
    (
        "NIS2 Art.3(1)(b): a large DNS provider is essential by its kind",
        {**LARGE, **DIGITAL, "entity_kind": "dns_service_provider"},
        "essential",
        "NIS2 Art.3(1)(b)",
    ),
    (
        "NIS2 Art.3(1)(c): a large public ECN provider",
        {**LARGE, **DIGITAL, "entity_kind": "public_ecn_provider"},
        "essential",
        "NIS2 Art.3(1)(c)",
    ),
    (
        "NIS2 Art.3(2): a large Annex II entity of kind other stays important",
        {**LARGE, "sector": "research", "subsector": None},
        "important",
        "NIS2 Art.3(2)",
    ),
    (
        "NIS2 Art.3(3), 22-TA-3183 p.5: small domain registrar",
        {**SMALL, **DIGITAL, "entity_kind": "domain_registrar"},
        "domain_registrar",
        "22-TA-3183 p.10",
    ),
    (
        "22-TA-3183 p.5: a large domain registrar still only has registration duties",
        {**LARGE, **DIGITAL, "entity_kind": "domain_registrar"},
        "domain_registrar",
        "NIS2 Art.3(3)",
    ),
]


@pytest.mark.parametrize(("cite", "overrides", "category", "basis"), CATEGORY_CASES)
def test_category(cite: str, overrides: dict[str, Any], category: str, basis: str) -> None:
    out = run(**overrides)
    assert out["category"] == category, cite
    assert basis in out["basis"], cite
    assert out["reasons"] and all(isinstance(r, str) for r in out["reasons"])


def test_entity_kind_defaults_to_other() -> None:
    payload = {k: v for k, v in BASE.items() if k != "entity_kind"}
    out = evaluate("entity-category", {**payload, **MEDIUM})
    assert out["category"] == "important"


def test_contract_example() -> None:
    """Contract example: 120 employees, EUR 30 m / 20 m, electricity -> medium, important."""
    out = evaluate(
        "entity-category",
        {
            "sector": "energy",
            "subsector": "electricity",
            "entity_kind": "other",
            "employees": 120,
            "annual_turnover_eur": 30000000,
            "balance_sheet_eur": 20000000,
        },
    )
    assert (out["category"], out["size"]) == ("important", "medium")


# --- subsector rules (contract: required where the sector has subsectors, must belong to it) ---


@pytest.mark.parametrize(
    ("cite", "overrides"),
    [
        ("subsector required for energy", {"subsector": None}),
        ("subsector must belong to energy", {"subsector": "rail"}),
        ("unknown subsector slug", {"subsector": "nuclear"}),
        ("transport needs a subsector", {"sector": "transport", "subsector": None}),
        ("manufacturing needs a subsector", {"sector": "manufacturing", "subsector": None}),
        ("banking has no subsectors", {"sector": "banking", "subsector": "electricity"}),
    ],
)
def test_subsector_errors(cite: str, overrides: dict[str, Any]) -> None:
    assert error_fields({**BASE, **overrides}) == ["subsector"], cite


def test_subsector_may_be_omitted_where_the_sector_has_none() -> None:
    payload = {k: v for k, v in BASE.items() if k != "subsector"}
    assert evaluate("entity-category", {**payload, "sector": "health"})["category"] == "out_of_scope"


@pytest.mark.parametrize(
    ("cite", "overrides", "field"),
    [
        ("negative count", {"employees": -1}, "employees"),
        ("negative money", {"annual_turnover_eur": -0.01}, "annual_turnover_eur"),
        ("negative balance", {"balance_sheet_eur": -5}, "balance_sheet_eur"),
        ("wrong type", {"employees": "many"}, "employees"),
        ("string number is a wrong type", {"annual_turnover_eur": "1000"}, "annual_turnover_eur"),
        ("fractional headcount", {"employees": 1.5}, "employees"),
        ("unknown enum", {"entity_kind": "bank"}, "entity_kind"),
        ("unknown sector", {"sector": "nuclear"}, "sector"),
        ("unknown field", {"employes": 3}, "employes"),
        ("null sector", {"sector": None}, "sector"),
    ],
)
def test_invalid_input(cite: str, overrides: dict[str, Any], field: str) -> None:
    assert field in error_fields({**BASE, **overrides}), cite


@pytest.mark.parametrize("missing", ["sector", "employees", "annual_turnover_eur", "balance_sheet_eur"])
def test_required_fields(missing: str) -> None:
    payload = {k: v for k, v in BASE.items() if k != missing}
    assert missing in error_fields(payload)


# --- sectors listing ---

CONTRACT_SECTORS = {
    "energy": {"electricity", "district_heating_cooling", "oil", "gas", "hydrogen"},
    "transport": {"air", "rail", "water", "road"},
    "banking": set(),
    "financial_market_infrastructure": set(),
    "health": set(),
    "drinking_water": set(),
    "waste_water": set(),
    "digital_infrastructure": set(),
    "ict_service_management": set(),
    "public_administration": set(),
    "space": set(),
    "postal_courier": set(),
    "waste_management": set(),
    "chemicals": set(),
    "food": set(),
    "manufacturing": {
        "medical_devices",
        "computers_electronics",
        "electrical_equipment",
        "machinery",
        "motor_vehicles",
        "other_transport_equipment",
    },
    "digital_providers": set(),
    "research": set(),
}
ANNEX_II_SLUGS = {"postal_courier", "waste_management", "chemicals", "food", "manufacturing"} | {
    "digital_providers",
    "research",
}


def test_sectors_listing_matches_contract() -> None:
    out = evaluate("sectors", None)
    listed = {s["slug"]: {sub["slug"] for sub in s["subsectors"]} for s in out["sectors"]}
    assert listed == CONTRACT_SECTORS
    for sector in out["sectors"]:
        assert sector["annex"] == ("II" if sector["slug"] in ANNEX_II_SLUGS else "I")
        for named in [sector, *sector["subsectors"]]:
            assert named["name_lv"].strip() and named["name_en"].strip()
    assert out["basis"] == ["NIS2 Annex I", "NIS2 Annex II"]


def test_sectors_latvian_names() -> None:
    names = {s["slug"]: s["name_lv"] for s in evaluate("sectors", None)["sectors"]}
    assert names["energy"] == "Enerģētika"
    assert names["drinking_water"] == "Dzeramais ūdens"
    assert names["research"] == "Pētniecība"


@pytest.mark.parametrize("sector", SECTORS, ids=lambda s: s.slug)
def test_every_sector_and_subsector_is_accepted(sector: Any) -> None:
    subs = [sub.slug for sub in sector.subsectors] or [None]
    for sub in subs:
        out = run(sector=sector.slug, subsector=sub, **LARGE)
        assert out["category"] == ("essential" if sector.annex == "I" else "important")


# --- properties ---

money = st.floats(min_value=0, max_value=1e9, allow_nan=False)
kinds = st.sampled_from(
    [
        "other",
        "qualified_trust_service_provider",
        "non_qualified_trust_service_provider",
        "tld_registry",
        "dns_service_provider",
        "public_ecn_provider",
        "central_public_administration",
        "regional_public_administration",
        "domain_registrar",
    ]
)
ORDER = {"small": 0, "medium": 1, "large": 2}


@given(st.integers(0, 10_000), st.integers(0, 10_000), money, money)
def test_size_monotone_in_headcount(a: int, b: int, turnover: float, balance: float) -> None:
    lo, hi = sorted((a, b))
    assert ORDER[entity_size(lo, turnover, balance)] <= ORDER[entity_size(hi, turnover, balance)]


@given(st.integers(0, 10_000), money, money, money)
def test_size_monotone_in_turnover(employees: int, t1: float, t2: float, balance: float) -> None:
    lo, hi = sorted((t1, t2))
    assert ORDER[entity_size(employees, lo, balance)] <= ORDER[entity_size(employees, hi, balance)]


@given(kinds, st.integers(0, 1000), money, money, st.sampled_from([s.slug for s in SECTORS]))
def test_always_answers(kind: str, employees: int, turnover: float, balance: float, slug: str) -> None:
    sector = next(s for s in SECTORS if s.slug == slug)
    out = run(
        sector=slug,
        subsector=sector.subsectors[0].slug if sector.subsectors else None,
        entity_kind=kind,
        employees=employees,
        annual_turnover_eur=turnover,
        balance_sheet_eur=balance,
    )
    assert out["category"] in {"essential", "important", "domain_registrar", "out_of_scope"}
    if kind == "domain_registrar":
        assert out["category"] == "domain_registrar"
    elif kind in {"qualified_trust_service_provider", "tld_registry", "dns_service_provider"}:
        assert out["category"] == "essential"
    elif kind == "regional_public_administration":
        assert out["category"] == "important"
    if (
        out["size"] == "large"
        and sector.annex == "I"
        and kind not in ("domain_registrar", "regional_public_administration")
    ):
        assert out["category"] == "essential"
    if out["size"] == "small" and kind == "other":
        assert out["category"] == "out_of_scope"
