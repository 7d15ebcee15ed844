"""Operator probes (issue 10, finding 9): /healthz for liveness, /readyz for readiness with per-check status.

The database outage itself is tested in tests/web/test_errors.py (a subprocess against a closed port).
"""

from __future__ import annotations

import socket

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_is_alive(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_checks_database_migrations_and_media(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {
        "database": {"status": "ok"}, "migrations": {"status": "ok"}, "media": {"status": "ok"}}}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_fails_when_media_is_not_writable(client, settings, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    settings.MEDIA_ROOT = blocker / "media"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["media"]["status"] == "fail"
    assert response.json()["checks"]["database"] == {"status": "ok"}


def test_readyz_fails_with_unapplied_migrations(client, settings, tmp_path, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("registry", "0099_new")])
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == {"status": "fail", "error": "RuntimeError"}


def test_readyz_checks_the_broker_only_when_jobs_go_to_celery(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KIBER_JOBS_BACKEND = "celery"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed}/0"
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["broker"]["status"] == "fail"
    settings.CELERY_BROKER_URL = "memory://"
    response = client.get("/readyz")
    assert response.status_code == 200 and response.json()["checks"]["broker"] == {"status": "ok"}
