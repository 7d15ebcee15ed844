"""The supervisors' incident pages: readable labels, sector names, back links, guidance when empty."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kiber.incidents import answers, services
from tests.incidents.conftest import EW_ANSWERS
from tests.support import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(significant_incident, cloud_user):
    data = {**answers.prefill(significant_incident, "early_warning", cloud_user), **EW_ANSWERS}
    return services.submit_report(cloud_user, significant_incident, "early_warning", data)


def test_statistics_period_labels_are_latvian_not_no(client, csirt):
    sign_in(client, csirt)
    page = client.get(reverse("incidents:stats")).content.decode()
    assert "Periods no" in page and ">Nē<" not in page
    assert "Izvēlētajā periodā jūsu pārraudzībā nav reģistrētu incidentu" in page  # guidance when empty
    client.cookies["django_language"] = "en"
    assert ">From<" in client.get(reverse("incidents:stats")).content.decode()


def test_inbox_report_and_incident_pages_for_a_supervisor(client, csirt, reported):
    sign_in(client, csirt)
    inbox = client.get(reverse("incidents:inbox")).content.decode()
    assert "Digitālā infrastruktūra" in inbox and ">digital_infrastructure<" not in inbox
    stats = client.get(reverse("incidents:stats")).content.decode()
    assert "Digitālā infrastruktūra" in stats  # the chart labels sectors by name
    report = client.get(reverse("incidents:report", args=[reported.pk])).content.decode()
    assert f'href="{reverse("incidents:inbox")}"' in report
    detail = client.get(reverse("incidents:detail", args=[reported.incident.public_id])).content.decode()
    assert f'href="{reverse("incidents:inbox")}"' in detail
    empty = client.get(reverse("incidents:inbox"), {"q": "nekas tāds"}).content.decode()
    assert "Meklējumam neatbilst neviens incidents." in empty


def test_sab_inbox_explains_and_links_the_notifications_inbox(client, sab):
    sign_in(client, sab)
    page = client.get(reverse("incidents:inbox")).content.decode()
    assert "124. p." in page and reverse("registry:inbox") in page
