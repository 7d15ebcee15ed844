"""Registry test helpers: PDFs go to a temporary media root; ready-made valid inputs."""

from __future__ import annotations

from datetime import date

import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def manager_data(**overrides):
    """A valid appointment for an essential or CI subject (Latvian citizen, CISM, all declarations made)."""
    data = {
        "first_name": "Ilze",
        "last_name": "Ozola",
        "personal_code": "050585-11876",
        "birth_date": date(1985, 5, 5),
        "email": "ilze.ozola@example.lv",
        "phone": "+371 29000000",
        "position": "CISO",
        "citizenships": ["LV"],
        "term_start": date(2025, 9, 1),
        "term_end": None,
        "education": "",
        "education_in_cybersecurity": False,
        "experience_months": 30,
        "certificates": [{"name": "CISM", "valid_until": date(2030, 1, 1)}],
        "under_guardianship": False,
        "intentional_offence_conviction": False,
        "conviction_cleared": False,
        "former_security_service_affiliation": False,
        "banned_organisation_member": False,
        "organised_crime_or_illegal_armed_group": False,
        "reliability_doubting_disorder_or_dependence": False,
        "state_secret_clearance": False,
        "subject_in_managed_group": False,
    }
    data.update(overrides)
    return data


def status_data(**overrides):
    data = {
        "notice_type": "initial",
        "contact_name": "Anna Liepa",
        "contact_position": "IT direktore",
        "contact_email": "anna@example.lv",
        "contact_phone": "+371 67000001",
        "services": "Internetbanka",
        "member_states": ["LV"],
        "ip_ranges": ["195.13.128.0/20"],
        "establishments": "",
        "loss_reason": "",
    }
    data.update(overrides)
    return data
