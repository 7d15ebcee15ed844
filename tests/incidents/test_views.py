from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from kiber.incidents import answers, services
from kiber.incidents.models import Incident, Report
from kiber.registry.choices import Role
from tests.incidents.conftest import EW_ANSWERS
from tests.support import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(significant_incident, cloud_user):
    data = {**answers.prefill(significant_incident, "early_warning", cloud_user), **EW_ANSWERS}
    report = services.submit_report(cloud_user, significant_incident, "early_warning", data)
    return significant_incident, report


def test_subject_records_and_assesses_in_the_browser_flow(client, cloud_user):
    sign_in(client, cloud_user)
    response = client.post(reverse("incidents:create"), {
        "kind": "incident", "title": "Krātuve nepieejama", "detected_at": "2026-01-10T10:00",
        "type_codes": ["06"], "description": "45 min", "resolution": "in_progress", "tlp": "amber",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    incident = Incident.objects.get()
    assert incident.detected_at.isoformat() == "2026-01-10T08:00:00+00:00"  # Riga wall clock -> UTC
    response = client.post(reverse("incidents:assess", args=[incident.public_id]),
                           {"entity_type": "cloud", "complete_unavailability_minutes": "45"})
    assert response.status_code == 302
    page = client.get(reverse("incidents:detail", args=[incident.public_id])).content.decode()
    assert "CIR 2024/2690 Art.7(a)" in page
    form = client.get(reverse("incidents:submit", args=[incident.public_id, "early_warning"]))
    assert form.status_code == 200 and "SIA Mākoņpakalpojumi" in form.content.decode()


def test_report_form_errors_save_nothing(client, cloud_user, significant_incident):
    sign_in(client, cloud_user)
    response = client.post(reverse("incidents:submit", args=[significant_incident.public_id, "early_warning"]),
                           {"summary": ""})
    assert response.status_code == 200
    assert not Report.objects.exists()


def test_pages_render(client, cloud_user, reported, csirt):
    incident, report = reported
    sign_in(client, cloud_user)
    for url in [reverse("incidents:list"), reverse("incidents:create"), reverse("incidents:notices"),
                reverse("incidents:detail", args=[incident.public_id]),
                reverse("incidents:edit", args=[incident.public_id]),
                reverse("incidents:assess", args=[incident.public_id]),
                reverse("incidents:submit", args=[incident.public_id, "initial_report"]),
                reverse("incidents:report", args=[report.pk]),
                reverse("incidents:report_pdf", args=[report.pk])]:
        assert client.get(url).status_code == 200, url
    for fmt in ("json", "stix", "misp"):
        assert client.get(reverse("incidents:export", args=[incident.public_id, fmt])).status_code == 200
    client.logout()
    sign_in(client, csirt)
    for url in [reverse("incidents:inbox"), reverse("incidents:stats"), reverse("incidents:stats_xlsx"),
                reverse("incidents:export_xlsx"), reverse("incidents:detail", args=[incident.public_id]),
                reverse("incidents:report", args=[report.pk])]:
        assert client.get(url).status_code == 200, url


def test_csirt_workspace_actions(client, reported, csirt):
    incident, report = reported
    sign_in(client, csirt)
    inbox = client.get(reverse("incidents:inbox")).content.decode()
    assert incident.reference in inbox
    client.post(reverse("incidents:acknowledge", args=[incident.public_id]), {"feedback": "Saņemts"})
    client.post(reverse("incidents:request_intermediate", args=[incident.public_id]), {"note": "Precizēt"})
    client.post(reverse("incidents:cross_border", args=[incident.public_id]), {"value": "1"})
    client.post(reverse("incidents:review", args=[report.pk]), {"status": "more_info", "note": "Trūkst IoC"})
    incident.refresh_from_db()
    assert incident.acknowledged_at and incident.intermediate_requested_at and incident.cross_border
    assert report.reviews.last().status == "more_info"
    assert incident.notices.exists()  # the subject was told


def test_link_related_across_subjects(client, reported, csirt, make_organisation, make_user):
    incident, _ = reported
    other_org = make_organisation(name="SIA Otrs")
    user = make_user(Role.SUBJECT_USER, other_org)
    other = services.create_incident(user, other_org, {"title": "x", "detected_at": incident.detected_at,
                                                       "type_codes": ["06"], "description": "y"})
    services.submit_report(user, other, "voluntary", {"description": "y"})
    sign_in(client, csirt)
    client.post(reverse("incidents:link", args=[incident.public_id]), {"reference": other.reference})
    assert list(incident.related.all()) == [other]


def test_sab_does_not_see_reports_not_routed_to_it(client, reported, sab):
    incident, report = reported
    sign_in(client, sab)
    assert incident.reference not in client.get(reverse("incidents:inbox")).content.decode()
    assert client.get(reverse("incidents:detail", args=[incident.public_id])).status_code == 404
    assert client.get(reverse("incidents:report", args=[report.pk])).status_code == 404


def test_another_organisation_gets_404_everywhere(client, reported, make_user, other_organisation):
    incident, report = reported
    stranger = make_user(Role.SUBJECT_ADMIN, other_organisation)
    sign_in(client, stranger)
    pid = incident.public_id
    gets = [
        reverse("incidents:detail", args=[pid]), reverse("incidents:edit", args=[pid]),
        reverse("incidents:assess", args=[pid]), reverse("incidents:submit", args=[pid, "initial_report"]),
        reverse("incidents:report", args=[report.pk]), reverse("incidents:report_pdf", args=[report.pk]),
        *[reverse("incidents:export", args=[pid, f]) for f in ("json", "stix", "misp")],
        reverse("incidents:inbox"), reverse("incidents:stats"), reverse("incidents:stats_xlsx"),
        reverse("incidents:export_xlsx"),
    ]
    for url in gets:
        assert client.get(url).status_code in (403, 404), url
    posts = [
        reverse("incidents:edit", args=[pid]), reverse("incidents:assess", args=[pid]),
        reverse("incidents:submit", args=[pid, "initial_report"]),
        reverse("incidents:acknowledge", args=[pid]), reverse("incidents:request_intermediate", args=[pid]),
        reverse("incidents:cross_border", args=[pid]), reverse("incidents:link", args=[pid]),
        reverse("incidents:review", args=[report.pk]),
        reverse("incidents:retry_delivery", args=[report.deliveries.first().pk]),
    ]
    for url in posts:
        assert client.post(url, {}).status_code in (403, 404), url
    assert incident.reference not in client.get(reverse("incidents:list")).content.decode()


def test_calendar_feed_needs_the_secret(client, cloud_user, reported):
    from icalendar import Calendar

    from kiber.incidents.calendar_feed import feed_path

    incident, _report = reported
    # Known moments: aware 10 Mar 2026 10:00 Riga (EET, UTC+2), early warning sent 14:00 Riga, resolved
    # 20 Mar (before the final report's month runs out, so no progress report).
    Incident.objects.filter(pk=incident.pk).update(
        detected_at=datetime(2026, 3, 10, 7, 0, tzinfo=UTC),
        aware_at=datetime(2026, 3, 10, 8, 0, tzinfo=UTC),
        resolved_at=datetime(2026, 3, 20, 9, 0, tzinfo=UTC),
    )
    Report.objects.filter(incident=incident).update(submitted_at=datetime(2026, 3, 10, 12, 0, tzinfo=UTC))
    sign_in(client, cloud_user)
    client.get(reverse("incidents:notices"))
    path = feed_path(cloud_user, cloud_user.incident_calendar)
    client.logout()
    body = client.get(path)
    assert body.status_code == 200 and body["Content-Type"].startswith("text/calendar")
    events = {
        str(event["uid"]).removeprefix(f"{incident.public_id}-").removesuffix("@kiber"): event
        for event in Calendar.from_ical(body.content).walk("VEVENT")
    }
    # Hand-computed (p. 122, NIS2 Art. 23(4)): early warning aware + 24 h; initial report aware + 72 h; final
    # report one calendar month in Riga after the initial report's due moment: 13 Mar 10:00 EET -> 13 Apr
    # 10:00 EEST (summer time since 29 Mar), so 07:00 UTC, not 08:00.
    expected = {
        "early_warning": datetime(2026, 3, 11, 8, 0, tzinfo=UTC),
        "initial_report": datetime(2026, 3, 13, 8, 0, tzinfo=UTC),
        "final_report": datetime(2026, 4, 13, 7, 0, tzinfo=UTC),
    }
    assert sorted(events) == sorted(expected)
    assert b"DTSTART:20260311T080000Z" in body.content  # UTC, not a TZID the feed does not define
    for stage, due in expected.items():
        assert events[stage].decoded("dtstart") == due, stage
        assert events[stage].decoded("dtend") == due, stage
    assert "(iesniegts)" in str(events["early_warning"]["summary"])
    assert not events["early_warning"].walk("VALARM")  # done: no reminder
    assert "NOKAVĒTS" in str(events["initial_report"]["summary"])
    assert events["initial_report"].walk("VALARM")[0].decoded("trigger") == -timedelta(hours=2)
    assert "Agr" in str(events["early_warning"]["summary"])
    assert client.get(path.replace(path.split("/")[-1], "x.ics")).status_code == 404
