"""deploy/backup.sh and deploy/restore.sh, run as an operator would: a backup restored into a fresh
database and file store is fully migrated, holds the same audit chain (``kiber audit verify`` ok) and the
same stored files; a damaged backup is refused before anything is restored."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from kiber.audit import services as audit
from kiber.audit.models import AuditEntry

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db(transaction=True)


def _url(name: str) -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def restore_database():
    s = connection.settings_dict
    name = f"{s['NAME']}_restore"
    admin = ["-h", s["HOST"] or "127.0.0.1", "-p", str(s["PORT"] or 5432), "-U", s["USER"] or "postgres"]
    subprocess.run(["dropdb", *admin, "--if-exists", name], check=True)
    subprocess.run(["createdb", *admin, name], check=True)
    yield name
    subprocess.run(["dropdb", *admin, "--if-exists", name], check=True)


def test_a_backup_restores_into_a_fresh_database_and_verifies(make_organisation, tmp_path, restore_database):
    if connection.vendor != "postgresql":
        pytest.skip("the recipe backs up PostgreSQL (production); CI runs it")
    organisation = make_organisation()
    for n in range(5):
        audit.record(None, "update", organisation, organisation_id=organisation.id, changes={"n": [n, n + 1]})
    source_var = tmp_path / "var"
    stored = source_var / "media" / "evidence" / "2026" / "12" / "0123abcd.pdf"
    stored.parent.mkdir(parents=True)
    stored.write_bytes(b"%PDF-1.7 evidence")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}

    made = _run(
        ["sh", str(ROOT / "deploy/backup.sh"), str(tmp_path / "backups")],
        {**env, "DATABASE_URL": _url(connection.settings_dict["NAME"]), "KIBER_VAR_DIR": str(source_var)},
    )
    assert made.returncode == 0, made.stderr
    backup = Path(made.stdout.strip().splitlines()[-1])
    assert {p.name for p in backup.iterdir()} == {"database.dump", "files.tar.gz", "SHA256SUMS"}

    target_var = tmp_path / "restored"
    restore_env = {**env, "DATABASE_URL": _url(restore_database), "KIBER_VAR_DIR": str(target_var)}
    restored = _run(["sh", str(ROOT / "deploy/restore.sh"), str(backup)], restore_env)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    report = json.loads(restored.stdout[restored.stdout.index("{") :])
    assert report["ok"] is True and report["checked"] == AuditEntry.objects.count()
    copy = target_var / stored.relative_to(source_var)
    assert hashlib.sha256(copy.read_bytes()).digest() == hashlib.sha256(stored.read_bytes()).digest()


def test_a_damaged_backup_is_refused_before_restoring(make_organisation, tmp_path, restore_database):
    if connection.vendor != "postgresql":
        pytest.skip("the recipe backs up PostgreSQL (production); CI runs it")
    make_organisation()
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    (tmp_path / "var").mkdir()
    made = _run(
        ["sh", str(ROOT / "deploy/backup.sh"), str(tmp_path / "backups")],
        {**env, "DATABASE_URL": _url(connection.settings_dict["NAME"]), "KIBER_VAR_DIR": str(tmp_path / "var")},
    )
    backup = Path(made.stdout.strip().splitlines()[-1])
    with open(backup / "database.dump", "ab") as dump:
        dump.write(b"tampered")

    restored = _run(
        ["sh", str(ROOT / "deploy/restore.sh"), str(backup)],
        {**env, "DATABASE_URL": _url(restore_database), "KIBER_VAR_DIR": str(tmp_path / "restored")},
    )
    assert restored.returncode != 0
    assert "FAILED" in restored.stdout + restored.stderr
    tables = _run(
        ["psql", _url(restore_database), "-tAc", "select count(*) from pg_tables where schemaname='public'"], env
    )
    assert tables.stdout.strip() == "0"
