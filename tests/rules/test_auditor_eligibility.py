"""auditor-eligibility: the p. 125 test of the auditor register, with p. 93 from outsourcing-eligibility."""

from __future__ import annotations

from typing import Any

import pytest

from kiber.rules.base import RuleInputError
from kiber.rules.registry import evaluate

LV = {"citizenships": ["LV"]}


def legal(**party: Any) -> dict[str, Any]:
    base = {"kind": "legal_person", "registration_country": "LV", "board_members": [LV], "beneficial_owners": [LV]}
    return {"auditor": base | party, "certificates": [{"name": "CISA"}], "technical_capability": True}


def test_latvian_company_with_certificate_and_means_is_eligible() -> None:
    out = evaluate("auditor-eligibility", legal())
    assert out["eligible"] is True and out["findings"] == []
    assert out["basis"] == [
        "22-TA-3183 p.125.1",
        "22-TA-3183 p.93",
        "22-TA-3183 p.125.2",
        "22-TA-3183 p.126.2",
        "22-TA-3183 p.125.3",
    ]


@pytest.mark.parametrize(
    ("party", "code", "basis"),
    [
        ({"registration_country": "CN"}, "not_registered_in_nato_eu_efta_ip4", "22-TA-3183 p.93.1.1"),
        ({"board_members": []}, "board_not_given", "22-TA-3183 p.93.1.2"),
        ({"board_members": [{"citizenships": ["RU"]}]}, "board_member_not_nato_eu_efta_ip4", "22-TA-3183 p.93.1.2"),
        (
            {"beneficial_owners": [{"citizenships": ["BY"]}]},
            "beneficial_owner_not_nato_eu_efta_ip4",
            "22-TA-3183 p.93.1.3",
        ),
        (
            {"shareholders": [{"kind": "legal_person", "registration_country": "AE"}]},
            "shareholder_not_nato_eu_efta_ip4",
            "22-TA-3183 p.93.1.4",
        ),
    ],
)
def test_p93_failures_refuse_a_legal_person(party: dict[str, Any], code: str, basis: str) -> None:
    out = evaluate("auditor-eligibility", legal(**party))
    assert out["eligible"] is False
    assert [(f["code"], f["basis"]) for f in out["findings"]] == [(code, basis)]
    assert basis in out["basis"]


def test_natural_person_needs_citizenship_of_the_group_ip4_counts() -> None:
    ok = evaluate(
        "auditor-eligibility",
        {
            "auditor": {"kind": "natural_person", "citizenships": ["JP"]},
            "certificates": [{"name": "CISSP"}],
            "technical_capability": True,
        },
    )
    assert ok["eligible"] is True
    out = evaluate(
        "auditor-eligibility",
        {
            "auditor": {"kind": "natural_person", "citizenships": ["CN"]},
            "certificates": [{"name": "CISSP"}],
            "technical_capability": True,
        },
    )
    assert [f["code"] for f in out["findings"]] == ["not_nato_eu_efta_ip4_citizen"]


def test_certificate_without_copy_and_missing_means_are_findings() -> None:
    data = legal() | {"certificates": [{"name": "CISA", "copy_submitted": False}], "technical_capability": False}
    out = evaluate("auditor-eligibility", data)
    assert [f["code"] for f in out["findings"]] == ["no_certificate", "no_technical_capability"]
    assert [f["basis"] for f in out["findings"]] == ["22-TA-3183 p.125.2", "22-TA-3183 p.125.3"]


def test_missing_country_is_an_input_error() -> None:
    with pytest.raises(RuleInputError) as exc:
        evaluate("auditor-eligibility", legal(registration_country=None))
    assert exc.value.fields == ["auditor.registration_country"]
