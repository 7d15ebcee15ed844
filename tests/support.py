"""Helpers shared by tests: sign a user in (Django test client or Chromium)."""

from __future__ import annotations

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from kiber.registry.models import User

PASSWORD = "Demo-parole-2026!"


def sign_in(client: Client, user: User) -> Client:
    """Log ``user`` in; for roles with a mandatory second factor, mark the TOTP step as passed."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def totp_code(user) -> str:
    """The current TOTP code of ``user``'s confirmed device, as an authenticator app would show it."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def log_in(page, user, password: str = PASSWORD) -> None:
    page.goto("/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.click("button.primary")
    if user.needs_second_factor:
        page.fill("#id_token", totp_code(user))
        page.click("button.primary")
