"""Stored and generated files (issue 10, finding 1): no public URL, every download checked and inert.

Every download view scopes its object with the selector of the object's page, then answers through
``kiber.web.files.download``: an attachment with a whitelisted type (else octet-stream) and nosniff.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.urls import reverse

from kiber.registry.choices import Role
from kiber.web import files
from tests.support import sign_in
from tests.web.conftest import EVIL

pytestmark = pytest.mark.django_db
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
