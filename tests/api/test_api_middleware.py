"""API calls run only KIBER_API_MIDDLEWARE (issue 11); pages keep the whole stack, and the browser's own API
calls keep their session, second factor and CSRF check."""

from __future__ import annotations

import pytest
from django.test import Client

from kiber.registry.models import ApiToken
from tests.support import sign_in

pytestmark = pytest.mark.django_db


def test_api_call_skips_the_browser_only_middleware(client, subject_admin):
    _, key = ApiToken.issue(subject_admin, "SOC")
    response = client.get("/api/v1/incidents/incidents", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response.headers and "X-Frame-Options" not in response.headers
    assert response.headers["X-Request-ID"]  # observability runs before the split, for both
    assert response.headers["Content-Length"] == str(len(response.content))  # keep-alive clients need it
    page = client.get("/login/")
    assert "Content-Security-Policy" in page.headers and "X-Frame-Options" in page.headers


def test_browser_session_on_the_api_keeps_its_csrf_check(subject_admin):
    browser = sign_in(Client(enforce_csrf_checks=True), subject_admin)
    assert browser.get("/api/v1/incidents/incidents").status_code == 200
    body = {"title": "x", "detected_at": "2026-01-10T10:00:00+02:00", "type_codes": ["06"], "description": "y"}
    refused = browser.post("/api/v1/incidents/incidents", body, content_type="application/json")
    assert refused.status_code in (401, 403)
