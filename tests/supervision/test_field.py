"""Security scans (p. 136–141) and early-warning sensors (p. 142–150)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kiber.assets.models import InformationSystem
from kiber.registry.choices import Role
from kiber.rules.working_days import add_working_days
from kiber.supervision import field_services as field
from kiber.supervision.models import Scan, Sensor, SensorEvent
from tests.support import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank(make_organisation):
    return make_organisation(name="AS Banka KI", is_ci_owner=True)


def _scan_post(org, starts_at, performer="csirt_on_sab_request"):
    return {
        "organisation": org.pk,
        "grounds": ["2"],
        "performer": performer,
        "whole_infrastructure": "on",
        "starts_at": timezone.localtime(starts_at).strftime("%Y-%m-%dT%H:%M"),
        "duration_hours": 6,
    }


def test_sab_cannot_schedule_a_ci_scan_sooner_than_48_hours(client, make_user, bank):
    sign_in(client, make_user(Role.SAB_OFFICER))
    response = client.post(reverse("supervision:scan_create"), _scan_post(bank, timezone.now() + timedelta(hours=30)))
    assert "139.3." in " ".join(response.context["form"].errors["starts_at"]) and not Scan.objects.exists()
    response = client.post(reverse("supervision:scan_create"), _scan_post(bank, timezone.now() + timedelta(hours=50)))
    scan = Scan.objects.get()
    assert response.status_code == 302 and scan.notice_sent_at is not None
    assert "22-TA-3183 p.139.3" in scan.obligations["basis"]


def test_performer_must_fit_the_subject(make_user, bank):
    sab = make_user(Role.SAB_OFFICER)
    data = {
        "performer": "ncc_officials",
        "starts_at": timezone.now() + timedelta(days=5),
        "duration_hours": 2,
        "grounds": ["1"],
        "whole_infrastructure": True,
    }
    with pytest.raises(field.ServiceError) as exc:
        field.schedule_scan(sab, "sab", bank, data)
    assert "137." in exc.value.errors["performer"][0]


def test_scans_are_restricted_sab_sees_only_ci_owners(client, make_user, bank, make_organisation):
    other = make_organisation(name="SIA Ne KI", category="essential")
    sab, nkc = make_user(Role.SAB_OFFICER), make_user(Role.NKC_SUPERVISOR)
    later = timezone.now() + timedelta(days=5)
    ci_scan = field.schedule_scan(
        sab,
        "sab",
        bank,
        {
            "performer": "sab_officials",
            "starts_at": later,
            "duration_hours": 2,
            "grounds": ["1"],
            "whole_infrastructure": True,
        },
    )
    nkc_scan = field.schedule_scan(
        nkc,
        "nkc",
        other,
        {
            "performer": "ncc_officials",
            "starts_at": later,
            "duration_hours": 2,
            "grounds": ["1"],
            "whole_infrastructure": True,
        },
    )
    sign_in(client, sab)
    assert client.get(reverse("supervision:scan", args=[nkc_scan.pk])).status_code == 404
    assert client.get(reverse("supervision:scan", args=[ci_scan.pk])).status_code == 200
    sign_in(client, make_user(Role.SUBJECT_ADMIN, other))
    assert client.get(reverse("supervision:scan", args=[ci_scan.pk])).status_code == 404
    client.post(reverse("supervision:scan", args=[nkc_scan.pk]), {"results_summary": "x"})
    nkc_scan.refresh_from_db()
    assert nkc_scan.results_delivered_at is None  # NKC's scan: the subject does not report its results


def test_certlv_installs_a_sensor_and_the_subject_sees_the_notice(client, make_user, bank):
    InformationSystem.objects.create(organisation=bank, name="Maksājumi", security_class="A")
    certlv = make_user(Role.CSIRT_ANALYST)
    sign_in(client, certlv)
    candidates = client.get(reverse("supervision:sensors")).context["candidates"]
    assert candidates[0]["organisation"] == bank and candidates[0]["priority"] == 1
    client.post(
        reverse("supervision:sensor_create"),
        {"organisation": bank.pk, "location": "Datu centrs, DMZ", "operator": "CERT.LV"},
    )
    sensor = Sensor.objects.get()
    today = timezone.localdate()
    client.post(
        reverse("supervision:sensor", args=[sensor.pk]), {"kind": "installation", "on": today.isoformat(), "note": ""}
    )
    event = SensorEvent.objects.get()
    sensor.refresh_from_db()
    assert sensor.state == "installed" and event.subject_notice_due == add_working_days(today, 5)
    assert event.sab_informed_at is not None and event.subject_informed_on is None  # CI: SAB at once (p. 148)
    assert "Informēt subjektu par sensoru: AS Banka KI" in client.get(reverse("web:home")).content.decode()
    client.post(reverse("supervision:sensor_inform", args=[event.pk]))
    event.refresh_from_db()
    assert event.subject_informed_on == today

    sign_in(client, make_user(Role.SUBJECT_ADMIN, bank))
    assert "CERT.LV paziņojums: Uzstādīšana — Datu centrs, DMZ" in client.get(reverse("web:home")).content.decode()
    assert client.post(reverse("supervision:sensor", args=[sensor.pk]), {"kind": "dismantling"}).status_code == 403


def test_no_sensor_where_a_csirt_soc_runs(make_user, bank):
    certlv = make_user(Role.CSIRT_ANALYST)
    field.assess_siting(certlv, bank, True, ["1"], "SOC kopš 2025")
    with pytest.raises(field.ServiceError) as exc:
        field.plan_sensor(certlv, bank, "DMZ", [], "CERT.LV")
    assert "150." in exc.value.errors["organisation"][0]
