"""Issue 16: each point of 22-TA-3183 the incidents app got wrong, with the point's Latvian text quoted."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kiber.incidents import selectors, services
from kiber.registry.choices import Role
from tests.incidents.conftest import incident_data
from tests.support import sign_in

pytestmark = pytest.mark.django_db


def test_p123_every_non_significant_incident_is_reported(
    client, cloud, cloud_user, csirt, make_user, make_organisation
):
    """p. 123: "Par kiberincidentu, kurš nav uzskatāms par nozīmīgu kiberincidentu, subjekts ziņo
    kompetentajai kiberincidentu novēršanas institūcijai, nosūtot uz tās elektroniskā pasta adresi
    kiberincidenta aprakstu brīvā formā." — a duty shown until reported, listed for the subject and
    the CSIRT; the free form stays."""
    incident = services.create_incident(cloud_user, cloud, incident_data(title="Pikšķerēšanas vēstule"))
    incident = services.assess_significance(cloud_user, incident, "cloud", {"complete_unavailability_minutes": 5})
    assert incident.significance == "not_significant" and incident.must_report_free_form
    near_miss = services.create_incident(cloud_user, cloud, incident_data(title="Gandrīz", kind="near_miss"))
    services.assess_significance(cloud_user, near_miss, "cloud", {})
    other = make_organisation(name="SIA Cits", sector="health")
    other_incident = services.create_incident(make_user(Role.SUBJECT_ADMIN, other), other, incident_data())
    services.assess_significance(other_incident.created_by, other_incident, "other", {})

    # The subject sees the duty on the incident and in its list (near misses stay optional).
    assert list(selectors.unreported_non_significant(cloud_user)) == [incident]
    sign_in(client, cloud_user)
    detail = client.get(reverse("incidents:detail", args=[incident.public_id])).content.decode()
    assert 'id="free-form-duty"' in detail and "123. p." in detail
    listing = client.get(reverse("incidents:list")).content.decode()
    assert 'id="unreported"' in listing and incident.reference in listing and "SIA Cits" not in listing
    assert reverse("incidents:submit", args=[incident.public_id, "voluntary"]) in listing

    # The CSIRT sees every subject's unreported ones, without opening them.
    client.logout()
    sign_in(client, csirt)
    inbox = client.get(reverse("incidents:inbox")).content.decode()
    assert incident.reference in inbox and other_incident.reference in inbox and "Pikšķerēšanas" not in inbox
    assert client.get(reverse("incidents:detail", args=[incident.public_id])).status_code == 404

    # Reported in free form: the duty is met and the lists drop it.
    client.logout()
    sign_in(client, cloud_user)
    page = client.get(reverse("incidents:submit", args=[incident.public_id, "voluntary"])).content.decode()
    assert "Ziņojums brīvā formā" in page and 'name="description"' in page
    client.post(reverse("incidents:submit", args=[incident.public_id, "voluntary"]), {"description": "Vēstule."})
    report = incident.reports.get()
    assert report.stage == "voluntary" and "22-TA-3183 p.123" in str(report.snapshot)
    assert list(selectors.unreported_non_significant(cloud_user)) == []
    assert (
        'id="free-form-duty"' not in client.get(reverse("incidents:detail", args=[incident.public_id])).content.decode()
    )
    assert list(selectors.unreported_non_significant(csirt)) == [other_incident]


def test_p48_a_change_is_logged_within_24_hours_like_the_first_logging(client, cloud, cloud_user):
    """p. 48: "Subjekts nodrošina ziņu reģistrēšanu žurnālā ne vēlāk kā 24 stundu laikā no kiberincidenta
    konstatēšanas brīža vai pēc jebkādām izmaiņām iepriekš žurnālā norādītajās ziņās." """
    from datetime import timedelta

    from django.utils import timezone

    incident = services.create_incident(
        cloud_user, cloud, incident_data(detected_at=timezone.now() - timedelta(days=3))
    )
    late = services.update_incident(
        cloud_user, incident, {"impact": "Skarti 300 klienti.", "change_known_at": timezone.now() - timedelta(hours=30)}
    )
    services.update_incident(cloud_user, late, {"causes": "Beidzies sertifikāts."})
    services.update_incident(cloud_user, late, {"causes": "Beidzies sertifikāts."})  # no change: nothing logged
    first, second = incident.changes.all()
    assert first.fields == ["impact"] and not first.logged_in_time
    assert second.fields == ["causes"] and second.logged_in_time
    with pytest.raises(services.ServiceError) as refused:
        services.update_incident(
            cloud_user, late, {"title": "X", "change_known_at": timezone.now() + timedelta(days=1)}
        )
    assert refused.value.field == "change_known_at" and incident.changes.count() == 2
    sign_in(client, cloud_user)
    page = client.get(reverse("incidents:detail", args=[incident.public_id])).content.decode()
    assert page.count('class="log-change"') == 2 and "vēlāk nekā 24 h" in page


def test_nis2_23_5_csirt_feedback_deadline_and_23_6_cross_border_hand_off(
    client, significant_incident, cloud_user, csirt
):
    """NIS2 Art. 23(5): the CSIRT "provide[s] without undue delay and where possible within 24 hours of
    receiving the early warning, a response" — in the sweep's reminders, the overdue list and the iCal
    feed; Art. 23(6): for a cross-border incident the affected member states are recorded and the case is
    passed to the single point of contact (NKC), with the time it was passed on."""
    from datetime import timedelta

    from kiber.incidents import answers
    from kiber.incidents.calendar_feed import build
    from kiber.incidents.models import Notification, SentReminder
    from kiber.incidents.sweep import run_sweep
    from tests.incidents.conftest import EW_ANSWERS

    data = {**answers.prefill(significant_incident, "early_warning", cloud_user), **EW_ANSWERS}
    report = services.submit_report(cloud_user, significant_incident, "early_warning", data)
    due = report.submitted_at + timedelta(hours=24)
    feed = build(csirt).decode().replace("\r\n ", "")
    assert "CERT.LV sākotnējā atgriezeniskā saite (jāsniedz)" in feed
    run_sweep(due + timedelta(minutes=5))
    run_sweep(due + timedelta(minutes=10))
    reminders = SentReminder.objects.filter(incident=significant_incident, stage="csirt_feedback")
    assert list(reminders.values_list("kind", flat=True)) == ["overdue"]
    assert Notification.objects.filter(user=csirt, subject__contains="atgriezeniskā saite").count() == 1

    # Cross-border: member states and the hand-off to NKC as the single point of contact.
    with pytest.raises(services.ServiceError):
        services.set_cross_border(csirt, significant_incident, True, states=["XX"])
    incident = services.set_cross_border(csirt, significant_incident, True, states=["LT", "EE"], handed_off=True)
    assert incident.cross_border_states == ["EE", "LT"] and incident.spoc_handoff_at is not None
    handed = incident.spoc_handoff_at
    incident = services.set_cross_border(csirt, incident, True, states=["EE"], handed_off=True)
    assert incident.spoc_handoff_at == handed  # the moment it was passed on is kept
    sign_in(client, csirt)
    page = client.get(reverse("incidents:detail", args=[incident.public_id])).content.decode()
    assert "nodots NKC (vienotais kontaktpunkts)" in page and "NIS2 Art.23(6)" in page
