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
