"""The hash-chained audit log and ``kiber audit verify`` (issue 2, item 3)."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from kiber.audit.models import AuditEntry
from kiber.audit.services import record, record_many, verify

pytestmark = pytest.mark.django_db


def test_chain_links_each_entry_to_the_previous(organisation, subject_admin):
    first = record(subject_admin, "create", organisation, organisation_id=organisation.pk, changes={"a": 1})
    second = record(subject_admin, "update", organisation, organisation_id=organisation.pk, changes={"a": [1, 2]})
    assert second.prev_hash == first.hash
    assert second.sequence == first.sequence + 1
    assert verify() == (2, [])


def test_entries_cannot_be_updated_or_deleted(organisation, subject_admin):
    entry = record(subject_admin, "create", organisation, organisation_id=organisation.pk)
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


def test_verify_reports_an_edited_row(organisation, subject_admin, capsys):
    record(subject_admin, "create", organisation, organisation_id=organisation.pk, changes={"name": "A"})
    entry = record(subject_admin, "update", organisation, organisation_id=organisation.pk, changes={"name": "B"})
    record(subject_admin, "update", organisation, organisation_id=organisation.pk, changes={"name": "C"})
    # Tamper the way an attacker with database access would: bypassing the model.
    AuditEntry.objects.filter(pk=entry.pk).update(changes={"name": "X"})
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit_verify")
    assert exit_info.value.code == 1
    report = json.loads(capsys.readouterr().out)
    assert not report["ok"]
    assert any(p["entry_id"] == entry.pk and p["reason"] == "entry was altered" for p in report["problems"])


def test_verify_reports_a_deleted_row(organisation, subject_admin):
    record(subject_admin, "create", organisation, organisation_id=organisation.pk)
    last = record(subject_admin, "update", organisation, organisation_id=organisation.pk)
    AuditEntry.objects.filter(pk=last.pk)._raw_delete(AuditEntry.objects.db)
    checked, problems = verify()
    assert checked == 1
    assert [p.reason for p in problems] == ["chain was truncated"]


def test_chains_are_per_organisation(organisation, other_organisation, subject_admin):
    a = record(subject_admin, "create", organisation, organisation_id=organisation.pk)
    b = record(subject_admin, "create", other_organisation, organisation_id=other_organisation.pk)
    assert a.chain != b.chain
    assert a.sequence == b.sequence == 1


def test_several_entries_under_one_lock_continue_the_chain(organisation, subject_admin, django_assert_num_queries):
    first = record(subject_admin, "create", organisation, organisation_id=organisation.pk)
    with django_assert_num_queries(3):  # lock the head, insert the entries, move the head
        entries = record_many(
            subject_admin,
            [("update", organisation, {"a": [1, 2]}), ("read", organisation, None)],
            organisation_id=organisation.pk,
        )
    assert [e.sequence for e in entries] == [2, 3]
    assert entries[0].prev_hash == first.hash and entries[1].prev_hash == entries[0].hash
    assert verify() == (3, [])
