"""Fixtures of the plans tests: the imported plans, an open roadmap round, institution users."""

from __future__ import annotations

from datetime import date

import pytest

from kiber.plans import services
from kiber.plans.importers import ACTION_PLAN_CODE, ROADMAP_CODE, import_all, institution
from kiber.plans.models import Plan, ReportingRound
from kiber.registry.choices import Role


@pytest.fixture
def plans(db) -> dict[str, Plan]:
    import_all()
    return {"action": Plan.objects.get(code=ACTION_PLAN_CODE), "roadmap": Plan.objects.get(code=ROADMAP_CODE)}


@pytest.fixture
def member(make_user, plans):
    def make(abbreviation: str, coordinator: bool = False, **fields):
        user = make_user(Role.SUBJECT_USER, None, **fields)
        services.add_member(None, user, institution(abbreviation), is_coordinator=coordinator)
        return user

    return make


@pytest.fixture
def coordinator(member):
    return member("VARAM", coordinator=True)


@pytest.fixture
def sm_user(member):
    return member("SM")


@pytest.fixture
def am_user(member):
    return member("AM")


@pytest.fixture
def roadmap_round(plans, coordinator) -> ReportingRound:
    return services.open_round(coordinator, plans["roadmap"], "2026. gada 4. ceturksnis", date(2026, 12, 31))
