"""Stored and generated files (issue 10, finding 1): no public URL, every download checked and inert.

Every download view scopes its object with the selector of the object's page, then answers through
``kiber.web.files.download``: an attachment with a whitelisted type (else octet-stream) and nosniff.
"""

from __future__ import annotations

import os
import subprocess
import sys
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
from kiber.registry.choices import Role
from kiber.web import files
from tests.compliance.conftest import class_a_system
from tests.compliance.test_services import answer_everything
from tests.registry.conftest import status_data
from tests.support import sign_in

pytestmark = pytest.mark.django_db
EVIL = b"<script>alert(document.cookie)</script>"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KIBER_INCIDENTS_BACKGROUND = "inline"
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


def test_every_download_is_denied_to_anonymous_and_to_another_organisation(
    client, stored, make_user, organisation, other_organisation, subject_admin
):
    for url in stored["urls"]:
        anonymous = client.get(url)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/"), url
    sign_in(client, make_user(Role.SUBJECT_ADMIN, other_organisation))
    for url in stored["urls"]:
        assert client.get(url).status_code in (403, 404), url
    sign_in(client, subject_admin)
    for url in stored["urls"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Disposition"].startswith("attachment;"), url
        assert response["X-Content-Type-Options"] == "nosniff", url
    # The downloads rendered the PDFs: every stored name is generated, none tells whose file it is.
    for key in ("submission", "version", "report"):
        stored[key].refresh_from_db()
    names = [stored["submission"].pdf.name, stored["version"].pdf.name, stored["evidence"].file.name,
             stored["report"].pdf.name, stored["attachment"].file.name]
    assert all(names) and len(set(names)) == len(names)
    for name in names:
        assert organisation.registration_number not in name and "evil" not in name and "INC-" not in name, name
        assert not name.endswith(".html"), name
    assert stored["attachment"].name == "evil.html"  # the client's name is kept in the database


def test_an_uploaded_html_file_comes_back_inert(client, report, subject_admin):
    attachment = report.attachments.get()
    sign_in(client, subject_admin)
    response = client.get(reverse("incidents:attachment", args=[attachment.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="evil.html"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == EVIL
    report_page = client.get(reverse("incidents:report", args=[report.pk])).content.decode()
    assert reverse("incidents:attachment", args=[attachment.pk]) in report_page


def test_no_media_url_resolves_in_any_mode(tmp_path):
    """Django's DEBUG media route is gone: with and without KIBER_DEBUG, /media/ resolves to nothing."""
    script = (
        "import django; django.setup()\n"
        "from django.urls import Resolver404, resolve\n"
        "try:\n    resolve('/media/submissions/2026/01/x.pdf')\nexcept Resolver404:\n    print('unresolved')\n"
    )
    for debug in ("0", "1"):
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kiber.settings", "KIBER_VAR_DIR": str(tmp_path),
               "KIBER_DEBUG": debug}
        env.pop("DATABASE_URL", None)
        result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
        assert result.stdout.strip() == "unresolved", (debug, result.stdout, result.stderr)


def test_stored_files_have_no_url(report):
    with pytest.raises(ValueError):
        report.attachments.get().file.url  # noqa: B018 - the property itself must refuse


@pytest.mark.parametrize(
    "name, expected",
    [
        ("report.pdf", "application/pdf"),
        ("sheet.XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("letter.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("list.csv", "text/csv; charset=utf-8"),
        ("evil.html", "application/octet-stream"),
        ("evil.svg", "application/octet-stream"),
        ("evil.js", "application/octet-stream"),
        ("noextension", "application/octet-stream"),
    ],
)
def test_content_type_comes_from_the_whitelist(name, expected):
    assert files.download(b"x", name)["Content-Type"] == expected


def test_front_server_serves_the_body_when_configured(settings, report):
    attachment = report.attachments.get()
    settings.PROTECTED_FILES, settings.PROTECTED_FILES_PREFIX = "x-accel", "/protected/"
    response = files.download(attachment.file, attachment.name)
    assert response["X-Accel-Redirect"] == f"/protected/{attachment.file.name}"
    assert response.content == b"" and response["Content-Type"] == "application/octet-stream"
    settings.PROTECTED_FILES = "x-sendfile"
    response = files.download(attachment.file, attachment.name)
    assert response["X-Sendfile"] == attachment.file.path and response.content == b""
    settings.PROTECTED_FILES = ""
    assert b"".join(files.download(attachment.file, attachment.name).streaming_content) == EVIL


def test_non_ascii_names_are_encoded():
    response = files.download(b"%PDF-", 'Pārskats "Nr. 1".pdf')
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''P%C4%81rskats%20%22Nr.%201%22.pdf"


def test_generated_name_keeps_only_a_whitelisted_suffix():
    name = files.GeneratedName("incidents/attachments")
    assert name(None, "../../evil.html").startswith("incidents/attachments/")
    assert "evil" not in name(None, "../../evil.html") and not name(None, "evil.html").endswith(".html")
    assert name(None, "40003000001-manager-v1.pdf").endswith(".pdf")
    assert "40003000001" not in name(None, "40003000001-manager-v1.pdf")
