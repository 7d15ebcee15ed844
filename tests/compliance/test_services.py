"""Self-assessment workflow: answers, evidence, submit (frozen version), review, resubmission, diff."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kiber.audit.models import AuditEntry
from kiber.compliance import services
from kiber.compliance.models import (
    AssessmentStatus,
    AssessmentVersion,
    Delivery,
    Requirement,
    RequirementScore,
    SectionScore,
)
from kiber.documents import digest
from tests.compliance.conftest import class_a_system

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def answer_everything(actor, assessment, status="implemented"):
    for row in services.working_items(assessment):
        data = {"status": status}
        if row.item.circumstances:
            data = {"status": "not_applicable", "justification": "Nav ārpakalpojumu."}
        elif status in ("partial", "not_implemented"):
            data.update(gap_owner="IT vadītājs", target_date=date(2027, 3, 1))
        services.save_answer(actor, assessment, row.item.requirement, row.item.system, data)


@pytest.fixture
def assessment(catalogue, organisation, subject_admin):
    return services.start_assessment(subject_admin, organisation)


@pytest.mark.django_db
def test_campaign_year_and_basis_from_the_rule(assessment, organisation):
    schedule = organisation.compliance_schedule
    assert assessment.year == schedule.next_due.year and assessment.due_date == schedule.next_due
    assert any("p.151" in b for b in assessment.due_basis) and any("p.152" in b for b in assessment.due_basis)


@pytest.mark.django_db
def test_answer_validation(assessment, subject_admin):
    requirement = Requirement.objects.get(ref="22-TA-3183:11.1")
    with pytest.raises(ValidationError) as excinfo:
        services.save_answer(subject_admin, assessment, requirement, None, {"status": "not_applicable"})
    assert "justification" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        services.save_answer(subject_admin, assessment, requirement, None, {"status": "partial"})
    assert {"gap_owner", "target_date"} <= set(excinfo.value.message_dict)
    with pytest.raises(ValidationError):
        services.save_answer(subject_admin, assessment, requirement, None, {"status": "maybe"})
    mfa = Requirement.objects.get(ref="22-TA-3183:53.1")
    with pytest.raises(ValidationError) as excinfo:  # no class A system: not applicable, cannot be answered
        services.save_answer(subject_admin, assessment, mfa, None, {"status": "implemented"})
    assert "requirement" in excinfo.value.message_dict
    assert not assessment.answers.exists()


@pytest.mark.django_db
def test_evidence_type_and_size_checked(assessment, subject_admin):
    requirement = Requirement.objects.get(ref="22-TA-3183:11.1")
    answer = services.save_answer(subject_admin, assessment, requirement, None, {"status": "implemented"})
    evidence = services.add_evidence(subject_admin, answer, SimpleUploadedFile("rikojums.pdf", PDF))
    assert evidence.size == len(PDF) and len(evidence.sha256) == 64 and evidence.file.read() == PDF
    for name, content in [("x.exe", b"MZ"), ("fake.pdf", b"<html>"), ("empty.txt", b""),
                          ("big.txt", b"a" * (services.MAX_EVIDENCE_BYTES + 1))]:
        with pytest.raises(ValidationError) as excinfo:
            services.add_evidence(subject_admin, answer, SimpleUploadedFile(name, content))
        assert "file" in excinfo.value.message_dict
    assert answer.evidence.count() == 1


@pytest.mark.django_db
def test_submit_requires_every_item(assessment, subject_admin):
    with pytest.raises(ValidationError) as excinfo:
        services.submit_assessment(subject_admin, assessment)
    assert "answers" in excinfo.value.message_dict
    assert not AssessmentVersion.objects.exists()


@pytest.mark.django_db
def test_submit_freezes_a_version_and_sends_it(
    assessment, organisation, subject_admin, nkc_supervisor, settings, django_capture_on_commit_callbacks
):
    settings.KIBER_JOBS_BACKEND = "inline"
    organisation.is_ci_owner = True
    organisation.save()
    system = class_a_system(organisation)
    answer_everything(subject_admin, assessment)
    with django_capture_on_commit_callbacks() as callbacks:
        version = services.submit_assessment(subject_admin, assessment)
    assert not version.pdf  # rendered after the commit, outside the request
    callbacks[0]()
    version.refresh_from_db()
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED and version.number == 1
    assert version.sha256 == digest(version.snapshot)
    assert version.pdf.read().startswith(b"%PDF") and version.restricted
    assert set(Delivery.objects.filter(version=version).values_list("recipient", flat=True)) == {"nkc", "sab"}
    keys = {item["key"] for item in version.snapshot["items"]}
    assert f"22-TA-3183:53.1#{system.pk}" in keys
    assert version.overall_score == 1.0
    assert SectionScore.objects.filter(version=version, section="", current=True).get().score == 1.0
    assert RequirementScore.objects.filter(version=version).count() > 50
    assert AuditEntry.objects.filter(action="submit", object_id=str(version.pk)).exists()
    with pytest.raises(PermissionError):
        version.save()
    with pytest.raises(PermissionError):
        version.delete()
    with pytest.raises(ValidationError):  # submitted: not editable until the reviewer asks for a revision
        services.save_answer(subject_admin, assessment, Requirement.objects.get(ref="22-TA-3183:11.1"), None,
                             {"status": "partial", "gap_owner": "x", "target_date": date(2027, 1, 1)})


@pytest.mark.django_db
def test_review_revision_resubmit_and_diff(assessment, subject_admin, nkc_supervisor):
    answer_everything(subject_admin, assessment)
    v1 = services.submit_assessment(subject_admin, assessment)
    key = "22-TA-3183:11.1"
    with pytest.raises(ValidationError) as excinfo:
        services.review_version(nkc_supervisor, v1, "revision_required", "", {"nope": "x"})
    assert "item_comments.nope" in excinfo.value.message_dict
    services.review_version(nkc_supervisor, v1, "revision_required", "Precizējiet.", {key: "Pievienojiet rīkojumu."})
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.REVISION
    services.save_answer(subject_admin, assessment, Requirement.objects.get(ref=key), None,
                         {"status": "partial", "gap_owner": "Valde", "target_date": date(2027, 1, 31)})
    v2 = services.submit_assessment(subject_admin, assessment)
    assert v2.number == 2 and v2.overall_score < 1.0
    current = SectionScore.objects.filter(organisation=assessment.organisation, current=True, section="")
    assert current.get().version == v2
    differences = services.diff_snapshots(v1.snapshot, v2.snapshot)
    assert [d["key"] for d in differences] == [key]
    assert differences[0]["changes"]["status"] == ["implemented", "partial"]
    with pytest.raises(ValidationError):  # only the latest version is reviewed
        services.review_version(nkc_supervisor, v1, "accepted")
    services.review_version(nkc_supervisor, v2, "accepted")
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.ACCEPTED


@pytest.mark.django_db
def test_rollup_follows_resubmissions(assessment, subject_admin, nkc_supervisor):
    from kiber.compliance.models import RequirementRollup

    answer_everything(subject_admin, assessment)
    v1 = services.submit_assessment(subject_admin, assessment)
    row = RequirementRollup.objects.get(requirement__ref="22-TA-3183:11.1")
    assert (row.score_sum, row.count, row.sector) == (1.0, 1, "banking")
    services.review_version(nkc_supervisor, v1, "revision_required", "Precizējiet.")
    services.save_answer(subject_admin, assessment, Requirement.objects.get(ref="22-TA-3183:11.1"), None,
                         {"status": "partial", "gap_owner": "Valde", "target_date": date(2027, 1, 31)})
    services.submit_assessment(subject_admin, assessment)
    row.refresh_from_db()
    assert (row.score_sum, row.count) == (0.5, 1)
    before = {(r.requirement_id, r.sector): (r.score_sum, r.count) for r in RequirementRollup.objects.all()}
    services.rebuild_rollup()
    rows = RequirementRollup.objects.filter(count__gt=0)
    after = {(r.requirement_id, r.sector): (r.score_sum, r.count) for r in rows}
    assert {k: v for k, v in before.items() if v[1]} == after


@pytest.mark.django_db
def test_light_scoring_equals_the_working_scores(assessment, organisation, subject_admin):
    class_a_system(organisation)
    answer_everything(subject_admin, assessment, status="partial")
    services.save_answer(subject_admin, assessment, Requirement.objects.get(ref="22-TA-3183:11.1"), None,
                         {"status": "implemented"})
    rows = services.working_items(assessment)
    assert services.assessment_scores(assessment) == services.working_scores(rows)
