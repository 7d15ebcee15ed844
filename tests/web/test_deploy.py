"""Production settings pass Django's deployment checks (issue 2)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def test_check_deploy_is_clean(tmp_path):
    env = {
        **os.environ,
        "KIBER_ENV": "production",
        "KIBER_SECRET_KEY": "x" * 30 + "-production-secret-key-for-the-check-only-9f3k",
        "KIBER_AUDIT_KEY": "y" * 30 + "-production-audit-key-for-the-check-only-4h7q",
        "KIBER_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "kiber.settings",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for Playwright by tests/e2e in the same process
    result = subprocess.run(
        [sys.executable, "-m", "kiber.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_the_development_secret(tmp_path):
    env = {**os.environ, "KIBER_ENV": "production", "KIBER_VAR_DIR": str(tmp_path)}
    env.pop("KIBER_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "kiber.cli", "check"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "KIBER_SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    "secret",
    [
        "change-me",  # short
        "a" * 60,  # long but one character
        "django-insecure-" + "k3y" * 20,  # Django's generated development key
    ],
)
def test_production_refuses_a_weak_secret(tmp_path, secret):
    """Issue 10, finding 14: before, any value but the development default was accepted."""
    env = {**os.environ, "KIBER_ENV": "production", "KIBER_VAR_DIR": str(tmp_path), "KIBER_SECRET_KEY": secret}
    result = subprocess.run(
        [sys.executable, "-m", "kiber.cli", "check"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "KIBER_SECRET_KEY must be a random value" in result.stderr


def test_production_refuses_a_missing_or_reused_audit_key(tmp_path):
    """Issue 10, finding 6: the audit chain's HMAC key must be set, strong and its own."""
    secret = "k" * 30 + "-production-secret-key-for-the-check-only-9f3k"
    base = {**os.environ, "KIBER_ENV": "production", "KIBER_VAR_DIR": str(tmp_path), "KIBER_SECRET_KEY": secret}
    base.pop("KIBER_AUDIT_KEY", None)
    for extra, message in (({}, "KIBER_AUDIT_KEY must be a random value"),
                           ({"KIBER_AUDIT_KEY": secret}, "KIBER_AUDIT_KEY must differ")):
        result = subprocess.run(
            [sys.executable, "-m", "kiber.cli", "check"], env={**base, **extra}, capture_output=True, text=True,
            timeout=120,
        )
        assert result.returncode != 0
        assert message in result.stderr
