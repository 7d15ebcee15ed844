"""Sessions end after a role-dependent idle time (issue 10, finding 14)."""

from __future__ import annotations

import time

import pytest

from kiber.registry.choices import Role
from kiber.web.middleware import LAST_ACTIVITY_KEY
from tests.support import sign_in

pytestmark = pytest.mark.django_db


def _idle_for(client, minutes: int) -> None:
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time()) - minutes * 60
    session.save()


def test_a_supervisor_session_ends_after_30_idle_minutes(client, nkc_supervisor):
    """Before: a session lasted 14 days whatever its owner did."""
    sign_in(client, nkc_supervisor)
    assert client.get("/").status_code == 200
    _idle_for(client, 31)
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/login/")
    assert "_auth_user_id" not in client.session
    page = client.get(response.url).content.decode()
    assert "Sesija beidzās" in page


def test_activity_keeps_the_session(client, nkc_supervisor):
    sign_in(client, nkc_supervisor)
    _idle_for(client, 29)
    assert client.get("/").status_code == 200
    assert client.session[LAST_ACTIVITY_KEY] > int(time.time()) - 60  # the idle clock restarted


def test_subject_roles_have_the_longer_timeout(client, subject_admin, settings):
    sign_in(client, subject_admin)
    _idle_for(client, 31)
    assert client.get("/").status_code == 200
    _idle_for(client, settings.SESSION_IDLE_MINUTES + 1)
    assert client.get("/").status_code == 302


def test_an_idle_session_is_refused_by_the_api(client, make_user, organisation):
    user = make_user(Role.SUBJECT_ADMIN, organisation)
    sign_in(client, user)
    assert client.get("/api/v1/registry/organisations").status_code == 200
    _idle_for(client, 60 * 24)
    assert client.get("/api/v1/registry/organisations").status_code == 401


def test_sessions_expire_within_a_working_day(settings):
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
