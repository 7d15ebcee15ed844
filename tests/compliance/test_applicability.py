"""Applicability is derived from the subject's tiers and its systems' classes."""

from __future__ import annotations

import pytest

from kiber.compliance.applicability import applicable_items, subject_tiers
from tests.compliance.conftest import class_a_system, class_c_system


def _points(items, system=None):
    return {i.requirement.point for i in items if (i.system and i.system.pk) == (system.pk if system else None)}


@pytest.mark.django_db
def test_tiers(make_organisation):
    assert subject_tiers(make_organisation(category="essential", is_ci_owner=True)) == ["ci_owner", "essential"]
    assert subject_tiers(make_organisation(category="important")) == ["important"]
    assert subject_tiers(make_organisation(category="essential", category_override="important")) == ["important"]
    assert subject_tiers(make_organisation(category="out_of_scope")) == []


@pytest.mark.django_db
def test_no_tier_no_requirements(catalogue, make_organisation):
    assert applicable_items(make_organisation(category="out_of_scope")) == []


@pytest.mark.django_db
def test_class_a_system_brings_mfa_logs_backups_per_system(catalogue, organisation):
    before = applicable_items(organisation)
    assert not any(i.system for i in before)
    assert "53.1" not in _points(before)
    system = class_a_system(organisation)
    assert system.security_class == "A"
    items = applicable_items(organisation)
    per_system = _points(items, system)
    assert {"53.1", "58.1", "71.1", "72.3", "73.2"} <= per_system  # MFA, logs, backups of class A
    assert {"53.2", "58.2", "58.3", "71.2", "71.3"}.isdisjoint(per_system)  # other classes' variants
    assert "82.2" in per_system  # at-rest encryption for confidentiality class A
    assert "53.1" not in _points(items)  # never subject-wide
    # subject-wide items stay once per subject
    assert sum(1 for i in items if i.requirement.point == "11.1") == 1


@pytest.mark.django_db
def test_each_system_gets_its_class_variant(catalogue, organisation):
    a = class_a_system(organisation)
    c = class_c_system(organisation)
    assert c.security_class == "C"
    items = applicable_items(organisation)
    assert "58.1" in _points(items, a) and "58.3" in _points(items, c)
    assert "58.1" not in _points(items, c) and "53.1" not in _points(items, c)


@pytest.mark.django_db
def test_important_provider_and_ci_only_items(catalogue, make_organisation):
    important = make_organisation(category="important")
    ci = make_organisation(category="essential", is_ci_owner=True)
    important_points = _points(applicable_items(important))
    ci_points = _points(applicable_items(ci))
    ci_only = {i.requirement.point for i in applicable_items(ci) if i.requirement.tiers == ["ci_owner"]}
    assert ci_only and ci_only.isdisjoint(important_points)
    assert len(ci_points) > len(important_points)


@pytest.mark.django_db
def test_derived_not_ci_owner_condition(catalogue, make_organisation):
    from kiber.compliance.models import Requirement

    guarded = [
        r for r in Requirement.objects.all()
        if not r.per_system and [c["key"] for c in r.conditions] == ["not_ci_owner"]
    ]
    assert guarded
    ci = _points(applicable_items(make_organisation(category="essential", is_ci_owner=True)))
    plain = _points(applicable_items(make_organisation(category="essential")))
    for requirement in guarded:
        assert requirement.point not in ci
        if "essential" in requirement.tiers:
            assert requirement.point in plain


@pytest.mark.django_db
def test_circumstances_stay_applicable_and_are_shown(catalogue, make_organisation):
    items = applicable_items(make_organisation(category="essential"))
    outsourcing = [i for i in items if "uses_outsourcing" in i.circumstances]
    assert outsourcing, "outsourcing duties apply; the subject answers N/A with a justification if none"
