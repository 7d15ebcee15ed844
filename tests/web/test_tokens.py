"""API tokens: issued once, usable as a bearer token, revocable, only one's own."""

from __future__ import annotations

import re

import pytest
from django.test import RequestFactory

from kiber.api.auth import TokenAuth
from kiber.registry.models import ApiToken

pytestmark = pytest.mark.django_db


def test_issue_use_and_revoke(subject_client, subject_admin):
    page = subject_client.post("/tokens/", {"name": "SOC"}).content.decode()
    key = re.search(r"(kbr_[\w-]+)", page).group(1)
    token = ApiToken.objects.get(user=subject_admin)
    assert token.key_hash != key and key not in token.key_hash  # only the hash is stored
    request = RequestFactory().get("/api/v1/")
    assert TokenAuth().authenticate(request, key) == subject_admin
    token.refresh_from_db()
    assert token.last_used_at is not None
    subject_client.post(f"/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert TokenAuth().authenticate(RequestFactory().get("/"), key) is None


def test_cannot_revoke_another_users_token(subject_client, make_user, other_organisation):
    other = make_user(organisation=other_organisation)
    token, _key = ApiToken.issue(other, "theirs")
    assert subject_client.post(f"/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_empty_name_is_a_form_error(subject_client):
    response = subject_client.post("/tokens/", {"name": ""})
    assert response.status_code == 200 and "has-error" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_last_used_is_written_at_most_once_a_minute(subject_admin, django_assert_num_queries):
    from datetime import timedelta

    from django.utils import timezone

    token, key = ApiToken.issue(subject_admin, "SOC")
    auth = TokenAuth()
    assert auth.authenticate(RequestFactory().get("/"), key) == subject_admin
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    with django_assert_num_queries(1):  # the lookup only: used less than a minute ago
        assert auth.authenticate(RequestFactory().get("/"), key) == subject_admin
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(seconds=61))
    before = timezone.now()
    with django_assert_num_queries(2):  # stale: written again
        auth.authenticate(RequestFactory().get("/"), key)
    token.refresh_from_db()
    assert token.last_used_at >= before


def _authenticates(key: str):
    return TokenAuth().authenticate(RequestFactory().get("/api/v1/"), key)


def test_a_role_change_revokes_the_tokens(subject_admin):
    """Issue 10, finding 11. Before: a token issued to a subject role kept working after the user became a
    supervisor without a TOTP device."""
    from kiber.audit.models import AuditEntry
    from kiber.registry.choices import Role

    token, key = ApiToken.issue(subject_admin, "SOC")
    user = type(subject_admin).objects.get(pk=subject_admin.pk)  # as the admin site loads it
    user.role, user.organisation = Role.NKC_SUPERVISOR, None
    user.save()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.filter(action="revoke", object_id=str(token.pk)).exists()
    assert _authenticates(key) is None


def test_a_role_changed_behind_the_models_back_still_stops_the_token(subject_admin):
    from kiber.registry.choices import Role

    _token, key = ApiToken.issue(subject_admin, "SOC")
    type(subject_admin).objects.filter(pk=subject_admin.pk).update(role=Role.CYBER_MANAGER)
    assert _authenticates(key) is None


def test_saving_a_user_without_a_role_change_keeps_the_tokens(subject_admin):
    token, key = ApiToken.issue(subject_admin, "SOC")
    user = type(subject_admin).objects.get(pk=subject_admin.pk)
    user.first_name = "Anna"
    user.save()
    token.refresh_from_db()
    assert token.revoked_at is None and _authenticates(key) == user


def test_a_second_factor_role_needs_a_confirmed_device_for_its_token(make_user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from kiber.registry.choices import Role
    from kiber.registry.tokens import SecondFactorMissing, issue_token

    supervisor = make_user(Role.CSIRT_ANALYST)
    _token, key = issue_token(supervisor, "MISP")
    assert _authenticates(key) == supervisor
    TOTPDevice.objects.filter(user=supervisor).delete()
    assert _authenticates(key) is None
    with pytest.raises(SecondFactorMissing):
        issue_token(supervisor, "another")
