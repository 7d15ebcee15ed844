"""The client's address behind trusted proxies, the lockout keyed on it, and the API's failure limit
(issue 10, finding 12)."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory

from kiber.registry.models import ApiToken
from kiber.web.proxies import client_address
from tests.support import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"


def _request(forwarded: str | None):
    extra = {"REMOTE_ADDR": PROXY}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.KIBER_TRUSTED_PROXIES = 0
    assert client_address(_request("198.51.100.7")) == PROXY


def test_one_proxy_the_address_it_appended_is_the_client(settings):
    settings.KIBER_TRUSTED_PROXIES = 1
    assert client_address(_request("198.51.100.7")) == "198.51.100.7"
    # The client forges a first hop; our proxy appended the real one after it.
    assert client_address(_request("203.0.113.9, 198.51.100.7")) == "198.51.100.7"


def test_two_proxies_and_too_few_hops(settings):
    settings.KIBER_TRUSTED_PROXIES = 2
    assert client_address(_request("203.0.113.9, 198.51.100.7, 10.0.0.1")) == "198.51.100.7"
    assert client_address(_request("198.51.100.7")) == PROXY
    assert client_address(_request(None)) == PROXY


def _behind_proxy(address: str) -> Client:
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)


def test_an_attacker_behind_the_proxy_cannot_lock_out_another_client(settings, subject_admin):
    """Before: axes keyed on REMOTE_ADDR, the proxy's address, so five failures locked out everyone."""
    settings.KIBER_TRUSTED_PROXIES = 1
    attacker = _behind_proxy("203.0.113.66")
    for _ in range(5):
        attacker.post("/login/", {"username": subject_admin.username, "password": "wrong"})
    assert attacker.post("/login/", {"username": subject_admin.username, "password": PASSWORD}).status_code == 429
    owner = _behind_proxy("198.51.100.7")
    response = owner.post("/login/", {"username": subject_admin.username, "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in owner.session


def test_failed_api_token_authentication_is_rate_limited(settings, subject_admin):
    settings.KIBER_TRUSTED_PROXIES = 1
    settings.KIBER_API_AUTH_FAILURE_LIMIT = 3
    guesser = _behind_proxy("203.0.113.66")
    url = "/api/v1/registry/organisations"
    for _ in range(3):
        assert guesser.get(url, HTTP_AUTHORIZATION="Bearer kbr_guess").status_code == 401
    response = guesser.get(url, HTTP_AUTHORIZATION="Bearer kbr_guess")
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Too many requests."}
    assert int(response["Retry-After"]) == settings.KIBER_API_AUTH_FAILURE_WINDOW
    # Another client behind the same proxy is unaffected.
    _token, key = ApiToken.issue(subject_admin, "SOC")
    assert _behind_proxy("198.51.100.7").get(url, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
