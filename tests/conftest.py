"""Shared fixtures: organisations, users of every role, signed-in clients (TOTP verified)."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from kiber.registry.choices import Role
from kiber.registry.models import Organisation, User
from tests.support import sign_in

_numbers = itertools.count(40003000001)

# A large essential bank: the subject most tests start from.
ORGANISATION_DEFAULTS = dict(
    name="SIA Demo",
    legal_address="Rīga, Brīvības iela 1",
    email="info@example.lv",
    phone="+37167000000",
    sector="banking",
    employees=300,
    annual_turnover_eur=Decimal("60000000"),
    balance_sheet_eur=Decimal("50000000"),
    category="essential",
    size="large",
)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite the test database is a file, like the embedded default's: Django's in-memory test database
    is shared-cache, whose table locks ignore the busy timeout, so concurrent requests
    (tests/incidents/test_concurrency.py) could not pass there whatever the settings. One file per process
    (xdist worker), in its own temporary directory."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("database") / "test.sqlite3")


@pytest.fixture(autouse=True)
def _latvian_by_default():
    """Every test starts in Latvian: a request in English leaves English active in its thread."""
    translation.activate("lv")
    yield
    translation.activate("lv")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Counters in the cache (the API's failed-authentication limit) must not leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_organisation(db):
    def make(**fields) -> Organisation:
        return Organisation.objects.create(
            **{"registration_number": str(next(_numbers)), **ORGANISATION_DEFAULTS, **fields}
        )

    return make


@pytest.fixture
def make_user(db):
    counter = itertools.count(1)

    def make(role: str = Role.SUBJECT_ADMIN, organisation: Organisation | None = None, **fields) -> User:
        n = next(counter)
        user = User.objects.create_user(
            username=fields.pop("username", f"{role}-{n}"),
            password=fields.pop("password", "Demo-parole-2026!"),
            role=role,
            organisation=organisation,
            **fields,
        )
        if user.needs_second_factor:
            TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        return user

    return make


@pytest.fixture
def organisation(make_organisation) -> Organisation:
    return make_organisation(name="AS Demo Banka")


@pytest.fixture
def other_organisation(make_organisation) -> Organisation:
    return make_organisation(name="SIA Cits Subjekts", sector="health")


@pytest.fixture
def subject_admin(make_user, organisation) -> User:
    return make_user(Role.SUBJECT_ADMIN, organisation)


@pytest.fixture
def nkc_supervisor(make_user) -> User:
    return make_user(Role.NKC_SUPERVISOR)


@pytest.fixture
def subject_client(client, subject_admin) -> Client:
    return sign_in(client, subject_admin)


@pytest.fixture
def nkc_client(client, nkc_supervisor) -> Client:
    return sign_in(client, nkc_supervisor)
