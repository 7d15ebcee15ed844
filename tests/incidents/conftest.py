from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kiber.incidents import services
from kiber.registry.choices import Role


@pytest.fixture(autouse=True)
def _inline_background(settings, tmp_path):
    settings.KIBER_JOBS_BACKEND = "inline"
    settings.KIBER_INCIDENT_ROUTES = {"csirt": {"email": "cert@cert.lv"}, "sab": {"email": "sab@example.lv"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def cloud(make_organisation):
    return make_organisation(name="SIA Mākoņpakalpojumi", sector="digital_infrastructure", category="important",
                             size="medium", employees=80, annual_turnover_eur=8000000, balance_sheet_eur=6000000)


@pytest.fixture
def cloud_user(make_user, cloud):
    return make_user(Role.SUBJECT_USER, cloud, email="soc@makonis.example", first_name="Ilze", last_name="Ozola")


@pytest.fixture
def csirt(make_user):
    return make_user(Role.CSIRT_ANALYST, username="certlv-test")


@pytest.fixture
def sab(make_user):
    return make_user(Role.SAB_OFFICER, username="sab-test")


def incident_data(**overrides):
    data = {
        "title": "API nepieejamība",
        "detected_at": timezone.now() - timedelta(hours=1),
        "type_codes": ["06"],
        "description": "Pilnīga nepieejamība 45 minūtes.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def significant_incident(cloud, cloud_user):
    incident = services.create_incident(cloud_user, cloud, incident_data())
    return services.assess_significance(cloud_user, incident, "cloud", {"complete_unavailability_minutes": 45})


EW_ANSWERS = {"suspected_malicious": "no", "cross_border_impact": "unknown"}
