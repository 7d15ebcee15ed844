"""The supervisors' dashboard and heat map show requirement sections and texts in the reader's language."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from kiber.compliance import selectors
from kiber.compliance.models import Requirement

pytestmark = pytest.mark.django_db


def _first() -> Requirement:
    first = Requirement.objects.filter(active=True).order_by("sort_key").first()
    assert first.section_title_en and first.section_title_en != first.section_title_lv
    return first


def test_heat_map_follows_the_language(catalogue, nkc_client):
    first = _first()
    latvian = nkc_client.get(reverse("compliance:heatmap")).content.decode()
    assert first.section_title_lv in latvian and first.section_title_en not in latvian
    nkc_client.cookies["django_language"] = "en"
    english = nkc_client.get(reverse("compliance:heatmap")).content.decode()
    assert first.section_title_en in english and first.section_title_lv not in english


def test_dashboard_sections_follow_the_language(catalogue, nkc_supervisor):
    first = _first()
    with translation.override("en"):
        assert (first.section_number, first.section_title_en) in selectors.supervisor_dashboard(nkc_supervisor).sections
    with translation.override("lv"):
        assert (first.section_number, first.section_title_lv) in selectors.supervisor_dashboard(nkc_supervisor).sections
