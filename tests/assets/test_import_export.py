"""Import with preview (every bad row reported, nothing saved), atomic confirm, export round-trip."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from kiber.assets import importers, services
from kiber.assets.models import InformationResource, InformationSystem, ResponsiblePerson, SystemDependency
from kiber.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

HEADER = [
    "system",
    "in_ci_set",
    "depends_on",
    "resource",
    "personal_data_subjects",
    "restricted_information",
    "tolerated_unplanned_downtime_pct",
]


def csv_file(rows, name="katalogs.csv"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


GOOD = [
    ["Internetbanka", "nē", "Datu centrs", "Klientu dati", "1 200 000", "jā", "0,5"],
    ["Internetbanka", "", "", "Žurnāli", "0", "0", "1"],
    ["Datu centrs", "0", "", "Virtualizācija", "0", "nē", "2"],
]


def test_two_bad_rows_are_both_reported_and_nothing_is_saved(subject_client, organisation):
    rows = GOOD + [
        ["Grāmatvedība", "", "", "Algas", "daudz", "nē", "3"],  # row 5: not a number
        ["Grāmatvedība", "", "", "Rēķini", "10", "varbūt", "300"],  # row 6: bad yes/no, downtime > 100
    ]
    before = AuditEntry.objects.count()
    response = subject_client.post(reverse("assets:import"), {"file": csv_file(rows)})
    assert response.status_code == 200
    plan = response.context["plan"]
    assert not plan.ok
    reported = {(e.row, e.field) for e in plan.errors}
    assert (5, "personal_data_subjects") in reported
    assert (6, "restricted_information") in reported
    assert (6, "tolerated_unplanned_downtime_pct") in reported
    assert {e.row for e in plan.errors} == {5, 6}
    html = response.content.decode()
    assert "nekas nav saglabāts" in html
    assert not InformationSystem.objects.filter(organisation=organisation).exists()
    assert AuditEntry.objects.count() == before
    # Confirming without a clean preview saves nothing either.
    subject_client.post(reverse("assets:import_confirm"))
    assert not InformationSystem.objects.filter(organisation=organisation).exists()


def test_preview_then_confirm_saves_atomically(subject_client, organisation):
    response = subject_client.post(reverse("assets:import"), {"file": csv_file(GOOD)})
    plan = response.context["plan"]
    assert plan.ok and plan.resource_count == 3
    assert not InformationSystem.objects.filter(organisation=organisation).exists()  # preview only
    response = subject_client.post(reverse("assets:import_confirm"))
    assert response.status_code == 302
    bank = InformationSystem.objects.get(organisation=organisation, name="Internetbanka")
    centre = InformationSystem.objects.get(organisation=organisation, name="Datu centrs")
    assert bank.security_class == "A" and bank.confidentiality == "A"
    assert SystemDependency.objects.filter(dependent=bank, provider=centre).exists()
    assert centre.availability == "B"  # propagated from the bank's B availability (0.5 %)
    assert InformationResource.objects.filter(system__organisation=organisation).count() == 3


def test_dependency_cycle_and_unknown_system_in_file(organisation):
    rows = [
        {"__row": 2, "system": "A", "resource": "r", "tolerated_unplanned_downtime_pct": "5", "depends_on": "B"},
        {"__row": 3, "system": "B", "resource": "r", "tolerated_unplanned_downtime_pct": "5", "depends_on": "A"},
        {"__row": 4, "system": "C", "resource": "r", "tolerated_unplanned_downtime_pct": "5", "depends_on": "Nav"},
    ]
    plan = importers.validate(organisation, rows)
    assert {(e.row, e.field) for e in plan.errors} == {(2, "depends_on"), (3, "depends_on"), (4, "depends_on")}


def test_unknown_column_is_a_file_error(subject_client):
    bad = SimpleUploadedFile("x.csv", b"system,resource,tolerated_unplanned_downtime_pct,colour\nA,r,1,red\n")
    response = subject_client.post(reverse("assets:import"), {"file": bad})
    assert "colour" in str(response.context["form"].errors["file"])


def _catalogue(organisation):
    return sorted(
        (
            r.system.name,
            r.system.security_class,
            r.name,
            r.personal_data_subjects,
            r.restricted_information,
            r.tolerated_unplanned_downtime_pct,
            r.system.in_ci_set,
            tuple(sorted(d.provider.name for d in r.system.dependencies.all())),
        )
        for r in InformationResource.objects.filter(system__organisation=organisation).select_related("system")
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_round_trip(fmt, subject_client, subject_admin, organisation, make_organisation):
    services.create_system(
        subject_admin,
        organisation,
        {"name": "Datu centrs", "in_ci_set": True},
        [{"name": "Virtualizācija", "tolerated_unplanned_downtime_pct": 2}],
    )
    bank = services.create_system(
        subject_admin,
        organisation,
        {"name": "Internetbanka", "description": "Klientu kanāls"},
        [
            {
                "name": "Klientu dati",
                "personal_data_subjects": 1_200_000,
                "restricted_information": True,
                "tolerated_unplanned_downtime_pct": 0.05,
            },
            {"name": "Žurnāli", "tolerated_unplanned_downtime_pct": 1},
        ],
    )
    services.add_dependency(subject_admin, bank, InformationSystem.objects.get(name="Datu centrs"))
    response = subject_client.get(reverse("assets:export", args=[organisation.pk, fmt]))
    assert response.status_code == 200
    content = response.content
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(content)).active
        assert [c.value for c in sheet[1]][:2] == ["system", "system_description"]

    # Import the exported file into another subject: the same catalogue and classes come out.
    target = make_organisation(name="AS Otra Banka")
    rows = importers.read_rows(f"export.{fmt}", content)
    plan = importers.validate(target, rows)
    assert plan.ok, plan.errors
    services.import_catalogue(subject_admin, target, plan)
    assert _catalogue(target) == _catalogue(organisation)

    # Re-importing into the same subject changes nothing.
    plan = importers.validate(organisation, importers.read_rows(f"export.{fmt}", content))
    counts = services.import_catalogue(subject_admin, organisation, plan)
    assert counts == {
        "systems_created": 0,
        "systems_updated": 0,
        "resources_created": 0,
        "resources_updated": 0,
        "dependencies_created": 0,
        "persons_created": 0,
        "persons_updated": 0,
    }


def test_xlsx_import_and_templates(subject_client, organisation):
    for fmt in ("csv", "xlsx"):
        response = subject_client.get(reverse("assets:template", args=[fmt]))
        assert response.status_code == 200
        rows = importers.read_rows(f"t.{fmt}", response.content)
        assert importers.validate(organisation, rows).ok
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["Portāls", False, None, "Lietotāji", 1500000, True, 0.5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("k.xlsx", buffer.getvalue())
    assert subject_client.post(reverse("assets:import"), {"file": upload}).context["plan"].ok
    subject_client.post(reverse("assets:import_confirm"))
    assert InformationSystem.objects.get(organisation=organisation, name="Portāls").security_class == "A"


# --- responsible persons (seed 002, Table 8 #14) ------------------------------------------------------

PERSON_HEADER = [
    "system",
    "resource",
    "tolerated_unplanned_downtime_pct",
    "person_name",
    "person_position",
    "person_role",
    "person_email",
    "person_phone",
]


def person_file(rows, name="personas.csv"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(PERSON_HEADER)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


PEOPLE = [
    ["Internetbanka", "Klientu dati", "0,5", "", "", "", "", ""],
    ["Internetbanka", "", "", "Jānis Bērziņš", "IT drošības vadītājs", "owner", "janis@banka.lv", "+37167000001"],
    ["Internetbanka", "", "", "Anna Liepa", "Administratore", "Sistēmas administrators", "anna@banka.lv", ""],
]


def test_persons_with_two_bad_rows_are_both_reported_and_nothing_is_saved(subject_client, organisation):
    rows = PEOPLE + [
        ["Internetbanka", "", "", "Pēteris Kalns", "Izstrādātājs", "boss", "peteris@banka.lv", ""],  # row 5: role
        ["Internetbanka", "", "", "Ilze Ozola", "DAS", "data_protection", "nav-e-pasts", ""],  # row 6: e-mail
    ]
    before = AuditEntry.objects.count()
    response = subject_client.post(reverse("assets:import"), {"file": person_file(rows)})
    plan = response.context["plan"]
    assert {(e.row, e.field) for e in plan.errors} == {(5, "person_role"), (6, "person_email")}
    assert "nekas nav saglabāts" in response.content.decode()
    subject_client.post(reverse("assets:import_confirm"))
    assert not InformationSystem.objects.filter(organisation=organisation).exists()
    assert not ResponsiblePerson.objects.exists() and AuditEntry.objects.count() == before


def test_persons_import_preview_confirm_and_update(subject_client, organisation):
    response = subject_client.post(reverse("assets:import"), {"file": person_file(PEOPLE)})
    plan = response.context["plan"]
    assert plan.ok and plan.person_count == 2 and plan.resource_count == 1
    assert not ResponsiblePerson.objects.exists()  # preview only
    subject_client.post(reverse("assets:import_confirm"))
    people = {p.name: p for p in ResponsiblePerson.objects.filter(system__organisation=organisation)}
    assert (people["Jānis Bērziņš"].role, people["Jānis Bērziņš"].email) == ("owner", "janis@banka.lv")
    assert (people["Anna Liepa"].role, people["Anna Liepa"].position) == ("administrator", "Administratore")
    # Matched by system, name and role: a new phone updates the person, nobody is duplicated.
    changed = [PEOPLE[0], PEOPLE[1][:7] + ["+37129999999"]]
    subject_client.post(reverse("assets:import"), {"file": person_file(changed)})
    subject_client.post(reverse("assets:import_confirm"))
    assert ResponsiblePerson.objects.filter(system__organisation=organisation).count() == 2
    assert ResponsiblePerson.objects.get(name="Jānis Bērziņš").phone == "+37129999999"
    assert AuditEntry.objects.filter(action="update", object_type="assets.responsibleperson").count() == 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_persons_export_round_trip(fmt, subject_client, subject_admin, organisation, make_organisation):
    system = services.create_system(
        subject_admin,
        organisation,
        {"name": "Internetbanka"},
        [{"name": "Klientu dati", "tolerated_unplanned_downtime_pct": 1}],
    )
    services.add_person(
        subject_admin,
        system,
        {
            "name": "Jānis Bērziņš",
            "position": "Vadītājs",
            "role": "owner",
            "email": "janis@banka.lv",
            "phone": "+37167000001",
        },
    )
    services.add_person(
        subject_admin,
        system,
        {"name": "Jānis Bērziņš", "position": "Vadītājs", "role": "security", "competences": "ISO 27001"},
    )
    content = subject_client.get(reverse("assets:export", args=[organisation.pk, fmt])).content
    target = make_organisation(name="AS Otra Banka")
    plan = importers.validate(target, importers.read_rows(f"export.{fmt}", content))
    assert plan.ok, plan.errors
    services.import_catalogue(subject_admin, target, plan)

    def people(org):
        return sorted(
            (p.system.name, p.name, p.position, p.role, p.email, p.phone, p.competences)
            for p in ResponsiblePerson.objects.filter(system__organisation=org).select_related("system")
        )

    assert len(people(target)) == 2 and people(target) == people(organisation)
    assert _catalogue(target) == _catalogue(organisation)
    counts = services.import_catalogue(
        subject_admin, organisation, importers.validate(organisation, importers.read_rows(f"e.{fmt}", content))
    )
    assert counts["persons_created"] == counts["persons_updated"] == 0
