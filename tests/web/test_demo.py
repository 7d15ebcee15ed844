"""``kiber demo`` (what ``make run`` loads): the data a new user is promised, accounts that work, loaded once.

One test, because loading the demo is the expensive part (tens of seconds).
"""

from __future__ import annotations

import io
import re

from django.core.management import call_command
from django.urls import reverse

from kiber.compliance.models import AssessmentVersion
from kiber.incidents.models import Incident
from kiber.plans.models import Task
from kiber.registry.choices import Role
from kiber.registry.models import Organisation, Submission, User


def printed_password(output: str, username: str) -> str:
    row = re.search(rf"^\|\s*{re.escape(username)}\s*\|.*$", output, re.M)
    assert row, f"{username} is not in the printed accounts table"
    return [cell.strip() for cell in row.group(0).strip("|").split("|")][3]


def counts() -> tuple[int, int, int]:
    return Organisation.objects.count(), User.objects.count(), Submission.objects.count()


def test_demo_loads_once_with_working_accounts(db, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KIBER_JOBS_BACKEND = "off"
    out = io.StringIO()
    call_command("demo", stdout=out)
    printed = out.getvalue()

    subjects = Organisation.objects.all()
    assert 28 <= subjects.count() <= 35
    sectors = set(subjects.values_list("sector", flat=True))
    assert {"banking", "energy", "health", "public_administration", "digital_infrastructure"} <= sectors
    assert subjects.filter(entity_kind="qualified_trust_service_provider").exists()
    for role in (Role.NKC_SUPERVISOR, Role.SAB_OFFICER, Role.CSIRT_ANALYST, Role.AUDITOR, Role.PLATFORM_ADMIN):
        assert User.objects.filter(role=role).exists(), role
    assert Submission.objects.exists() and AssessmentVersion.objects.exists() and Incident.objects.exists()
    assert Task.objects.count() == 58 + 19

    # Issue 16: the demo shows p. 11, p. 107.3, p. 123 and p. 15–17.
    from kiber.incidents import selectors as incident_selectors
    from kiber.registry.models import CIDesignation, Delivery, ManagerAppointment

    sab_manager_notices = Delivery.objects.filter(recipient="sab", submission__kind="manager")
    assert sab_manager_notices.filter(organisation__is_ci_owner=False).exists()
    assert CIDesignation.objects.filter(notice="inclusion").exists() and subjects.filter(is_ci_owner=True).exists()
    assert incident_selectors.unreported_non_significant(User.objects.get(username="certlv")).exists()
    assert ManagerAppointment.objects.filter(sab_check="not_done", sab_check_due_at__isnull=False).exists()

    # A printed account signs in and sees its subject's registry page.
    credentials = {"username": "banka.admin", "password": printed_password(printed, "banka.admin")}
    assert client.post("/login/", credentials).status_code == 302
    page = client.get(reverse("registry:own"))
    assert page.status_code == 200 and "AS Daugavas Banka" in page.content.decode()

    # Frozen PDFs are rendered after the commit; the demo's process does not wait, the first download renders.
    submission = Submission.objects.filter(organisation__name="AS Daugavas Banka", pdf="").first()
    assert submission is not None
    response = client.get(reverse("registry:submission_pdf", args=[submission.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    submission.refresh_from_db()
    assert submission.pdf

    # make run again: nothing loaded twice, no passwords printed again.
    before = counts()
    again = io.StringIO()
    call_command("demo", "--if-empty", stdout=again)
    assert counts() == before and "banka.admin" not in again.getvalue()
