"""The hash-chained audit log and ``kiber audit verify`` (issue 2, item 3; issue 10, finding 6)."""

from __future__ import annotations

import hashlib
import json
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from kiber.audit.models import AuditEntry, ChainHead
from kiber.audit.services import read_checkpoints, record, record_many, verify, write_checkpoint

pytestmark = pytest.mark.django_db


@contextmanager
def as_database_owner():
    """Write as someone who owns the database would: on PostgreSQL past the append-only trigger too."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")  # triggers off, this transaction
    yield
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = origin")


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
    with as_database_owner():
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
    with as_database_owner():
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


def _history(organisation, actor, n: int = 4) -> list[AuditEntry]:
    return [
        record(actor, "update", organisation, organisation_id=organisation.pk, changes={"name": [str(i), str(i + 1)]})
        for i in range(n)
    ]


def _rewrite(entries: list[AuditEntry], digest) -> None:
    """An attacker's rewrite: the second entry's content changes, every later hash is recomputed with
    ``digest`` and the chain head is moved to the new last hash."""
    target = AuditEntry.objects.get(pk=entries[1].pk)
    target.changes = {"name": ["1", "forged"]}
    rows = [target if e.pk == target.pk else AuditEntry.objects.get(pk=e.pk) for e in entries]
    previous = rows[0].hash
    with as_database_owner():
        for row in rows[1:]:
            row.prev_hash = previous
            row.hash = previous = digest(row)
            AuditEntry.objects.filter(pk=row.pk).update(changes=row.changes, prev_hash=row.prev_hash, hash=row.hash)
        ChainHead.objects.filter(chain=rows[0].chain).update(hash=previous)


def _unkeyed(entry: AuditEntry) -> str:
    """The old scheme: SHA-256 of the entry, which anyone who can read the code can recompute."""
    from kiber.audit.services import canonical

    payload = {
        "chain": entry.chain, "sequence": entry.sequence, "at": entry.at.isoformat(), "actor": entry.actor_label,
        "action": entry.action, "object_type": entry.object_type, "object_id": entry.object_id,
        "object_label": entry.object_label, "changes": entry.changes, "prev_hash": entry.prev_hash,
    }
    return hashlib.sha256(canonical(payload)).hexdigest()


def test_a_rewrite_with_recomputed_hashes_and_a_moved_head_is_detected(organisation, subject_admin):
    """Issue 10, finding 6. Before: recomputing the hashes and moving the head made verify say ok."""
    entries = _history(organisation, subject_admin)
    _rewrite(entries, _unkeyed)
    _checked, problems = verify()
    assert {(p.sequence, p.reason) for p in problems} >= {(2, "entry was altered")}


def test_hashes_depend_on_the_audit_key(organisation, subject_admin, settings):
    _history(organisation, subject_admin, 2)
    assert verify()[1] == []
    settings.AUDIT_KEY = "another-key-" + "z" * 50
    assert {p.reason for p in verify()[1]} == {"entry was altered"}


def test_a_checkpoint_catches_a_rewrite_made_with_the_key(organisation, subject_admin, tmp_path, capsys):
    """Even an attacker holding the audit key cannot rewrite what a checkpoint outside the database saw."""
    from kiber.audit.services import _digest

    entries = _history(organisation, subject_admin)
    path = tmp_path / "checkpoints.jsonl"
    call_command("audit_checkpoint", path=path)
    assert json.loads(capsys.readouterr().out)["ok"]
    _rewrite(entries, _digest)
    assert verify()[1] == []  # the chain alone is consistent again
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit_verify", checkpoints=path)
    assert exit_info.value.code == 1
    report = json.loads(capsys.readouterr().out)
    assert report["checkpoints"] == 1
    assert [p["sequence"] for p in report["problems"]] == [4]
    assert report["problems"][0]["reason"].startswith("differs from the checkpoint of")


def test_a_checkpoint_catches_a_chain_cut_back(organisation, subject_admin, tmp_path):
    entries = _history(organisation, subject_admin, 3)
    path = tmp_path / "checkpoints.jsonl"
    write_checkpoint(path)
    with as_database_owner():
        AuditEntry.objects.filter(pk=entries[-1].pk)._raw_delete(AuditEntry.objects.db)
        ChainHead.objects.filter(chain=entries[0].chain).update(sequence=2, hash=entries[1].hash)
    problems = verify(read_checkpoints(path))[1]
    assert [(p.sequence, p.reason.split(" of ")[0]) for p in problems] == [(3, "missing, though in the checkpoint")]


def test_a_forged_checkpoint_is_reported(organisation, subject_admin, tmp_path):
    _history(organisation, subject_admin, 1)
    path = tmp_path / "checkpoints.jsonl"
    write_checkpoint(path)
    record = json.loads(path.read_text())
    record["heads"][str(organisation.pk)] = [1, "f" * 64]
    path.write_text(path.read_text() + json.dumps(record) + "\n" + "not json\n")
    problems = verify(read_checkpoints(path))[1]
    assert [(p.sequence, p.reason) for p in problems] == [
        (2, "checkpoint signature does not match"), (3, "checkpoint signature does not match")
    ]


def test_checkpoint_is_refused_for_a_tampered_chain(organisation, subject_admin, tmp_path, capsys):
    entries = _history(organisation, subject_admin, 2)
    with as_database_owner():
        AuditEntry.objects.filter(pk=entries[0].pk).update(action="read")
    path = tmp_path / "checkpoints.jsonl"
    with pytest.raises(SystemExit):
        call_command("audit_checkpoint", path=path)
    assert not path.exists()


def test_checkpoint_path_is_a_setting(organisation, subject_admin, tmp_path, settings):
    settings.AUDIT_CHECKPOINTS = tmp_path / "audit" / "heads.jsonl"
    _history(organisation, subject_admin, 1)
    call_command("audit_checkpoint")
    call_command("audit_checkpoint")
    assert len(read_checkpoints(settings.AUDIT_CHECKPOINTS)) == 2
    call_command("audit_verify")  # no SystemExit: all is well


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_update_and_delete_of_audit_rows(organisation, subject_admin):
    entry = record(subject_admin, "create", organisation, organisation_id=organisation.pk)
    statements = (
        "UPDATE audit_auditentry SET action = 'x' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    )
    for statement in statements:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [entry.pk])


def _old_chain(organisation, actor, n: int = 3) -> list[AuditEntry]:
    """Entries as the release before keyed hashes wrote them (plain SHA-256)."""
    entries = _history(organisation, actor, n)
    previous = "0" * 64
    with as_database_owner():
        for entry in entries:
            entry.prev_hash = previous
            entry.hash = previous = _unkeyed(entry)
            AuditEntry.objects.filter(pk=entry.pk).update(prev_hash=entry.prev_hash, hash=entry.hash)
        ChainHead.objects.filter(chain=entries[0].chain).update(hash=previous)
    return entries


def _reseal():
    import importlib

    from django.apps import apps

    importlib.import_module("kiber.audit.migrations.0003_keyed_hashes").reseal(apps, None)


def test_the_upgrade_reseals_an_intact_unkeyed_chain(organisation, subject_admin):
    _old_chain(organisation, subject_admin)
    assert {p.reason for p in verify()[1]} == {"entry was altered"}  # unkeyed: not what verify expects
    with as_database_owner():
        _reseal()
    assert verify() == (3, [])


def test_the_upgrade_refuses_to_reseal_a_tampered_chain(organisation, subject_admin):
    entries = _old_chain(organisation, subject_admin)
    with as_database_owner():
        AuditEntry.objects.filter(pk=entries[1].pk).update(action="read")
        with pytest.raises(RuntimeError, match="does not verify at entry 2"):
            _reseal()
