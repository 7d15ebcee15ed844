"""The home page of supervisor-side roles: guidance for the auditor, the notifications inbox for NKC and SAB."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kiber.registry.choices import Role
from tests.support import sign_in

pytestmark = pytest.mark.django_db


def test_home_guides_auditor_and_links_the_notifications_inbox(client, make_user):
    sign_in(client, make_user(Role.AUDITOR))
    assert "Platformā vēl nav auditu sadaļas" in client.get(reverse("web:home")).content.decode()
    sign_in(client, make_user(Role.SAB_OFFICER))
    assert f'href="{reverse("registry:inbox")}"' in client.get(reverse("web:home")).content.decode()
