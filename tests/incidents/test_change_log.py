"""The incident page's change log reads in Latvian: action and field labels, choice labels, old → new."""

from __future__ import annotations

from django.urls import reverse

from kiber.incidents import services
from tests.incidents.conftest import incident_data
from tests.support import sign_in


def test_change_log_uses_labels(client, significant_incident, cloud_user):
    services.update_incident(cloud_user, significant_incident, incident_data(resolution="in_progress"))
    sign_in(client, cloud_user)
    html = client.get(reverse("incidents:detail", args=[significant_incident.public_id])).content.decode()
    log = html[html.index("Izmaiņu žurnāls") :]
    assert "Novērtēts nozīmīgums" in log and "Kritēriji" in log and "Nozīmīgs" in log
    assert "Neiesākts → Procesā" in log
    assert ">assess<" not in log and "significance</strong>" not in log and "'CIR" not in log
