"""The catalogue's own decisions refuse a stale save (issue 10, finding 5): a confirmation from a page that
did not show a change reported since, and the whole-infrastructure mark; nothing changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kiber.assets import services
from kiber.assets.classification import catalogue_of
from kiber.registry.choices import Role
from tests.support import sign_in

pytestmark = pytest.mark.django_db

STALE = "Kāds cits jau ir mainījis šo ierakstu"


def test_confirming_from_a_page_that_missed_a_reported_change_is_refused(
    client, subject_admin, make_user, organisation
):
    seen = catalogue_of(organisation).version
    bob = sign_in(client, make_user(Role.CYBER_MANAGER, organisation))
    assert f'name="version" value="{seen}"' in bob.get(reverse("assets:list")).content.decode()
    services.report_change(subject_admin, organisation, timezone.localdate() - timedelta(days=2), "Jauns serveris")

    response = bob.post(reverse("assets:confirm"), {"version": seen}, follow=True)
    assert STALE in response.content.decode()
    catalogue = catalogue_of(organisation)
    assert catalogue.change_pending_since is not None and catalogue.change_note == "Jauns serveris"

    assert bob.post(reverse("assets:confirm"), {"version": catalogue.version}).status_code == 302
    assert catalogue_of(organisation).change_pending_since is None


def test_two_people_setting_the_whole_infrastructure_mark_second_is_refused(
    client, subject_admin, make_user, organisation
):
    seen = catalogue_of(organisation).version
    alice = sign_in(client, subject_admin)
    bob = sign_in(Client(), make_user(Role.CYBER_MANAGER, organisation))
    url = reverse("assets:whole_infrastructure")
    alice.post(url, {"whole_infrastructure_ci": "on", "version": seen})
    response = bob.post(url, {"version": seen}, follow=True)  # Bob's page still showed it unset
    assert STALE in response.content.decode()
    catalogue = catalogue_of(organisation)
    assert catalogue.whole_infrastructure_ci and catalogue.version == seen + 1
    # Touching the catalogue (any system change) does not make an open page stale.
    services.touch_catalogue(organisation)
    bob.post(url, {"version": seen + 1})
    assert not catalogue_of(organisation).whole_infrastructure_ci
