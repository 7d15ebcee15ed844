"""Fixtures of the supervision tests: the Committee, an auditor account, a registered auditor."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kiber.registry.choices import Role
from kiber.supervision import services
from tests.support import sign_in

PDF = b"%PDF-1.4 certificate copy"


def certificate(kind: str = "CISA", name: str = "cisa.pdf", content: bytes = PDF) -> services.NewCertificate:
    return services.NewCertificate(
        kind=kind,
        other_name="",
        holder="Ilze Auditore",
        number="C-1",
        valid_until=date(2028, 1, 1),
        upload=SimpleUploadedFile(name, content, content_type="application/pdf"),
    )


def auditor_data(**fields) -> dict:
    return {
        "kind": "legal_person",
        "name": "SIA Audits un Drošība",
        "registration_number": "40003123456",
        "registration_country": "LV",
        "citizenships": [],
        "address": "Rīga, Elizabetes iela 1",
        "email": "birojs@audits.lv",
        "phone": "+37167111111",
        "website": "https://audits.lv",
        "contact_person": "Ilze Auditore",
        "board_members": [{"name": "Valdis Slepenvaldis", "citizenships": ["LV"]}],
        "beneficial_owners": [{"name": "Olga Īpašniece", "citizenships": ["EE"]}],
        "shareholders": [{"name": "Olga Īpašniece", "kind": "natural_person", "citizenships": ["EE"]}],
        "technical_capability": "Skeneri, testu vide, metodika ISO 19011.",
        "application_signed_on": date(2026, 11, 2),
        **fields,
    }


@pytest.fixture
def committee(make_user):
    return make_user(Role.DDSC_MEMBER)


@pytest.fixture
def committee_client(client, committee):
    return sign_in(client, committee)


@pytest.fixture
def auditor_user(make_user):
    return make_user(Role.AUDITOR)


@pytest.fixture
def registered(settings, tmp_path, committee, auditor_user):
    settings.MEDIA_ROOT = tmp_path / "media"
    return services.register_auditor(committee, auditor_data(), certificate(), [auditor_user])
