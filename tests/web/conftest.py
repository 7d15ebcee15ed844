"""Fixtures of the stored-file tests: one stored file of each kind, and a hostile attachment."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kiber.compliance import services as compliance
from kiber.compliance.loader import load_catalogue
from kiber.compliance.models import Answer
from kiber.incidents import services as incidents
from kiber.registry import services as registry
from tests.compliance.conftest import class_a_system
from tests.compliance.test_services import answer_everything
from tests.registry.conftest import status_data

EVIL = b"<script>alert(document.cookie)</script>"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KIBER_JOBS_BACKEND = "inline"
    settings.KIBER_INCIDENT_ROUTES = {"csirt": {"email": "cert@cert.lv"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def report(media, organisation, subject_admin):
    """An early warning of organisation A with an ``evil.html`` attachment."""
    return incidents.report_early_warning(
        subject_admin, organisation,
        {"title": "Nepieejamība", "detected_at": timezone.now() - timedelta(hours=1), "type_codes": ["06"],
         "description": "Pilnīga nepieejamība 45 minūtes."},
        "cloud", {"complete_unavailability_minutes": 45},
        {"suspected_malicious": "no", "cross_border_impact": "unknown"},
        [incidents.NewAttachment("evil.html", EVIL)],
    )


@pytest.fixture
def stored(report, organisation, subject_admin):
    """One of each stored file of organisation A: submission PDF, self-assessment PDF and evidence,
    incident report PDF and attachment."""
    submission = registry.submit_status_notification(subject_admin, organisation, status_data())
    load_catalogue()
    system = class_a_system(organisation)
    assessment = compliance.start_assessment(subject_admin, organisation)
    answer_everything(subject_admin, assessment)
    answer = Answer.objects.get(assessment=assessment, requirement__ref="22-TA-3183:53.1", system=system)
    evidence = compliance.add_evidence(subject_admin, answer, SimpleUploadedFile("mfa.txt", b"MFA ieslegta\n"))
    version = compliance.submit_assessment(subject_admin, assessment)
    return {
        "submission": submission, "version": version, "evidence": evidence, "report": report,
        "attachment": report.attachments.get(), "urls": [
            reverse("registry:submission_pdf", args=[submission.pk]),
            reverse("compliance:version_pdf", args=[assessment.pk, version.number]),
            reverse("compliance:evidence", args=[evidence.pk]),
            reverse("compliance:answers_xlsx", args=[assessment.pk]) + f"?v={version.number}",
            reverse("incidents:report_pdf", args=[report.pk]),
            reverse("incidents:attachment", args=[report.attachments.get().pk]),
            reverse("incidents:export", args=[report.incident.public_id, "json"]),
        ],
    }
