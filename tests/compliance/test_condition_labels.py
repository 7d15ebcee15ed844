"""Catalogue keys (applicability conditions, tiers, evidence kinds) are shown by label, never raw."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.urls import reverse

from kiber.compliance import labels
from tests.compliance.conftest import class_a_system
from tests.support import sign_in

CATALOGUE = Path(labels.__file__).parent.parent / "catalogue" / "requirements" / "22-TA-3183.yaml"


def test_every_catalogue_key_has_a_label():
    data = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    assert set(data["conditions"]) <= set(labels.CONDITIONS)
    assert set(data["tiers"]) <= set(labels.TIERS)
    assert set(data["evidence_kinds"]) <= set(labels.EVIDENCE)


@pytest.mark.django_db
def test_catalogue_page_shows_condition_labels(client, catalogue, subject_admin):
    html = sign_in(client, subject_admin).get(reverse("compliance:catalogue")).content.decode()
    assert "public_ecn_provider" not in html and "uses_outsourcing" not in html
    assert "subjekts ir publiska elektronisko sakaru tīkla īpašnieks vai valdītājs" in html


@pytest.mark.django_db
def test_assessment_shows_circumstances_tiers_and_evidence_by_label(client, catalogue, organisation, subject_admin):
    class_a_system(organisation)
    sign_in(client, subject_admin)
    client.post(reverse("compliance:start"))
    assessment = organisation.self_assessments.get()
    html = client.get(reverse("compliance:assessment", args=[assessment.pk]) + "?section=4.1").content.decode()
    assert "Prasība attiecas, ja" in html and "subjekts izmanto IKT ārpakalpojumus" in html
    assert "uses_outsourcing" not in html and "essential" not in html
    assert "būtisko pakalpojumu sniedzēji" in html and "līgums" in html
