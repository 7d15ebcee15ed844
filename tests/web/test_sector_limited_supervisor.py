"""An NKC supervisor limited to sectors sees only those sectors on every supervisor page and export.

A subject of another sector gets data in every app a supervisor reads (status notification, submitted
self-assessment, incident report); the limited supervisor's pages and XLSX files must not mention it,
while an unrestricted supervisor's do (so the test can fail).
"""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kiber.compliance import services as compliance
from kiber.compliance.loader import load_catalogue
from kiber.incidents import answers
from kiber.incidents import services as incidents
from kiber.registry import services as registry
from kiber.registry.choices import Role
from tests.compliance.conftest import class_a_system
from tests.compliance.test_services import answer_everything
from tests.incidents.conftest import EW_ANSWERS, incident_data
from tests.registry.conftest import status_data
from tests.support import sign_in

pytestmark = pytest.mark.django_db

FOREIGN = "SIA Sveša Nozare"
OWN = "AS Sava Nozare"
PAGES = [
    "registry:list",
    "registry:inbox",
    "compliance:home",
    "compliance:heatmap",
    "incidents:inbox",
    "incidents:stats",
]
EXPORTS = ["registry:list_xlsx", "incidents:export_xlsx", "incidents:stats_xlsx"]


@pytest.fixture
def two_sectors(settings, tmp_path, make_organisation, make_user):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KIBER_JOBS_BACKEND = "inline"
    settings.KIBER_INCIDENT_ROUTES = {"csirt": {"email": "cert@cert.lv"}, "sab": {"email": "sab@example.lv"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    load_catalogue()
    foreign = make_organisation(
        name=FOREIGN, sector="digital_infrastructure", category="important", size="medium", employees=80
    )
    own = make_organisation(name=OWN, sector="energy")
    for org in (foreign, own):
        admin = make_user(Role.SUBJECT_ADMIN, org)
        registry.submit_status_notification(admin, org, status_data())
    admin = foreign.users.get()
    class_a_system(foreign)
    assessment = compliance.start_assessment(admin, foreign)
    answer_everything(admin, assessment)
    compliance.submit_assessment(admin, assessment)
    incident = incidents.create_incident(admin, foreign, incident_data())
    incident = incidents.assess_significance(admin, incident, "cloud", {"complete_unavailability_minutes": 45})
    data = {**answers.prefill(incident, "early_warning", admin), **EW_ANSWERS}
    incidents.submit_report(admin, incident, "early_warning", data)
    return foreign, own


def _xlsx_text(response) -> str:
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    return " ".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v)


def _seen(client) -> dict[str, bool]:
    seen = {name: FOREIGN in client.get(reverse(name)).content.decode() for name in PAGES}
    seen.update({name: FOREIGN in _xlsx_text(client.get(reverse(name))) for name in EXPORTS})
    return seen


def test_unrestricted_supervisor_sees_the_other_sector(client, make_user, two_sectors):
    sign_in(client, make_user(Role.NKC_SUPERVISOR))
    seen = _seen(client)
    # The heat map and statistics show sectors, not subject names; everything else names the subject.
    expected = {name: name not in ("compliance:heatmap", "incidents:stats", "incidents:stats_xlsx") for name in seen}
    assert seen == expected
    assert "Digitālā infrastruktūra" in client.get(reverse("compliance:heatmap")).content.decode()
    assert "Digitālā infrastruktūra" in client.get(reverse("incidents:stats")).content.decode()


def test_sector_limited_supervisor_sees_only_own_sectors_everywhere(client, make_user, two_sectors):
    foreign, own = two_sectors
    sign_in(client, make_user(Role.NKC_SUPERVISOR, supervised_sectors=["energy"]))
    assert not any(_seen(client).values())
    for name in ("compliance:home", "compliance:heatmap", "incidents:stats"):
        assert "Digitālā infrastruktūra" not in client.get(reverse(name)).content.decode(), name
    for name in PAGES:  # each page says which sectors the view is limited to
        assert "Jūs uzraugāt tikai šīs nozares: Enerģētika." in client.get(reverse(name)).content.decode(), name
    assert "Digitālā infrastruktūra" not in _xlsx_text(client.get(reverse("incidents:stats_xlsx")))
    assert OWN in _xlsx_text(client.get(reverse("registry:list_xlsx")))
    assert client.get(reverse("registry:detail", args=[foreign.pk])).status_code == 404
    assert client.get(reverse("assets:organisation", args=[foreign.pk])).status_code == 404
