"""Transition deadlines of chapter 9 (p. 162–171) from the entry-into-force setting."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from kiber.registry.choices import Role
from kiber.supervision import transitions
from tests.support import sign_in

pytestmark = pytest.mark.django_db


def test_ci_owner_and_essential_provider_get_their_dates(settings, make_organisation):
    settings.KIBER_REGULATION_IN_FORCE = "2025-06-25"
    ci = {t.basis: t.due for t in transitions.for_subject(make_organisation(name="KI", is_ci_owner=True))}
    assert ci["22-TA-3183 168. p."] == date(2025, 12, 25) and "22-TA-3183 165., 166. p." not in ci
    essential = {t.basis: t.due for t in transitions.for_subject(make_organisation(name="Būtisks"))}
    assert essential["22-TA-3183 164. p."] == date(2025, 12, 25)
    assert essential["22-TA-3183 165., 166. p."] == date(2027, 12, 31)


def test_pages_show_the_basis_and_the_setting(client, subject_admin, make_user):
    page = sign_in(client, subject_admin).get(reverse("supervision:transitions")).content.decode()
    assert "165., 166. p." in page and "25.06.2025" in page
    assert "31.12.2027" in client.get(reverse("web:home")).content.decode()
    page = sign_in(client, make_user(Role.CSIRT_ANALYST)).get(reverse("supervision:transitions")).content.decode()
    assert "170., 119. p." in page
    sign_in(client, make_user(Role.AUDITOR))
    assert client.get(reverse("supervision:transitions")).status_code == 403
