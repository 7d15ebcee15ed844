"""Sign-in, the mandatory second factor, the language switch and the security headers."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kiber.registry.choices import Role

pytestmark = pytest.mark.django_db


def test_login_page_is_latvian_by_default_even_for_an_english_browser(client):
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert 'lang="lv"' in response.content.decode()
    assert "Pieteikšanās" in response.content.decode()


def test_language_switch_to_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    response = client.get("/login/")
    assert 'lang="en"' in response.content.decode()
    assert "Sign in" in response.content.decode()


def test_content_security_policy_header(client):
    response = client.get("/login/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_subject_user_signs_in_with_password_only(client, subject_admin):
    response = client.post("/login/", {"username": subject_admin.username, "password": "Demo-parole-2026!"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_supervisor_must_pass_totp(client, make_user):
    user = make_user(Role.NKC_SUPERVISOR)
    client.post("/login/", {"username": user.username, "password": "Demo-parole-2026!"})
    assert client.get("/").url.startswith("/otp/")
    assert client.post("/otp/", {"token": "000000"}).status_code == 200  # wrong code: form error
    device = TOTPDevice.objects.get(user=user)
    device.throttle_reset()  # django-otp throttles retries after a failure; a person would wait
    code = f"{totp(device.bin_key):06d}"
    assert client.post("/otp/", {"token": code}).status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("where", ["query", "body"])
@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example"])
def test_second_factor_never_redirects_off_site(client, make_user, where, target):
    """Issue 10, finding 3: POST /otp/ followed ``next`` to any site."""
    user = make_user(Role.NKC_SUPERVISOR)
    client.post("/login/", {"username": user.username, "password": "Demo-parole-2026!"})
    code = f"{totp(TOTPDevice.objects.get(user=user).bin_key):06d}"
    if where == "query":
        response = client.post(f"/otp/?next={quote(target)}", {"token": code})
    else:
        response = client.post("/otp/", {"token": code, "next": target})
    assert response.status_code == 302 and response["Location"] == "/"


def test_second_factor_follows_a_local_next(client, make_user):
    user = make_user(Role.NKC_SUPERVISOR)
    client.post("/login/", {"username": user.username, "password": "Demo-parole-2026!"})
    code = f"{totp(TOTPDevice.objects.get(user=user).bin_key):06d}"
    response = client.post("/otp/?next=/incidents/inbox/", {"token": code})
    assert response.status_code == 302 and response["Location"] == "/incidents/inbox/"


def test_supervisor_without_device_enrols(client, make_user):
    user = make_user(Role.SAB_OFFICER)
    TOTPDevice.objects.filter(user=user).delete()
    client.post("/login/", {"username": user.username, "password": "Demo-parole-2026!"})
    page = client.get("/otp/").content.decode()
    assert "<svg" in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post("/otp/", {"token": f"{totp(device.bin_key):06d}"})
    device.refresh_from_db()
    assert device.confirmed


def test_supervisor_session_without_totp_is_refused_by_api(client, make_user):
    user = make_user(Role.NKC_SUPERVISOR)
    client.force_login(user)
    assert client.get("/api/v1/registry/organisations").status_code in (401, 404)


def test_lockout_after_repeated_failures(client, subject_admin):
    for _ in range(5):
        client.post("/login/", {"username": subject_admin.username, "password": "wrong"})
    response = client.post("/login/", {"username": subject_admin.username, "password": "Demo-parole-2026!"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_passwords_are_hashed_with_argon2(subject_admin):
    assert subject_admin.password.startswith("argon2")
