"""The management documentation set (p. 23–30): review due from the rule, SAB delivery (p. 28.1), bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kiber import versioning
from kiber.audit.models import AuditEntry
from kiber.governance.models import ManagementDocument
from kiber.governance.services import documents
from kiber.rules.review_intervals import add_months, add_years
from tests.governance.conftest import client_for, pdf

pytestmark = pytest.mark.django_db


def policy(**overrides):
    data = {
        "part": "policy",
        "title": "Kiberdrošības politika",
        "edition": "1.0",
        "approved_on": timezone.localdate() - timedelta(days=10),
        "approved_by": "Valdes priekšsēdētājs",
        "copy_location": "Rezerves datu centrs, ārsaistē",
        "planned_review_on": None,
        "content_points": ["30.1", "30.2"],
    }
    return {**data, **overrides}


def test_policy_review_due_from_the_rule_and_ci_delivery_due(bank, bank_admin):
    document = documents.create_document(bank_admin, bank, policy(), pdf())
    approved = document.approved_on
    assert document.review_due == add_years(approved, 3)
    assert document.review_basis == ["22-TA-3183 p.29"]
    assert document.sab_due == add_months(approved, 1)
    assert documents.sab_status(document) == "open"
    assert AuditEntry.objects.filter(chain=str(bank.pk), action="create", object_type__icontains="document").exists()


def test_plan_of_ci_owner_is_reviewed_yearly(bank, bank_admin):
    document = documents.create_document(bank_admin, bank, policy(part="plan", title="Plāns", content_points=["30.1"]))
    assert document.review_due == add_years(document.approved_on, 1)
    assert document.review_basis == ["22-TA-3183 p.41.1"]
    assert document.content_points == []


def test_important_subject_has_no_sab_delivery(make_organisation, make_user):
    from kiber.registry.choices import Role

    important = make_organisation(name="SIA Svarīgā", category="important")
    admin = make_user(Role.SUBJECT_ADMIN, important)
    document = documents.create_document(admin, important, policy(part="plan", title="Plāns"))
    assert document.sab_due is None
    assert document.review_due == add_years(document.approved_on, 3)


def test_bad_dates_are_refused_and_nothing_saved(bank, bank_admin):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as future:
        documents.create_document(bank_admin, bank, policy(approved_on=today + timedelta(days=1)))
    assert "approved_on" in future.value.message_dict
    with pytest.raises(ValidationError) as past:
        documents.create_document(bank_admin, bank, policy(planned_review_on=today - timedelta(days=1)))
    assert "planned_review_on" in past.value.message_dict
    with pytest.raises(ValidationError) as late:
        documents.create_document(bank_admin, bank, policy(planned_review_on=today + timedelta(days=4000)))
    assert "planned_review_on" in late.value.message_dict
    assert not ManagementDocument.objects.exists()


def test_wrong_file_type_is_refused(bank, bank_admin):
    fake = SimpleUploadedFile("politika.pdf", b"<html>not a pdf</html>")
    with pytest.raises(ValidationError) as exc:
        documents.create_document(bank_admin, bank, policy(), fake)
    assert "file" in exc.value.message_dict
    with pytest.raises(ValidationError):
        documents.create_document(bank_admin, bank, policy(), SimpleUploadedFile("x.html", b"<html>"))
    assert not ManagementDocument.objects.exists()


def test_new_version_replaces_and_delivery_to_sab_is_met(bank, bank_admin, sab_officer):
    first = documents.create_document(
        bank_admin, bank, policy(approved_on=timezone.localdate() - timedelta(days=400)), pdf()
    )
    second = documents.new_version(bank_admin, first, policy(edition="2.0"), pdf("v2.pdf"))
    assert second.previous == first and second.part == "policy"
    with pytest.raises(ValidationError):
        documents.new_version(bank_admin, first, policy(edition="2.1"), pdf())
    documents.deliver_to_sab(bank_admin, second)
    assert documents.sab_status(second) == "met"
    sab = client_for(sab_officer)
    listing = sab.get(reverse("governance:documents") + "?status=met")
    assert "Kiberdrošības politika" in listing.content.decode()
    page = sab.get(reverse("governance:document", args=[second.pk]))
    assert page.status_code == 200 and "Iesniegts SAB laikā" in page.content.decode()
    second.refresh_from_db()
    assert second.sab_received_at is not None
    download = sab.get(reverse("governance:document_file", args=[second.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")


def test_stale_save_is_refused(bank, bank_admin):
    document = documents.create_document(bank_admin, bank, policy())
    first = ManagementDocument.objects.get(pk=document.pk)
    second = ManagementDocument.objects.get(pk=document.pk)
    documents.update_document(bank_admin, first, {"title": "A", "version": 1})
    with pytest.raises(versioning.StaleVersion):
        documents.update_document(bank_admin, second, {"title": "B", "version": 1})
    assert ManagementDocument.objects.get(pk=document.pk).title == "A"


def test_pages_for_subject_and_form_errors(bank, bank_admin):
    client = client_for(bank_admin)
    assert client.get(reverse("governance:home")).status_code == 200
    overview = client.get(reverse("governance:overview", args=[bank.pk]))
    assert overview.status_code == 200 and "Nav reģistrēta dokumenta" in overview.content.decode()
    response = client.post(
        reverse("governance:document_new"),
        {
            "part": "policy",
            "title": "Politika",
            "edition": "1",
            "approved_by": "Valde",
            "copy_location": "Seifs",
            "approved_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 200 and "nākotnē" in response.content.decode()
    assert not ManagementDocument.objects.exists()
    response = client.post(
        reverse("governance:document_new"),
        {
            "part": "policy",
            "title": "Politika",
            "edition": "1",
            "approved_by": "Valde",
            "copy_location": "Seifs",
            "approved_on": timezone.localdate().isoformat(),
            "content_points": ["30.1", "30.5"],
            "file": pdf(),
        },
    )
    assert response.status_code == 302
    document = ManagementDocument.objects.get()
    assert document.content_points == ["30.1", "30.5"] and document.file_name == "dokuments.pdf"
    detail = client.get(document.get_absolute_url()).content.decode()
    assert "22-TA-3183 p.29" in detail and "Iesniegt SAB" in detail
    deliver = client.post(reverse("governance:document_deliver", args=[document.pk]))
    assert deliver.status_code == 302
    document.refresh_from_db()
    assert document.sab_delivered_at is not None


def test_nkc_reads_but_cannot_edit(bank, bank_admin, nkc):
    document = documents.create_document(bank_admin, bank, policy())
    client = client_for(nkc)
    assert client.get(document.get_absolute_url()).status_code == 200
    assert client.get(reverse("governance:document_edit", args=[document.pk])).status_code == 403
    assert client.get(reverse("governance:document_new")).status_code == 404
