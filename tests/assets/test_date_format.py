"""Dates on the catalogue page are in the Latvian format (dd.mm.yyyy), not ISO."""

from __future__ import annotations

from datetime import UTC, datetime

from django.urls import reverse

from kiber.assets.models import OrganisationCatalogue


def test_catalogue_update_date_is_latvian(subject_client, organisation):
    OrganisationCatalogue.objects.update_or_create(
        organisation=organisation, defaults={"updated_at": datetime(2026, 11, 3, 10, tzinfo=UTC)}
    )
    html = subject_client.get(reverse("assets:list")).content.decode()
    assert "03.11.2026" in html and "2026-11-03" not in html
