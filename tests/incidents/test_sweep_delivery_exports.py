from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import httpx
import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from kiber.incidents import answers, delivery, exports, services
from kiber.incidents.models import Delivery, DeliveryAttempt, Notification, SentReminder
from kiber.incidents.sweep import plan, run_sweep
from tests.incidents.conftest import EW_ANSWERS, incident_data

pytestmark = pytest.mark.django_db


def test_sweep_reminds_then_overdue_and_is_idempotent(cloud, cloud_user):
    data = incident_data(detected_at=timezone.now() - timedelta(hours=20))
    incident = services.create_incident(cloud_user, cloud, data)
    incident = services.assess_significance(cloud_user, incident, "cloud", {"complete_unavailability_minutes": 45})
    now = incident.clock_start + timedelta(hours=20)
    first = run_sweep(now)
    assert first.sent == 1 and SentReminder.objects.get().kind == "before"
    assert run_sweep(now).sent == 0  # running twice sends nothing twice
    later = incident.clock_start + timedelta(hours=25)
    assert run_sweep(later).sent == 1 and run_sweep(later).sent == 0
    kinds = sorted(SentReminder.objects.values_list("kind", flat=True))
    assert kinds == ["before", "overdue"]
    assert Notification.objects.filter(user=cloud_user).count() == 2
    assert len(mail.outbox) == 2 and mail.outbox[0].to == ["soc@makonis.example"]
    out = StringIO()
    call_command("sweep_deadlines", stdout=out)
    assert "notices sent" in out.getvalue()


def test_plan_is_pure_and_skips_submitted():
    from kiber.incidents.deadlines import DueMoment

    now = timezone.now()
    moments = [DueMoment("early_warning", now + timedelta(hours=1), None, ""),
               DueMoment("initial_report", now - timedelta(hours=1), None, ""),
               DueMoment("final_report", now - timedelta(hours=1), now, "")]
    expected = [("early_warning", "before"), ("initial_report", "overdue")]
    assert [(n.stage, n.kind) for n in plan(moments, now)] == expected


def _submit(user, incident):
    data = {**answers.prefill(incident, "early_warning", user), **EW_ANSWERS}
    return services.submit_report(user, incident, "early_warning", data)


def test_webhook_signed_retried_never_dropped(settings, significant_incident, cloud_user, monkeypatch):
    settings.KIBER_INCIDENT_ROUTES = {"csirt": {"webhook_url": "https://csirt.example/hook", "webhook_secret": "s3"}}
    settings.KIBER_JOBS_BACKEND = "off"
    calls = []

    def fake_post(url, content, headers, timeout):
        calls.append((url, content, headers))
        if len(calls) == 1:
            raise httpx.ConnectError("refused")
        return httpx.Response(202)

    monkeypatch.setattr(delivery.httpx, "post", fake_post)
    _submit(cloud_user, significant_incident)
    hook = Delivery.objects.get(channel="webhook")
    assert hook.status == "pending"
    assert delivery.process_due() == (0, 1)
    hook.refresh_from_db()
    assert hook.status == "failed" and "refused" in hook.last_error and hook.next_attempt_at > timezone.now()
    assert delivery.process_due() == (0, 0)  # not due yet
    assert delivery.process_due(timezone.now() + timedelta(minutes=2)) == (1, 0)
    hook.refresh_from_db()
    assert hook.status == "delivered" and hook.attempts == 2
    assert list(DeliveryAttempt.objects.filter(delivery=hook).values_list("ok", flat=True)) == [False, True]
    url, body, headers = calls[-1]
    assert delivery.verify("s3", headers["X-Kiber-Timestamp"], body, headers["X-Kiber-Signature"])
    assert json.loads(body)["snapshot"]["report"]["stage"] == "early_warning"


def test_stix_and_misp_honour_tlp(cloud, cloud_user):
    incident = services.create_incident(cloud_user, cloud, incident_data(
        indicators="203.0.113.5\nevil.example.com\n" + "a" * 64, tlp="green"))
    bundle = exports.stix_bundle(incident)
    types = [o["type"] for o in bundle["objects"]]
    assert types.count("indicator") == 3 and "incident" in types and "identity" in types
    assert all("object_marking_refs" in o for o in bundle["objects"] if o["type"] != "marking-definition")
    event = exports.misp_event(incident)["Event"]
    assert {"name": "tlp:green"} in event["Tag"] and len(event["Attribute"]) == 3 and event["distribution"] == "1"
    services.update_incident(cloud_user, incident, {"tlp": "red"})
    incident.refresh_from_db()
    assert [o["type"] for o in exports.stix_bundle(incident)["objects"]].count("indicator") == 0
    red = exports.misp_event(incident)["Event"]
    assert red["Attribute"] == [] and red["distribution"] == "0" and {"name": "tlp:red"} in red["Tag"]


def test_incident_json_has_all_versions(significant_incident, cloud_user):
    _submit(cloud_user, significant_incident)
    _submit(cloud_user, significant_incident)
    data = exports.incident_json(significant_incident)
    assert [r["version"] for r in data["reports"]] == [1, 2]
    assert all(len(r["sha256"]) == 64 for r in data["reports"])
