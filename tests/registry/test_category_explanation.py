"""The category card explains the entity-category rule's decision in the UI language (the stored
reasons are the rule's English), with the figures, the annex and the rule's basis points."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from kiber.registry import services
from kiber.registry.explain import category_explanation


def recomputed(org):
    services._apply_category(org)
    org.save()
    return org


def test_own_page_explains_the_category_in_latvian(subject_client, organisation):
    recomputed(organisation)  # banking, 300 employees: large Annex I entity
    html = subject_client.get(reverse("registry:own")).content.decode()
    assert "Lielums: liels (darbinieku skaits 300" in html
    assert "Nozare „Banku darbība” ir NIS2 I pielikumā." in html
    assert "Liels I pielikuma nozares subjekts: būtisks." in html
    assert "large entity of an Annex I sector" not in html and "sector banking is in" not in html
    assert "NIS2 Art.3(1)(a)" in html  # the rule's basis stays shown


def test_own_page_in_english(subject_client, organisation):
    recomputed(organisation)
    subject_client.cookies["django_language"] = "en"
    html = subject_client.get(reverse("registry:own")).content.decode()
    assert "Size: large (employees 300" in html and "Large entity of an Annex I sector: essential." in html


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"sector": "health", "employees": 80, "annual_turnover_eur": Decimal("5000000")},
            "Vidējs I pielikuma nozares subjekts, kas nav būtisks: svarīgs.",
        ),
        (
            {
                "sector": "digital_providers",
                "subsector": "",
                "employees": 10,
                "annual_turnover_eur": Decimal("1000000"),
                "balance_sheet_eur": Decimal("1000000"),
            },
            "Mazs subjekts, kura veids nav tvērumā neatkarīgi no lieluma: ārpus tvēruma.",
        ),
        (
            {
                "sector": "digital_infrastructure",
                "entity_kind": "dns_service_provider",
                "employees": 5,
                "annual_turnover_eur": Decimal("1000000"),
                "balance_sheet_eur": Decimal("1000000"),
            },
            "DNS pakalpojumu sniedzējs: būtisks subjekts neatkarīgi no lieluma.",
        ),
    ],
)
def test_decision_sentence_follows_the_rule(make_organisation, fields, expected):
    org = recomputed(make_organisation(**fields))
    with translation.override("lv"):
        assert category_explanation(org)[-1] == expected
