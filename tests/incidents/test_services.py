from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from kiber.audit.services import history, verify
from kiber.documents import digest
from kiber.incidents import answers, services
from kiber.incidents.deadlines import due_moments
from kiber.incidents.models import Delivery, Incident, Report
from kiber.rules.base import RuleInputError
from tests.incidents.conftest import EW_ANSWERS, incident_data

pytestmark = pytest.mark.django_db


def submit_ew(user, incident, **extra):
    data = {**answers.prefill(incident, "early_warning", user), **EW_ANSWERS, **extra}
    return services.submit_report(user, incident, "early_warning", data)


def test_log_entry_with_number_24h_rule_and_audit(cloud, cloud_user):
    incident = services.create_incident(cloud_user, cloud, incident_data())
    assert incident.number == 1 and incident.reference.endswith("-0001")
    assert incident.logged_in_time
    late = services.create_incident(cloud_user, cloud, incident_data(detected_at=timezone.now() - timedelta(hours=30)))
    assert late.number == 2 and not late.logged_in_time
    services.update_incident(cloud_user, incident, {"resolution": "resolved"})
    incident.refresh_from_db()
    assert incident.resolved_at is not None
    actions = [e.action for e in history(incident)]
    assert actions == ["create", "update"]
    assert verify()[1] == []


def test_unknown_type_code_is_refused(cloud, cloud_user):
    with pytest.raises(services.ServiceError) as exc:
        services.create_incident(cloud_user, cloud, incident_data(type_codes=["42"]))
    assert exc.value.field == "type_codes"
    assert not Incident.objects.exists()


def test_significance_cloud_45_minutes_is_art_7a(significant_incident, cloud_user):
    assert significant_incident.significance == "significant"
    assert "CIR 2024/2690 Art.7(a)" in significant_incident.significance_result["criteria"]
    assert significant_incident.significance_by == cloud_user and significant_incident.significance_at
    assert significant_incident.aware_at is not None


def test_significance_bad_input_is_rule_error(cloud, cloud_user):
    incident = services.create_incident(cloud_user, cloud, incident_data())
    with pytest.raises(RuleInputError):
        services.assess_significance(cloud_user, incident, "cloud", {"complete_unavailability_minutes": -1})
    incident.refresh_from_db()
    assert incident.significance == "not_assessed"


def test_override_needs_reason(cloud, cloud_user):
    incident = services.create_incident(cloud_user, cloud, incident_data())
    with pytest.raises(services.ServiceError):
        services.assess_significance(cloud_user, incident, "other", {}, override="significant")
    incident = services.assess_significance(cloud_user, incident, "other", {}, override="significant",
                                            override_reason="Ietekme uz citiem subjektiem")
    assert incident.significance == "significant"


def test_early_warning_frozen_routed_and_deadlines(significant_incident, cloud_user,
                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = submit_ew(cloud_user, significant_incident)
    assert report.version == 1
    assert report.sha256 == digest(report.snapshot)
    assert report.snapshot["answers"]["subject_name"] == "SIA Mākoņpakalpojumi"
    deliveries = {(d.recipient, d.channel): d.status for d in Delivery.objects.all()}
    assert deliveries == {("csirt", "inbox"): "delivered", ("csirt", "email"): "delivered"}
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["cert@cert.lv"]
    report.refresh_from_db()
    assert report.pdf and report.pdf.read(4) == b"%PDF"
    moments = {m.stage: m for m in due_moments(significant_incident)}
    assert moments["early_warning"].done
    assert moments["initial_report"].due_at == significant_incident.clock_start + timedelta(hours=72)


def test_report_is_immutable_and_correction_is_new_version(significant_incident, cloud_user):
    first = submit_ew(cloud_user, significant_incident)
    with pytest.raises(PermissionError):
        first.save()
    with pytest.raises(PermissionError):
        first.delete()
    second = submit_ew(cloud_user, significant_incident, summary="Labots apraksts")
    assert second.version == 2 and second.sha256 != first.sha256
    assert Report.objects.get(pk=first.pk).answers == first.answers


def test_prefill_from_previous_report(significant_incident, cloud_user):
    submit_ew(cloud_user, significant_incident, summary="No agrīnā brīdinājuma")
    initial = answers.prefill(significant_incident, "initial_report", cloud_user)
    assert initial["summary"] == "No agrīnā brīdinājuma"
    assert initial["previous_report_reference"].endswith("/early_warning/v1")
    assert initial["significance_criteria"] == ["cir_3_1_f"]


def test_missing_answers_save_nothing(significant_incident, cloud_user):
    with pytest.raises(answers.AnswerErrors) as exc:
        services.submit_report(cloud_user, significant_incident, "early_warning", {"summary": "x"})
    assert "subject_name" in exc.value.errors
    assert not Report.objects.exists() and not Delivery.objects.exists()


def test_datetime_answer_without_offset_is_refused(significant_incident, cloud_user):
    data = {**answers.prefill(significant_incident, "early_warning", cloud_user), **EW_ANSWERS,
            "detected_at": "2025-03-01T10:00:00"}
    with pytest.raises(answers.AnswerErrors) as exc:
        services.submit_report(cloud_user, significant_incident, "early_warning", data)
    assert list(exc.value.errors) == ["detected_at"]


def test_stage_order_and_voluntary(cloud, cloud_user, significant_incident):
    assert services.allowed_stages(significant_incident) == ["early_warning"]
    with pytest.raises(services.ServiceError):
        services.submit_report(cloud_user, significant_incident, "voluntary", {"description": "x"})
    near = services.create_incident(cloud_user, cloud, incident_data(kind="near_miss"))
    report = services.submit_report(cloud_user, near, "voluntary", {"description": "Gandrīz notika"})
    assert report.stage == "voluntary"


def test_sab_routing_for_essential(make_organisation, make_user):
    from kiber.registry.choices import Role

    org = make_organisation(name="AS Elektrība", category="essential")
    user = make_user(Role.SUBJECT_ADMIN, org)
    incident = services.create_incident(user, org, incident_data())
    incident = services.assess_significance(user, incident, "other", {"deaths": 1})
    report = submit_ew(user, incident)
    assert report.routed_to_sab
    assert set(Delivery.objects.values_list("recipient", flat=True)) == {"csirt", "sab"}


def test_intermediate_request_opens_stage(significant_incident, cloud_user, csirt):
    submit_ew(cloud_user, significant_incident)
    services.request_intermediate(csirt, significant_incident, "Lūdzu precizēt", None)
    significant_incident.refresh_from_db()
    assert "intermediate_report" not in services.allowed_stages(significant_incident)  # needs initial first
    data = {**answers.prefill(significant_incident, "initial_report", cloud_user), **EW_ANSWERS, "severity": "high",
            "affected_properties": ["availability"], "measures_taken": "x", "impact_assessment": "y",
            "affected_services": "z"}
    services.submit_report(cloud_user, significant_incident, "initial_report", data)
    assert "intermediate_report" in services.allowed_stages(significant_incident)
