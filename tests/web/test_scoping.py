"""The one scoping mechanism: who sees which subjects."""

from __future__ import annotations

import pytest

from kiber.registry.choices import Role
from kiber.registry.models import Organisation
from kiber.registry.scoping import scope, visible_organisations

pytestmark = pytest.mark.django_db


def test_subject_user_sees_only_its_organisation(organisation, other_organisation, subject_admin):
    assert list(visible_organisations(subject_admin)) == [organisation]


def test_nkc_supervisor_limited_to_sectors(make_user, organisation, other_organisation):
    limited = make_user(Role.NKC_SUPERVISOR, supervised_sectors=["health"])
    assert list(visible_organisations(limited)) == [other_organisation]
    everyone = make_user(Role.NKC_SUPERVISOR)
    assert set(visible_organisations(everyone)) == {organisation, other_organisation}


def test_sab_sees_ci_owners_and_essential_providers(make_user, make_organisation):
    sab = make_user(Role.SAB_OFFICER)
    ci = make_organisation(name="CI", category="important", is_ci_owner=True)
    essential = make_organisation(name="Essential", category="essential")
    important = make_organisation(name="Important", category="important")
    overridden = make_organisation(name="Lowered", category="essential", category_override="important")
    visible = set(visible_organisations(sab))
    assert ci in visible and essential in visible
    assert important not in visible and overridden not in visible


def test_scope_through_a_relation(organisation, other_organisation, subject_admin, make_user):
    colleague = make_user(Role.SUBJECT_USER, other_organisation)
    from kiber.registry.models import User

    users = scope(User.objects.filter(organisation__isnull=False), subject_admin)
    assert subject_admin in users and colleague not in users


def test_auditor_and_anonymous_see_nothing(make_user, organisation):
    from django.contrib.auth.models import AnonymousUser

    assert not visible_organisations(make_user(Role.AUDITOR)).exists()
    assert not scope(Organisation.objects.all(), AnonymousUser(), path="").exists()
