"""The home page of supervisor-side roles: the auditor's audits, the notifications inbox for NKC and SAB."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kiber.registry.choices import Role
from tests.support import sign_in

pytestmark = pytest.mark.django_db


def test_home_shows_auditor_its_deadlines_and_links_the_notifications_inbox(client, make_user):
    sign_in(client, make_user(Role.AUDITOR))
    home = client.get(reverse("web:home")).content.decode()
    assert "Uzraudzības termiņi" in home and f'href="{reverse("supervision:home")}"' in home
    sign_in(client, make_user(Role.SAB_OFFICER))
    assert f'href="{reverse("registry:inbox")}"' in client.get(reverse("web:home")).content.decode()
