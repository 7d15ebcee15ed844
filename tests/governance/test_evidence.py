"""Self-assessment items of p. 23–46 and 85–105 link to the governance records that evidence them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kiber.compliance import services as compliance_services
from kiber.compliance.loader import load_catalogue
from kiber.compliance.models import Requirement
from kiber.governance import evidence
from kiber.governance.services import documents, outsourcing
from tests.governance.conftest import client_for, contract_data

pytestmark = pytest.mark.django_db


def test_for_point_includes_the_parent_point():
    found = {"30": [{"label": "Politika", "url": "/a"}], "30.2": [{"label": "Cits", "url": "/b"}]}
    assert [link["url"] for link in evidence.for_point(found, "30.2")] == ["/b", "/a"]
    assert evidence.for_point(found, "31") == []


def test_assessment_item_links_to_the_policy_and_contracts(
    settings, tmp_path, bank, bank_admin, bank_system, eligible_provider, nkc
):
    settings.MEDIA_ROOT = tmp_path
    load_catalogue()
    policy = documents.create_document(
        bank_admin,
        bank,
        {
            "part": "policy",
            "title": "Drošības politika",
            "edition": "3",
            "approved_by": "Valde",
            "approved_on": timezone.localdate() - timedelta(days=5),
            "copy_location": "Seifs",
            "content_points": [],
        },
    )
    outsourcing.save_contract(bank_admin, bank, contract_data(eligible_provider, bank_system))
    assessment = compliance_services.start_assessment(bank_admin, bank)
    client = client_for(bank_admin)
    section = Requirement.objects.get(point="30.2").section_number
    page = client.get(reverse("compliance:assessment", args=[assessment.pk]) + f"?section={section}").content.decode()
    assert policy.get_absolute_url() in page and "Drošības politika v3" in page
    found = evidence.links(bank_admin, bank)
    assert evidence.for_point(found, "92")[0]["url"] == reverse("governance:contracts")
    # NKC does not see a CI owner's outsourcing, so no link to it either.
    assert evidence.for_point(evidence.links(nkc, bank), "92") == []
