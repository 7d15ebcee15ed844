"""Pages and API: the workflow over HTTP, 422 with field paths, audit of reads, and scoping (404)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kiber.audit.models import AuditEntry
from kiber.compliance import services
from kiber.compliance.models import Answer, Evidence, Requirement
from kiber.registry.choices import Role
from kiber.registry.models import ApiToken
from tests.compliance.conftest import class_a_system
from tests.compliance.test_services import answer_everything
from tests.support import sign_in


@pytest.fixture
def submitted(catalogue, organisation, subject_admin):
    system = class_a_system(organisation)
    assessment = services.start_assessment(subject_admin, organisation)
    answer_everything(subject_admin, assessment)
    answer = Answer.objects.get(assessment=assessment, requirement__ref="22-TA-3183:53.1", system=system)
    evidence = services.add_evidence(subject_admin, answer, SimpleUploadedFile("mfa.txt", b"MFA ieslegta\n"))
    version = services.submit_assessment(subject_admin, assessment)
    return assessment, version, evidence


def _pages(assessment, version, evidence):
    pk = assessment.pk
    return [
        ("get", reverse("compliance:assessment", args=[pk])),
        ("post", reverse("compliance:answer", args=[pk, Requirement.objects.get(ref="22-TA-3183:11.1").pk, 0])),
        ("post", reverse("compliance:submit", args=[pk])),
        ("get", reverse("compliance:answers_xlsx", args=[pk]) + f"?v={version.number}"),
        ("get", reverse("compliance:version", args=[pk, version.number])),
        ("get", reverse("compliance:version_pdf", args=[pk, version.number])),
        ("get", reverse("compliance:evidence", args=[evidence.pk])),
        ("post", reverse("compliance:evidence_delete", args=[evidence.pk])),
    ]


def _api(assessment, version):
    base = f"/api/v1/compliance/assessments/{assessment.pk}"
    return [
        ("get", base, None),
        ("put", base + "/answers", {"requirement": "22-TA-3183:11.1", "status": "implemented"}),
        ("post", base + "/submit", None),
        ("get", base + f"/versions/{version.number}", None),
        ("post", base + f"/versions/{version.number}/review", {"decision": "accepted"}),
    ]


@pytest.mark.django_db
def test_subject_pages_render(client, catalogue, organisation, subject_admin):
    class_a_system(organisation)
    sign_in(client, subject_admin)
    assert client.get(reverse("compliance:home")).status_code == 200
    response = client.post(reverse("compliance:start"))
    assessment = organisation.self_assessments.get()
    assert response.status_code == 302
    page = client.get(reverse("compliance:assessment", args=[assessment.pk]) + "?section=3.7")
    assert page.status_code == 200 and "53.1. punkts" in page.content.decode()
    assert client.get(reverse("compliance:catalogue") + "?mine=1").status_code == 200
    xlsx = client.get(reverse("compliance:catalogue_xlsx"))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get(reverse("compliance:answers_xlsx", args=[assessment.pk])).content[:2] == b"PK"
    assert AuditEntry.objects.filter(action="read", object_id=str(assessment.pk)).exists()


@pytest.mark.django_db
def test_answer_form_with_evidence_and_errors(client, catalogue, organisation, subject_admin):
    system = class_a_system(organisation)
    assessment = services.start_assessment(subject_admin, organisation)
    sign_in(client, subject_admin)
    mfa = Requirement.objects.get(ref="22-TA-3183:53.1")
    url = reverse("compliance:answer", args=[assessment.pk, mfa.pk, system.pk])
    prefix = f"item-{mfa.pk}-{system.pk}"
    bad = client.post(url, {f"{prefix}-status": "not_applicable"})
    assert bad.status_code == 422 and not Answer.objects.exists()
    bad_file = client.post(url, {f"{prefix}-status": "implemented",
                                 f"{prefix}-file": SimpleUploadedFile("x.exe", b"MZ")})
    assert bad_file.status_code == 422 and not Evidence.objects.exists()
    ok = client.post(url, {f"{prefix}-status": "implemented", f"{prefix}-comment": "TOTP visiem",
                           f"{prefix}-file": SimpleUploadedFile("mfa.pdf", b"%PDF-1.4 test")})
    assert ok.status_code == 302
    answer = Answer.objects.get(requirement=mfa, system=system)
    assert answer.status == "implemented" and answer.evidence.get().original_name == "mfa.pdf"


@pytest.mark.django_db
def test_supervisor_reviews_in_the_browser_flow(client, submitted, nkc_supervisor):
    assessment, version, evidence = submitted
    sign_in(client, nkc_supervisor)
    home = client.get(reverse("compliance:home"))
    assert home.status_code == 200 and assessment.organisation.name in home.content.decode()
    url = reverse("compliance:version", args=[assessment.pk, version.number])
    assert client.get(url).status_code == 200
    assert client.get(reverse("compliance:heatmap")).status_code == 200
    pdf = client.get(reverse("compliance:version_pdf", args=[assessment.pk, version.number]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    missing = client.post(url, {"decision": "revision_required"})
    assert missing.status_code == 200 and "Norādiet" in missing.content.decode()
    key = version.snapshot["items"][0]["key"]
    response = client.post(url, {"decision": "revision_required", f"item:{key}": "Pievienojiet rīkojumu."})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == "revision_required"
    assert AuditEntry.objects.filter(action="read", object_id=str(version.pk)).exists()


@pytest.mark.django_db
def test_api_flow_and_422(client, catalogue, organisation, subject_admin, nkc_supervisor):
    _, key = ApiToken.issue(subject_admin, "ci")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert len(client.get("/api/v1/compliance/requirements", **headers).json()) == Requirement.objects.count()
    created = client.post("/api/v1/compliance/assessments", **headers)
    assert created.status_code == 201
    pk = created.json()["id"]
    applicable = client.get("/api/v1/compliance/applicable", **headers).json()
    assert applicable and all(item["system_id"] is None for item in applicable)
    url = f"/api/v1/compliance/assessments/{pk}/answers"
    bad = client.put(url, {"requirement": "22-TA-3183:11.1", "status": "partial"}, content_type="application/json",
                     **headers)
    assert bad.status_code == 422
    locs = {tuple(e["loc"]) for e in bad.json()["detail"]}
    assert ("body", "payload", "gap_owner") in locs and ("body", "payload", "target_date") in locs
    bad_enum = client.put(url, {"requirement": "22-TA-3183:11.1", "status": "maybe"},
                          content_type="application/json", **headers)
    assert bad_enum.status_code == 422 and not Answer.objects.exists()
    good = client.put(url, {"requirement": "22-TA-3183:11.1", "status": "partial", "gap_owner": "IT",
                            "target_date": "2027-01-31"}, content_type="application/json", **headers)
    assert good.status_code == 200 and good.json()["target_date"] == "2027-01-31"
    not_ready = client.post(f"/api/v1/compliance/assessments/{pk}/submit", **headers)
    assert not_ready.status_code == 422
    assert any(e["loc"][:3] == ["body", "payload", "answers"] for e in not_ready.json()["detail"])
    assessment = organisation.self_assessments.get()
    answer_everything(subject_admin, assessment)
    submitted = client.post(f"/api/v1/compliance/assessments/{pk}/submit", **headers)
    assert submitted.status_code == 201 and submitted.json()["recipients"] == ["nkc"]
    _, nkc_key = ApiToken.issue(nkc_supervisor, "nkc")
    review = client.post(f"/api/v1/compliance/assessments/{pk}/versions/1/review", {"decision": "accepted"},
                         content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {nkc_key}")
    assert review.status_code == 201 and review.json()["reviews"][0]["decision"] == "accepted"
    assert date.fromisoformat(client.get(f"/api/v1/compliance/assessments/{pk}", **headers).json()["due_date"])


@pytest.mark.django_db
def test_other_organisation_gets_404_everywhere(client, submitted, make_user, other_organisation):
    assessment, version, evidence = submitted
    stranger = make_user(Role.SUBJECT_ADMIN, other_organisation)
    sign_in(client, stranger)
    for method, url in _pages(assessment, version, evidence):
        assert getattr(client, method)(url).status_code == 404, url
    _, key = ApiToken.issue(stranger, "x")
    for method, url, body in _api(assessment, version):
        kwargs = {"content_type": "application/json"} if body is not None else {}
        response = getattr(client, method)(url, body, HTTP_AUTHORIZATION=f"Bearer {key}", **kwargs) \
            if body is not None else getattr(client, method)(url, HTTP_AUTHORIZATION=f"Bearer {key}")
        assert response.status_code == 404, url
    assert Answer.objects.filter(assessment=assessment).count() > 0
    assert not AuditEntry.objects.filter(action="read", actor=stranger).exists()


@pytest.mark.django_db
def test_roles_without_access_and_sector_scoping(client, submitted, make_user):
    assessment, version, evidence = submitted
    for role, kwargs in [(Role.AUDITOR, {}), (Role.CSIRT_ANALYST, {}),
                         (Role.NKC_SUPERVISOR, {"supervised_sectors": ["health"]})]:
        user = make_user(role, None, **kwargs)
        sign_in(client, user)
        for method, url in _pages(assessment, version, evidence):
            assert getattr(client, method)(url).status_code == 404, (role, url)
    sab = make_user(Role.SAB_OFFICER, None)
    sign_in(client, sab)  # not a CI owner: SAB does not receive it
    assert client.get(reverse("compliance:version", args=[assessment.pk, 1])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["versions/1", "versions/0"])
def test_assessment_id_beyond_bigint_is_404(client, subject_admin, nkc_supervisor, path):
    # Found by the schemathesis run: the foreign key lookup overflowed on SQLite (500).
    for user in (subject_admin, nkc_supervisor):
        _, key = ApiToken.issue(user, "x")
        response = client.get(f"/api/v1/compliance/assessments/{2**63}/{path}", HTTP_AUTHORIZATION=f"Bearer {key}")
        assert response.status_code == 404
    review = client.post(
        f"/api/v1/compliance/assessments/{2**63}/{path}/review",
        {"decision": "accepted"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert review.status_code == 404
