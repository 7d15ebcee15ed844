"""Signing in through the browser, including the TOTP step of a supervisor."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kiber.registry.choices import Role
from tests.support import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_supervisor_signs_in_with_totp_and_switches_language(page, make_user):
    user = make_user(Role.NKC_SUPERVISOR, first_name="Ilze", last_name="Uzraudze")
    log_in(page, user)
    expect(page.locator("h1")).to_contain_text("Labdien, Ilze Uzraudze!")
    page.get_by_role("button", name="EN").click()
    expect(page.locator("h1")).to_contain_text("Hello, Ilze Uzraudze!")


def test_wrong_password_shows_an_error(page, subject_admin):
    page.goto("/login/")
    page.fill("#id_username", subject_admin.username)
    page.fill("#id_password", "nepareiza parole")
    page.click("button.primary")
    expect(page.locator(".errors")).to_be_visible()
