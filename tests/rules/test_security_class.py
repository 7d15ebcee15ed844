"""security-class: 22-TA-3183 p. 33-36 and Annex 4."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiber.rules.base import RuleInputError
from kiber.rules.registry import evaluate

RANK = {"C": 0, "B": 1, "A": 2}


def classify(subject: str = "essential", in_ci_set: bool = False, **resource: Any) -> dict[str, Any]:
    resource.setdefault("tolerated_unplanned_downtime_pct", 5)
    return evaluate("security-class", {"subject_category": subject, "in_ci_set": in_ci_set, "resources": [resource]})


def cia(out: dict[str, Any]) -> tuple[str, str, str, str]:
    return (out["confidentiality"], out["integrity"], out["availability"], out["class"])


# (resource fields, expected (C, I, A, class), the Annex 4 / p. 34 point checked)
CASES: list[tuple[dict[str, Any], tuple[str, str, str, str], str]] = [
    ({}, ("C", "C", "C", "C"), "Annex 4 C row; p.34.3 only C -> class C"),
    ({"personal_data_subjects": 1_000_000}, ("A", "C", "C", "A"), "Annex 4 conf A: at least 1 000 000 subjects"),
    ({"personal_data_subjects": 999_999}, ("C", "C", "C", "C"), "Annex 4: 999 999 subjects is not A"),
    ({"special_category_subjects": 500_000}, ("A", "C", "C", "A"), "Annex 4 conf A: 500 000 special category"),
    ({"special_category_subjects": 499_999}, ("B", "C", "C", "B"), "Annex 4 conf B: any special category data"),
    ({"special_category_subjects": 1}, ("B", "C", "C", "B"), "Annex 4 conf B: one special-category subject"),
    ({"national_security_harm": True}, ("A", "C", "C", "A"), "Annex 4 conf A: national security"),
    ({"restricted_information": True}, ("B", "C", "C", "B"), "Annex 4 conf B: restricted information"),
    ({"reputation_harm_lv": True}, ("B", "C", "C", "B"), "Annex 4 conf B: Latvia's reputation"),
    ({"ownership_registration": True}, ("C", "A", "C", "A"), "Annex 4 integ A: ownership registration"),
    (
        {"integrity_breach_stops_state_functions_or_ci": True},
        ("C", "A", "C", "A"),
        "Annex 4 integ A: state functions or CI",
    ),
    ({"integrity_breach_causes_disaster": True}, ("C", "A", "C", "A"), "Annex 4 integ A: disaster"),
    ({"integrity_breach_stops_own_service": True}, ("C", "B", "C", "B"), "Annex 4 integ B: own service"),
    ({"integrity_breach_stops_other_subjects": True}, ("C", "B", "C", "B"), "Annex 4 integ B: other subjects"),
    ({"tolerated_unplanned_downtime_pct": 0.1}, ("C", "C", "A", "A"), "Annex 4 avail A: exactly 0.1 %"),
    ({"tolerated_unplanned_downtime_pct": 0}, ("C", "C", "A", "A"), "Annex 4 avail A: no downtime"),
    ({"tolerated_unplanned_downtime_pct": 0.11}, ("C", "C", "B", "B"), "Annex 4 avail B: just above 0.1 %"),
    ({"tolerated_unplanned_downtime_pct": 1}, ("C", "C", "B", "B"), "Annex 4 avail B: exactly 1 %"),
    ({"tolerated_unplanned_downtime_pct": 1.01}, ("C", "C", "C", "C"), "Annex 4 avail C: above 1 %"),
    ({"tolerated_unplanned_downtime_pct": 100}, ("C", "C", "C", "C"), "Annex 4 avail C: 100 %"),
    (
        {"unavailability_stops_state_functions_or_ci": True},
        ("C", "C", "A", "A"),
        "Annex 4 avail A: state functions or CI",
    ),
    ({"dependent_systems_availability": ["A"]}, ("C", "C", "A", "A"), "Annex 4 avail A: A system depends"),
    ({"dependent_systems_availability": ["B", "C"]}, ("C", "C", "B", "B"), "Annex 4 avail B: B system depends"),
    ({"dependent_systems_availability": ["C"]}, ("C", "C", "C", "C"), "Annex 4: a C dependant changes nothing"),
    (
        {"restricted_information": True, "integrity_breach_stops_own_service": True},
        ("B", "B", "C", "B"),
        "p.34.2: B and no A -> class B",
    ),
]


@pytest.mark.parametrize(("resource", "expected", "why"), CASES, ids=[c[2] for c in CASES])
def test_annex4_essential(resource: dict[str, Any], expected: tuple[str, str, str, str], why: str) -> None:
    out = classify(**resource)
    assert cia(out) == expected
    assert out["warnings"] == []
    point = {"A": "p.34.1", "B": "p.34.2", "C": "p.34.3"}[expected[3]]
    assert out["basis"] == ["22-TA-3183 Annex 4", f"22-TA-3183 {point}"]


def test_contract_example() -> None:
    out = classify(
        name="citizens register",
        personal_data_subjects=1_200_000,
        integrity_breach_stops_own_service=True,
        tolerated_unplanned_downtime_pct=0.5,
        dependent_systems_availability=["B"],
    )
    assert out == {
        "confidentiality": "A",
        "integrity": "B",
        "availability": "B",
        "class": "A",
        "resources": [{"name": "citizens register", "confidentiality": "A", "integrity": "B", "availability": "B"}],
        "warnings": [],
        "basis": ["22-TA-3183 Annex 4", "22-TA-3183 p.34.1"],
    }


def test_important_subject_a_lowered_to_b_with_warning() -> None:
    # Annex 4 heading: class A "var būt tikai būtisko pakalpojumu sniedzējam"
    out = classify("important", personal_data_subjects=1_000_000, tolerated_unplanned_downtime_pct=0.1)
    assert cia(out) == ("B", "C", "B", "B")
    assert out["resources"][0]["confidentiality"] == "B"
    assert out["warnings"] == ["class_a_not_available_to_important_subject"]
    assert out["basis"] == ["22-TA-3183 Annex 4", "22-TA-3183 p.34.2"]


def test_important_subject_without_a_has_no_warning() -> None:
    out = classify("important", restricted_information=True)
    assert cia(out) == ("B", "C", "C", "B")
    assert out["warnings"] == []


def test_in_ci_set_is_class_a_whatever_resources() -> None:
    # p.35: an IS in the critical infrastructure set is class A, p.33-34 not applied to the class
    out = classify(in_ci_set=True)
    assert cia(out) == ("C", "C", "C", "A")
    assert out["basis"] == ["22-TA-3183 Annex 4", "22-TA-3183 p.35"]


def test_in_ci_set_important_subject() -> None:
    out = classify("important", in_ci_set=True, ownership_registration=True)
    assert cia(out) == ("C", "B", "C", "A")
    assert out["warnings"] == ["class_a_not_available_to_important_subject"]


def test_system_takes_highest_over_resources() -> None:
    # p.33 per resource category, p.34 over the system
    out = evaluate(
        "security-class",
        {
            "subject_category": "essential",
            "resources": [
                {"name": "r1", "restricted_information": True, "tolerated_unplanned_downtime_pct": 5},
                {"name": "r2", "integrity_breach_causes_disaster": True, "tolerated_unplanned_downtime_pct": 0.5},
                {"tolerated_unplanned_downtime_pct": 50},
            ],
        },
    )
    assert cia(out) == ("B", "A", "B", "A")
    assert [r["name"] for r in out["resources"]] == ["r1", "r2", None]
    assert out["resources"][2] == {"name": None, "confidentiality": "C", "integrity": "C", "availability": "C"}


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({"subject_category": "essential", "resources": []}, ["resources"]),
        ({"subject_category": "essential"}, ["resources"]),
        (
            {"subject_category": "operator", "resources": [{"tolerated_unplanned_downtime_pct": 1}]},
            ["subject_category"],
        ),
        ({"subject_category": "essential", "resources": [{}]}, ["resources.0.tolerated_unplanned_downtime_pct"]),
        (
            {"subject_category": "essential", "resources": [{"tolerated_unplanned_downtime_pct": 100.5}]},
            ["resources.0.tolerated_unplanned_downtime_pct"],
        ),
        (
            {"subject_category": "essential", "resources": [{"tolerated_unplanned_downtime_pct": -0.1}]},
            ["resources.0.tolerated_unplanned_downtime_pct"],
        ),
        (
            {
                "subject_category": "essential",
                "resources": [{"tolerated_unplanned_downtime_pct": 1, "personal_data_subjects": -1}],
            },
            ["resources.0.personal_data_subjects"],
        ),
        (
            {
                "subject_category": "essential",
                "resources": [{"tolerated_unplanned_downtime_pct": 1, "personal_data_subject": 5}],
            },
            ["resources.0.personal_data_subject"],
        ),
        (
            {
                "subject_category": "essential",
                "resources": [{"tolerated_unplanned_downtime_pct": 1, "dependent_systems_availability": ["D"]}],
            },
            ["resources.0.dependent_systems_availability.0"],
        ),
        (
            {
                "subject_category": "essential",
                "in_ci_set": "no",
                "resources": [{"tolerated_unplanned_downtime_pct": 1}],
            },
            ["in_ci_set"],
        ),
    ],
)
def test_invalid_input(payload: dict[str, Any], fields: list[str]) -> None:
    with pytest.raises(RuleInputError) as info:
        evaluate("security-class", payload)
    assert info.value.fields == fields


FLAGS = [
    "national_security_harm",
    "restricted_information",
    "reputation_harm_lv",
    "ownership_registration",
    "integrity_breach_stops_state_functions_or_ci",
    "integrity_breach_causes_disaster",
    "integrity_breach_stops_own_service",
    "integrity_breach_stops_other_subjects",
    "unavailability_stops_state_functions_or_ci",
]

resources = st.fixed_dictionaries(
    {
        "personal_data_subjects": st.integers(0, 2_000_000),
        "special_category_subjects": st.integers(0, 1_000_000),
        "tolerated_unplanned_downtime_pct": st.floats(0, 100),
        "dependent_systems_availability": st.lists(st.sampled_from(["A", "B", "C"]), max_size=3),
        **{flag: st.booleans() for flag in FLAGS},
    }
)


def _ranks(out: dict[str, Any]) -> list[int]:
    return [RANK[x] for x in cia(out)]


@settings(max_examples=300, deadline=None)
@given(
    base=resources,
    subject=st.sampled_from(["essential", "important"]),
    in_ci=st.booleans(),
    raise_flag=st.sampled_from(FLAGS),
    more_subjects=st.integers(0, 1_000_000),
    more_special=st.integers(0, 600_000),
    less_downtime=st.floats(0, 1),
    extra_dep=st.sampled_from(["A", "B", "C"]),
)
def test_monotone_in_every_indicator(
    base: dict[str, Any],
    subject: str,
    in_ci: bool,
    raise_flag: str,
    more_subjects: int,
    more_special: int,
    less_downtime: float,
    extra_dep: str,
) -> None:
    before = _ranks(classify(subject, in_ci, **base))
    variants = [
        {**base, raise_flag: True},
        {**base, "personal_data_subjects": base["personal_data_subjects"] + more_subjects},
        {**base, "special_category_subjects": base["special_category_subjects"] + more_special},
        {**base, "tolerated_unplanned_downtime_pct": base["tolerated_unplanned_downtime_pct"] * less_downtime},
        {**base, "dependent_systems_availability": [*base["dependent_systems_availability"], extra_dep]},
    ]
    for variant in variants:
        after = _ranks(classify(subject, in_ci, **variant))
        assert all(a >= b for a, b in zip(after, before, strict=True)), (variant, before, after)
    # essential never below important; the CI set never lowers the class
    essential = _ranks(classify("essential", in_ci, **base))
    assert all(e >= b for e, b in zip(essential, before, strict=True))
    assert _ranks(classify(subject, True, **base))[3] >= before[3]
