"""Fixtures for compliance tests: the loaded catalogue, a bank with a class A system."""

from __future__ import annotations

import pytest

from kiber.assets import services as asset_services
from kiber.compliance.loader import load_catalogue
from kiber.compliance.models import Requirement


@pytest.fixture
def catalogue(db):
    load_catalogue()
    return Requirement.objects.all()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def class_a_system(organisation, name="Internetbanka", subjects=1_200_000, actor=None):
    return asset_services.create_system(
        actor,
        organisation,
        {"name": name, "description": "Klientu internetbanka"},
        [{"name": "Klientu dati", "personal_data_subjects": subjects, "tolerated_unplanned_downtime_pct": 1}],
    )


def class_c_system(organisation, name="Intranets", actor=None):
    return asset_services.create_system(
        actor, organisation, {"name": name},
        [{"name": "Iekšējie dokumenti", "personal_data_subjects": 50, "tolerated_unplanned_downtime_pct": 50}],
    )


@pytest.fixture
def bank_system(organisation):
    return class_a_system(organisation)
