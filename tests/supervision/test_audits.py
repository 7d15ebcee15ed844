"""Compliance audits (p. 130–131): recorded by the subject, followed by NKC/SAB, read by the named auditor."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kiber.assets.models import InformationSystem
from kiber.audit.models import AuditEntry
from kiber.registry.choices import Role
from kiber.supervision import audit_services, services
from kiber.supervision.models import Audit, AuditFinding
from tests.supervision.conftest import auditor_data, certificate
from tests.support import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank(make_organisation):
    return make_organisation(name="AS Banka KI", is_ci_owner=True)


@pytest.fixture
def bank_admin(make_user, bank):
    return make_user(Role.SUBJECT_ADMIN, bank)


@pytest.fixture
def core_system(bank):
    return InformationSystem.objects.create(organisation=bank, name="Kodolbanka", security_class="A")


def form_data(auditor, **fields) -> dict:
    data = {
        "auditor": auditor.pk,
        "scope": "Atbilstība 22-TA-3183 3. nodaļai",
        "contract_signed_on": "2026-10-01",
        "guarantee_130_1": "on",
        "guarantee_130_2": "on",
        "guarantee_130_3": "on",
        "guarantee_130_4": "on",
        "auditor_last_involved_on": "",
        "sab_opinion_on": "2026-09-15",
        "sab_opinion_reference": "SAB-2026/77",
        "status": "in_progress",
        "starts_on": "",
        "completed_on": "",
    }
    return data | fields


def test_bank_records_an_audit_with_the_checks_and_their_basis(client, bank_admin, registered, core_system):
    sign_in(client, bank_admin)
    response = client.post(reverse("supervision:audit_create"), form_data(registered, systems=[core_system.pk]))
    audit = Audit.objects.get()
    assert response.status_code == 302
    assert [c["basis"] for c in audit.checks] == [
        "22-TA-3183 p.125",
        "22-TA-3183 p.130.1",
        "22-TA-3183 p.130.2",
        "22-TA-3183 p.130.3",
        "22-TA-3183 p.130.4",
        "22-TA-3183 p.130.3",
        "22-TA-3183 p.131",
    ]
    assert list(audit.systems.all()) == [core_system]
    assert AuditEntry.objects.filter(chain=str(audit.organisation_id), object_type="supervision.audit").exists()
    page = client.get(reverse("supervision:audit", args=[audit.pk])).content.decode()
    assert "131." in page and "Kodolbanka" in page


@pytest.mark.parametrize(
    ("fields", "error_field", "text"),
    [
        ({"sab_opinion_on": ""}, "sab_opinion_on", "131."),
        ({"sab_opinion_on": "2026-10-02"}, "sab_opinion_on", "131."),
        ({"auditor_last_involved_on": "2024-03-01"}, "auditor_last_involved_on", "130.3."),
        ({"guarantee_130_2": ""}, "guarantee_130_2", "130.2."),
    ],
)
def test_bad_audits_are_refused_and_nothing_saved(client, bank_admin, registered, fields, error_field, text):
    sign_in(client, bank_admin)
    data = {k: v for k, v in form_data(registered, **fields).items() if v != "" or k not in ("guarantee_130_2",)}
    response = client.post(reverse("supervision:audit_create"), data)
    assert response.status_code == 200
    assert text in " ".join(response.context["form"].errors[error_field])
    assert not Audit.objects.exists()


def test_three_years_ago_is_independent_again(bank, bank_admin, registered):
    data = {k: v for k, v in form_data(registered).items()}
    data.update(
        auditor=registered,
        contract_signed_on=date(2026, 10, 1),
        sab_opinion_on=date(2026, 9, 1),
        auditor_last_involved_on=date(2023, 10, 1),
        guarantee_130_1=True,
        guarantee_130_2=True,
        guarantee_130_3=True,
        guarantee_130_4=True,
        starts_on=None,
        completed_on=None,
    )
    audit = audit_services.create_audit(bank_admin, bank, data, [])
    assert audit.checks[5] == {"check": "independence_3_years", "basis": "22-TA-3183 p.130.3", "ok": True}


def test_removed_auditor_cannot_be_named(bank, bank_admin, registered, committee):
    services.remove_auditor(committee, registered, "128.1", "Lūdza izslēgt.", None)
    data = form_data(registered)
    data.update(
        auditor=registered,
        contract_signed_on=date(2026, 10, 1),
        sab_opinion_on=date(2026, 9, 1),
        auditor_last_involved_on=None,
        starts_on=None,
        completed_on=None,
        **{f"guarantee_130_{i}": True for i in range(1, 5)},
    )
    with pytest.raises(services.ServiceError) as exc:
        audit_services.create_audit(bank_admin, bank, data, [])
    assert "125." in exc.value.errors["auditor"][0]


@pytest.fixture
def audit(bank, bank_admin, registered):
    data = {
        "auditor": registered,
        "scope": "Visa infrastruktūra",
        "contract_signed_on": date(2026, 10, 1),
        "auditor_last_involved_on": None,
        "sab_opinion_on": date(2026, 9, 1),
        "sab_opinion_reference": "",
        "status": "in_progress",
        "starts_on": None,
        "completed_on": None,
        **{f"guarantee_130_{i}": True for i in range(1, 5)},
    }
    return audit_services.create_audit(bank_admin, bank, data, [])


def test_findings_become_actions_followed_by_the_supervisor(client, audit, bank_admin, make_user, other_organisation):
    sign_in(client, bank_admin)
    overdue = timezone.localdate() - timedelta(days=3)
    client.post(
        reverse("supervision:finding_create", args=[audit.pk]),
        {
            "title": "Nav žurnālfailu centralizācijas",
            "severity": "high",
            "requirement": "58. p.",
            "action": "Ieviest SIEM",
            "owner": "IT direktors",
            "due_on": overdue.isoformat(),
            "status": "open",
        },
    )
    finding = AuditFinding.objects.get()
    assert finding.owner == "IT direktors" and finding.due_on == overdue
    assert "Audita pasākums: Nav žurnālfailu centralizācijas" in client.get(reverse("web:home")).content.decode()

    sab = make_user(Role.SAB_OFFICER)
    sign_in(client, sab)
    home = client.get(reverse("web:home")).content.decode()
    assert "AS Banka KI: Audita pasākums: Nav žurnālfailu centralizācijas" in home
    assert "nokavēts" in client.get(reverse("supervision:audits")).content.decode()
    assert client.get(reverse("supervision:finding_edit", args=[finding.pk])).status_code == 403  # reads only

    for role, org in ((Role.SUBJECT_ADMIN, other_organisation), (Role.CSIRT_ANALYST, None)):
        sign_in(client, make_user(role, org))
        assert client.get(reverse("supervision:audit", args=[audit.pk])).status_code == 404
        assert "Nav žurnālfailu" not in client.get(reverse("supervision:audits")).content.decode()


def test_stale_finding_edit_is_refused(client, audit, bank_admin):
    finding = audit_services.add_finding(
        bank_admin,
        audit,
        {
            "title": "A",
            "severity": "low",
            "requirement": "",
            "action": "B",
            "owner": "C",
            "due_on": date(2027, 1, 1),
            "status": "open",
            "done_on": None,
            "note": "",
        },
    )
    audit_services.update_finding(
        bank_admin,
        finding,
        {**{k: getattr(finding, k) for k in audit_services.FINDING_FIELDS}, "status": "in_progress", "version": 1},
    )
    sign_in(client, bank_admin)
    response = client.post(
        reverse("supervision:finding_edit", args=[finding.pk]),
        {
            "title": "A",
            "severity": "low",
            "action": "B",
            "owner": "C",
            "due_on": "2027-01-01",
            "status": "done",
            "done_on": "2026-12-01",
            "version": 1,
        },
    )
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    finding.refresh_from_db()
    assert finding.status == "in_progress"


def test_named_auditor_sees_its_audit_and_report(client, audit, auditor_user, bank_admin, committee, make_user):
    sign_in(client, bank_admin)
    upload = SimpleUploadedFile("zinojums.pdf", b"%PDF-1.4 report", content_type="application/pdf")
    client.post(reverse("supervision:audit_report_upload", args=[audit.pk]), {"report": upload})
    audit.refresh_from_db()
    assert audit.report_name == "zinojums.pdf"

    sign_in(client, auditor_user)
    home = client.get(reverse("web:home")).content.decode()
    assert "Audits: AS Banka KI" in home and "Platformā vēl nav auditu sadaļas" not in home
    assert client.get(reverse("supervision:audit", args=[audit.pk])).status_code == 200
    response = client.get(reverse("supervision:audit_report", args=[audit.pk]))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 report"
    assert client.get(reverse("supervision:audit_edit", args=[audit.pk])).status_code == 403

    other_auditor = services.register_auditor(committee, auditor_data(name="SIA Cits"), certificate(), [])
    stranger = make_user(Role.AUDITOR)
    other_auditor.users.add(stranger)
    sign_in(client, stranger)
    assert client.get(reverse("supervision:audit", args=[audit.pk])).status_code == 404
