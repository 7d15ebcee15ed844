"""The supervisors' registry pages: every list filter, the XLSX export of the filtered list, the inboxes."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from kiber.registry import services
from kiber.registry.choices import Role
from tests.registry.conftest import manager_data, status_data
from tests.support import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def subjects(make_organisation, make_user):
    """Three subjects that each filter tells apart."""
    bank = make_organisation(name="AS Filtru Banka", sector="banking", is_ci_owner=True)
    grid = make_organisation(name="AS Filtru Tīkli", sector="energy", category="important")
    water = make_organisation(name="SIA Filtru Ūdens", sector="drinking_water", category="important")
    admin = make_user(Role.SUBJECT_ADMIN, bank)
    services.submit_status_notification(admin, bank, status_data())
    services.appoint_manager(admin, bank, manager_data())
    services.appoint_manager(
        make_user(Role.SUBJECT_ADMIN, grid),
        grid,
        manager_data(email="kdp@tikli.lv", personal_code="120390-12344", first_name="Rūta"),
    )
    return bank, grid, water


def _names(client, **params) -> set[str]:
    page = client.get(reverse("registry:list"), params).content.decode()
    return {name for name in ("AS Filtru Banka", "AS Filtru Tīkli", "SIA Filtru Ūdens") if name in page}


def test_each_list_filter(nkc_client, subjects):
    assert _names(nkc_client) == {"AS Filtru Banka", "AS Filtru Tīkli", "SIA Filtru Ūdens"}
    assert _names(nkc_client, sector="energy") == {"AS Filtru Tīkli"}
    assert _names(nkc_client, category="important") == {"AS Filtru Tīkli", "SIA Filtru Ūdens"}
    assert _names(nkc_client, ci="1") == {"AS Filtru Banka"}
    assert _names(nkc_client, missing_manager="1") == {"SIA Filtru Ūdens"}
    assert _names(nkc_client, missing_notification="1") == {"AS Filtru Tīkli", "SIA Filtru Ūdens"}
    assert _names(nkc_client, q="Ūdens") == {"SIA Filtru Ūdens"}


def _xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


def test_export_is_the_filtered_list(nkc_client, subjects):
    page = nkc_client.get(reverse("registry:list"), {"category": "important"}).content.decode()
    assert reverse("registry:list_xlsx") + "?" in page  # the button carries the current filters
    rows = _xlsx_rows(nkc_client.get(reverse("registry:list_xlsx"), {"category": "important"}))
    assert rows[0][0] == "Nosaukums"
    assert sorted(r[0] for r in rows[1:]) == ["AS Filtru Tīkli", "SIA Filtru Ūdens"]
    rows = _xlsx_rows(nkc_client.get(reverse("registry:list_xlsx"), {"missing_manager": "1"}))
    assert [r[0] for r in rows[1:]] == ["SIA Filtru Ūdens"]
    water = rows[1]
    assert water[2] == "Dzeramais ūdens" and water[7] == "Nav" and water[8] == "Nav iesniegts"


def test_export_respects_sector_limit_and_roles(client, make_user, subjects):
    sign_in(client, make_user(Role.NKC_SUPERVISOR, supervised_sectors=["energy", "drinking_water"]))
    rows = _xlsx_rows(client.get(reverse("registry:list_xlsx")))
    assert sorted(r[0] for r in rows[1:]) == ["AS Filtru Tīkli", "SIA Filtru Ūdens"]
    page = client.get(reverse("registry:list")).content.decode()
    assert "Jūs uzraugāt tikai šīs nozares" in page and "AS Filtru Banka" not in page
    sign_in(client, make_user(Role.SUBJECT_ADMIN, subjects[0]))
    assert client.get(reverse("registry:list_xlsx")).status_code == 403


def test_export_in_english(nkc_client, subjects):
    nkc_client.cookies["django_language"] = "en"
    rows = _xlsx_rows(nkc_client.get(reverse("registry:list_xlsx"), {"ci": "1"}))
    assert rows[0][0] == "Name" and rows[1][0] == "AS Filtru Banka"


def test_subject_page_history_is_readable_and_links_related_records(nkc_client, subjects):
    bank = subjects[0]
    page = nkc_client.get(reverse("registry:detail", args=[bank.pk])).content.decode()
    assert "Kiberdrošības pārvaldnieks" in page and "Izveidots" in page
    assert ">create<" not in page and "registry.managerappointment" not in page  # no machine names
    assert "<strong>Personas kods</strong>" in page or "Lauki:" in page  # field labels, long change sets folded
    assert reverse("assets:organisation", args=[bank.pk]) in page


def test_history_rows_translate_fields_and_values():
    from kiber.audit.models import AuditEntry
    from kiber.registry.history import rows

    entry = AuditEntry(
        at=None,
        actor_label="x",
        action="update",
        object_type="registry.organisation",
        object_label="AS X",
        changes={
            "is_ci_owner": True,
            "employees": [10, 20],
            "unknown_key": "y" * 500,
            "system": "CRM",
            "recipients": ["nkc", "sab"],
            "kind": "status",
            "recipient": "sab",
        },
    )
    with translation.override("lv"):
        [row] = rows([entry])
    changes = dict(row.changes)
    assert row.action == "Labots" and row.object_type == "Subjekts"
    assert changes["Sistēma"] == "CRM" and changes["unknown_key"].endswith("…")
    assert "Jā" in changes.values() and "10, 20" in changes.values()
    assert changes["Saņēmēji"] == "Nacionālais kiberdrošības centrs, Satversmes aizsardzības birojs"
    assert changes["Veids"] == "Statusa paziņojums"
    assert changes["Saņēmējs"] == "Satversmes aizsardzības birojs"


def test_sab_inbox_lists_ci_owner_notifications_with_frozen_pdfs(client, make_user, subjects):
    bank, grid, _water = subjects  # bank: CI owner (status notification submitted); grid: not CI
    bank_admin = bank.users.first()
    appointment = services.active_appointment(bank)
    manager = services.submit_manager_notification(bank_admin, bank, appointment)
    services.submit_manager_notification(grid.users.first(), grid, services.active_appointment(grid))
    sign_in(client, make_user(Role.SAB_OFFICER))
    page = client.get(reverse("registry:inbox")).content.decode()
    assert "AS Filtru Banka" in page and "AS Filtru Tīkli" in page  # every manager notice goes to SAB (p. 11)
    assert reverse("registry:submission_pdf", args=[manager.pk]) in page
    assert reverse("incidents:inbox") in page  # the incident reports sent to SAB are one click away
    assert "Tikai jaunie (3)" in page
    only_manager = client.get(reverse("registry:inbox"), {"kind": "manager"}).content.decode()
    assert reverse("registry:submission", args=[manager.pk]) in only_manager
    assert "Statusa paziņojums</a>" not in only_manager
    pdf = client.get(reverse("registry:submission_pdf", args=[manager.pk]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    client.get(reverse("registry:submission", args=[manager.pk]))  # opening it marks SAB's delivery read
    assert "Tikai jaunie (2)" in client.get(reverse("registry:inbox")).content.decode()
    unread = client.get(reverse("registry:inbox"), {"unread": "1"}).content.decode()
    assert reverse("registry:submission", args=[manager.pk]) not in unread


def test_submission_page_shows_labels_not_codes(nkc_client, subjects):
    submission = subjects[0].submissions.get(kind="status")
    page = nkc_client.get(reverse("registry:submission", args=[submission.pk])).content.decode()
    rows = dict(services.snapshot_rows(submission.snapshot))
    assert rows["Paziņojuma iemesls"] == "Sākotnējais paziņojums par statusu"
    assert rows["Saņēmēji"] == "Nacionālais kiberdrošības centrs, Satversmes aizsardzības birojs"  # a CI owner
    assert rows["Kategorija"] == "Būtisks (pamatpakalpojuma sniedzējs)" and rows["Lielums"] == "Liels"
    assert rows["Gada apgrozījums, EUR"].replace("\xa0", " ") == "60 000 000"
    assert rows["Iesniegts"] == timezone.localtime(submission.submitted_at).strftime("%d.%m.%Y %H:%M")
    assert rows["Pasta adrese"] == "—"
    assert ">initial<" not in page and "Sākotnējais paziņojums par statusu" in page
