"""The auditor register (p. 125–129): the Committee registers, corrects and removes; the public list."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kiber.audit.models import AuditEntry
from kiber.supervision import services
from kiber.supervision.models import Auditor, AuditorChange
from tests.supervision.conftest import PDF, auditor_data, certificate
from tests.support import sign_in

pytestmark = pytest.mark.django_db


def _post_data(**fields) -> dict:
    data = {
        "kind": "legal_person",
        "name": "SIA Jaunais Auditors",
        "registration_number": "40003654321",
        "registration_country": "lv",
        "citizenships": "",
        "address": "Rīga",
        "email": "info@jaunais.lv",
        "phone": "+37120000000",
        "website": "",
        "contact_person": "",
        "board_members": "Anna Valde; LV\nPēteris Padome; EE, LV",
        "beneficial_owners": "Anna Valde; LV",
        "shareholders": "Holding SIA; J; LV",
        "technical_capability": "Ievainojamību skeneri.",
        "application_signed_on": "2026-11-20",
        "certificate_kind": "ISO/IEC 27001 Lead Auditor",
        "certificate_holder": "Anna Valde",
        "certificate_file": SimpleUploadedFile("la.pdf", PDF, content_type="application/pdf"),
    }
    return data | fields


def test_committee_registers_and_public_lists_without_sign_in(client, committee, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    sign_in(client, committee)
    response = client.post(reverse("supervision:auditor_create"), _post_data())
    auditor = Auditor.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("supervision:auditor", args=[auditor.pk])
    assert auditor.eligible and "22-TA-3183 p.125.1" in auditor.eligibility["basis"]
    assert auditor.board_members[1] == {"name": "Pēteris Padome", "citizenships": ["EE", "LV"]}
    assert AuditEntry.objects.filter(object_type="supervision.auditor", action="create", actor=committee).exists()
    page = client.get(reverse("supervision:auditor", args=[auditor.pk])).content.decode()
    assert "125.1." in page and "la.pdf" in page

    client.logout()
    public = client.get(reverse("supervision:public_register")).content.decode()
    assert "SIA Jaunais Auditors" in public and "ISO/IEC 27001 Lead Auditor" in public
    assert "Anna Valde" not in public and "Holding" not in public  # p. 93 data is not public
    data = json.loads(client.get(reverse("supervision:public_register_json")).content)
    assert [a["name"] for a in data["auditors"]] == ["SIA Jaunais Auditors"]
    assert set(data["auditors"][0]) == {
        "name",
        "kind",
        "registration_number",
        "registration_country",
        "email",
        "phone",
        "website",
        "certificates",
        "registered_on",
    }
    csv = client.get(reverse("supervision:public_register_csv"))
    assert csv["Content-Disposition"].startswith("attachment") and "SIA Jaunais Auditors" in csv.content.decode(
        "utf-8-sig"
    )


def test_auditor_outside_p93_countries_is_refused_and_nothing_saved(client, committee, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    sign_in(client, committee)
    response = client.post(
        reverse("supervision:auditor_create"), _post_data(registration_country="CN", board_members="Li Wei; CN")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "93.1.1." in " ".join(form.errors["registration_country"])
    assert "93.1.2." in " ".join(form.errors["board_members"])
    assert (
        not Auditor.objects.exists() and not AuditEntry.objects.filter(object_type__startswith="supervision").exists()
    )


def test_bad_certificate_file_is_a_field_error(client, committee, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    sign_in(client, committee)
    bad = SimpleUploadedFile("cert.pdf", b"<html>not a pdf", content_type="application/pdf")
    response = client.post(reverse("supervision:auditor_create"), _post_data(certificate_file=bad))
    assert response.context["certificate_form"].errors["certificate_file"]
    assert not Auditor.objects.exists()


def test_correction_keeps_eligibility_or_is_refused(committee, registered):
    services.correct_auditor(committee, registered, auditor_data(phone="+37167222222", version=1), [])
    registered.refresh_from_db()
    assert registered.phone == "+37167222222" and registered.version == 2
    with pytest.raises(services.ServiceError) as exc:
        services.correct_auditor(committee, registered, auditor_data(registration_country="CN", version=2), [])
    assert "128.2" in exc.value.errors[""][0]
    registered.refresh_from_db()
    assert registered.registration_country == "LV"


def test_stale_correction_is_refused(client, committee, registered):
    sign_in(client, committee)
    url = reverse("supervision:auditor_edit", args=[registered.pk])
    services.correct_auditor(committee, Auditor.objects.get(), auditor_data(phone="1", version=1), [])
    data = {k: v for k, v in _post_data().items() if not k.startswith("certificate")}
    response = client.post(url, data | {"version": 1})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert Auditor.objects.get().name == "SIA Audits un Drošība"


def test_removal_needs_a_p128_reason_fitting_the_kind(client, committee, registered):
    with pytest.raises(services.ServiceError):
        services.remove_auditor(committee, registered, "128.6", "miris", None)  # a company cannot die
    sign_in(client, committee)
    client.post(
        reverse("supervision:auditor_remove", args=[registered.pk]),
        {"reason": "128.4", "note": "Pēcpārbaudē konstatēts nekvalitatīvs audits.", "version": 1},
    )
    registered.refresh_from_db()
    assert registered.status == "removed" and registered.removal_reason == "128.4"
    entry = AuditEntry.objects.get(object_type="supervision.auditor", action="remove")
    assert entry.changes["basis"] == "22-TA-3183 p.128.4"
    client.logout()
    assert "SIA Audits un Drošība" not in client.get(reverse("supervision:public_register")).content.decode()


def test_auditor_reports_a_change_and_lateness_is_tracked(client, auditor_user, registered, committee):
    sign_in(client, auditor_user)
    client.post(
        reverse("supervision:change_report", args=[registered.pk]),
        {"changed_on": "2020-01-10", "description": "Jauns valdes loceklis."},
    )
    change = AuditorChange.objects.get()
    assert change.due_on.isoformat() == "2020-02-10" and change.late
    sign_in(client, committee)
    assert "Novēloti" in client.get(reverse("supervision:auditors")).content.decode()
    client.post(reverse("supervision:change_handle", args=[change.pk]), {"note": "Precizēts."})
    change.refresh_from_db()
    assert change.handled_by == committee


def test_certificate_copy_only_for_committee_and_the_auditor(
    client, registered, committee, auditor_user, make_user, subject_admin
):
    cert = registered.certificates.get()
    url = reverse("supervision:certificate", args=[cert.pk])
    sign_in(client, subject_admin)
    assert client.get(url).status_code == 404
    assert client.get(reverse("supervision:auditors")).status_code == 403
    sign_in(client, auditor_user)
    assert client.get(url).status_code == 200
    sign_in(client, committee)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF


def test_yearly_review_reminder(client, committee, registered):
    sign_in(client, committee)
    assert "Jāpārskata" in client.get(reverse("supervision:auditors")).content.decode()
    client.post(reverse("supervision:register_review"), {"note": "Visi atbilst."})
    page = client.get(reverse("supervision:auditors")).content.decode()
    assert "Jāpārskata" not in page
    client.logout()
    assert "pārskatīts" in client.get(reverse("supervision:public_register")).content.decode()


def test_extra_certificate_added(committee, registered):
    services.add_certificate(committee, registered, certificate("CISSP", "cissp.png", b"\x89PNG\r\n\x1a\nxx"))
    assert [c.title for c in registered.certificates.all()] == ["CISA", "CISSP"]


def test_committee_home_shows_the_next_duties_with_basis(client, committee, registered, auditor_user):
    services.report_change(auditor_user, registered, registered.registered_on, "Jauna adrese.")
    page = sign_in(client, committee).get(reverse("web:home")).content.decode()
    assert "Pārskatīt auditoru sarakstu" in page and "129. p." in page
    assert "Izskatīt auditora ziņas par izmaiņām: SIA Audits un Drošība" in page
