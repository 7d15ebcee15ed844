"""The report form's "sector" answer is prefilled with the sector's name, not its slug."""

from __future__ import annotations

from django.utils import translation

from kiber.incidents.answers import from_incident
from kiber.incidents.models import Incident


def test_sector_prefill_is_the_latvian_name(make_organisation, make_user):
    org = make_organisation(sector="energy", subsector="electricity")
    with translation.override("en"):  # the report goes to CERT.LV in Latvian whatever the UI language
        values = from_incident(Incident(organisation=org), make_user(organisation=org))
    assert values["sector"] == "Enerģētika / Elektroenerģija"
