"""Fixtures of the governance tests: a CI bank with a class A system in the CI set, its users, SAB and NKC."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kiber.assets import services as asset_services
from kiber.governance.services import outsourcing
from kiber.registry.choices import Role
from tests.support import sign_in

PDF = b"%PDF-1.4\n% test\n"


def pdf(name: str = "dokuments.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def provider_data(**overrides) -> dict:
    data = {
        "name": "SIA Droši Mākoņi",
        "registration_number": "40003111111",
        "kind": "legal_person",
        "registration_country": "LV",
        "citizenships": [],
        "board_members": [{"name": "Anna Bērziņa", "citizenships": ["LV"]}],
        "shareholders": [{"name": "Jānis Liepa", "kind": "natural_person", "citizenships": ["LV"]}],
        "beneficial_owners": [{"name": "Jānis Liepa", "citizenships": ["LV"]}],
        "public_person_holder": False,
    }
    return {**data, **overrides}


def contract_data(provider, system, **overrides) -> dict:
    data = {
        "title": "Internetbankas uzturēšana",
        "description": "Lietojumprogrammas uzturēšana un atbalsts",
        "contract_subject": "service",
        "provider": provider,
        "manufacturer": None,
        "systems": [system],
        "subcontractors": [],
        "personnel": [{"name": "Pēteris Kalns", "citizenships": ["LV"], "role": "izstrādātājs"}],
        "clauses": ["86.1", "86.2"],
        "risk_assessment": "Novērtēts",
        "exit_strategy": "Datu atdošana",
        "manager_agreed_on": date.today() - timedelta(days=3),
        "supervising_person": "Līga Ozola",
        "pecn_critical_part": False,
        "concluded_before_entry_into_force": False,
        "contract_end": None,
    }
    return {**data, **overrides}


@pytest.fixture
def bank(make_organisation):
    return make_organisation(name="AS Drošā Banka", is_ci_owner=True)


@pytest.fixture
def bank_admin(make_user, bank):
    return make_user(Role.SUBJECT_ADMIN, bank)


@pytest.fixture
def bank_system(bank, bank_admin):
    return asset_services.create_system(
        bank_admin,
        bank,
        {"name": "Internetbanka", "in_ci_set": True},
        [{"name": "Klientu dati", "personal_data_subjects": 2_000_000, "tolerated_unplanned_downtime_pct": 5}],
    )


@pytest.fixture
def eligible_provider(bank, bank_admin):
    return outsourcing.create_provider(bank_admin, bank, provider_data())


@pytest.fixture
def sab_officer(make_user):
    return make_user(Role.SAB_OFFICER)


@pytest.fixture
def nkc(make_user):
    return make_user(Role.NKC_SUPERVISOR)


def client_for(user) -> Client:
    return sign_in(Client(), user)
