"""Password change, the forced change of NKC's one-time password, reset by e-mail, the validators and
the history rule (issue 10, finding 10). Before: none of these pages existed and NKC's one-time
password never had to be changed."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from kiber.audit.models import AuditEntry
from kiber.registry import services
from kiber.registry.models import User
from tests.registry.test_services import BANK
from tests.support import PASSWORD, sign_in

pytestmark = pytest.mark.django_db

NEW = "Jauna-Parole-Ziema-2027"


def _change(client, old: str, new: str):
    return client.post("/password/", {"old_password": old, "new_password1": new, "new_password2": new})


def _signs_in(username: str, password: str) -> bool:
    return User.objects.get(username=username).check_password(password)


def test_a_user_changes_their_password(client, subject_admin):
    sign_in(client, subject_admin)
    page = client.get("/password/").content.decode()
    assert "Paroles maiņa" in page and "must_change" not in page
    response = _change(client, PASSWORD, NEW)
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/").status_code == 200  # the session survives its own password change
    assert _signs_in(subject_admin.username, NEW) and not _signs_in(subject_admin.username, PASSWORD)
    assert AuditEntry.objects.filter(action="password_change", object_id=str(subject_admin.pk)).exists()


def test_the_wrong_old_password_changes_nothing(client, subject_admin):
    sign_in(client, subject_admin)
    response = _change(client, "nav-tā-parole-123", NEW)
    assert response.status_code == 200 and "has-error" in response.content.decode()
    assert _signs_in(subject_admin.username, PASSWORD)


@pytest.mark.parametrize("weak", ["Īsa-1", "123456789012345", "password1234"])
def test_the_validators_refuse_a_weak_password(client, subject_admin, weak):
    sign_in(client, subject_admin)
    response = _change(client, PASSWORD, weak)
    assert response.status_code == 200 and "has-error" in response.content.decode()
    assert _signs_in(subject_admin.username, PASSWORD)


def test_none_of_the_last_five_passwords_again(client, subject_admin):
    sign_in(client, subject_admin)
    refused = _change(client, PASSWORD, PASSWORD)  # the present one is one of the last five
    assert "Šo paroli jau esat lietojis" in refused.content.decode()
    passwords = [PASSWORD] + [f"Cita-Parole-Nr-{n}-Rudens" for n in range(1, 6)]
    for old, new in zip(passwords, passwords[1:5], strict=False):
        assert _change(client, old, new).status_code == 302
    # Four changes later the first password is still among the last five (the present one included).
    assert "Šo paroli jau esat lietojis" in _change(client, passwords[4], PASSWORD).content.decode()
    assert _change(client, passwords[4], passwords[5]).status_code == 302
    assert _change(client, passwords[5], PASSWORD).status_code == 302  # six back: allowed
    assert subject_admin.password_history.count() == 5


def test_nkcs_one_time_password_must_be_changed_at_first_sign_in(client, nkc_supervisor):
    created = services.register_subject(nkc_supervisor, BANK, {"username": "testa.admin", "email": "a@banka.lv"})
    admin = created.admin
    assert admin.must_change_password
    client.post("/login/", {"username": admin.username, "password": created.password})
    for path in ("/", "/tokens/", "/registry/"):
        response = client.get(path)
        assert response.status_code == 302 and response.url == "/password/"
    assert client.get("/api/v1/registry/organisations").status_code == 401
    assert "vienreizējo paroli" in client.get("/password/").content.decode()
    assert _change(client, created.password, NEW).status_code == 302
    admin.refresh_from_db()
    assert not admin.must_change_password
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/registry/organisations").status_code == 200


def test_a_password_chosen_at_registration_is_not_forced(nkc_supervisor):
    created = services.register_subject(
        nkc_supervisor, BANK, {"username": "testa.admin", "email": "a@banka.lv", "password": NEW}
    )
    assert not created.admin.must_change_password


def _reset_link(message) -> str:
    return re.search(r"https?://[^/]+(/password/reset/\S+/)", message.body).group(1)


def test_reset_by_e_mail(client, subject_admin, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    User.objects.filter(pk=subject_admin.pk).update(email="anna@example.lv", must_change_password=True)
    assert "Aizmirsāt paroli?" in client.get("/login/").content.decode()
    response = client.post("/password/reset/", {"email": "Anna@Example.lv"})
    assert response.status_code == 302 and response.url == "/password/reset/sent/"
    assert "Pārbaudiet e-pastu" in client.get(response.url).content.decode()
    [message] = mail.outbox
    assert message.to == ["anna@example.lv"] and message.subject == "Kiber: paroles atjaunošana"
    assert subject_admin.username in message.body
    form = client.get(_reset_link(message), follow=True)
    assert "Jaunā parole" in form.content.decode()
    url = form.redirect_chain[-1][0]
    refused = client.post(url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert "Šo paroli jau esat lietojis" in refused.content.decode()
    done = client.post(url, {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done.url == "/password/reset/done/"
    assert "Parole nomainīta" in client.get(done.url).content.decode()
    assert _signs_in(subject_admin.username, NEW)
    subject_admin.refresh_from_db()
    assert not subject_admin.must_change_password
    assert AuditEntry.objects.filter(action="password_reset", object_id=str(subject_admin.pk)).exists()
    # The link works once.
    assert "Saite nav derīga" in client.get(_reset_link(message), follow=True).content.decode()


def test_reset_of_an_unknown_address_says_the_same_and_sends_nothing(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post("/password/reset/", {"email": "nav@example.lv"})
    assert response.status_code == 302 and response.url == "/password/reset/sent/"
    assert mail.outbox == []


def test_reset_in_english(client, subject_admin, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    User.objects.filter(pk=subject_admin.pk).update(email="anna@example.lv")
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert "Forgot your password?" in client.get("/login/").content.decode()
    assert "Password reset" in client.get("/password/reset/").content.decode()
    client.post("/password/reset/", {"email": "anna@example.lv"})
    [message] = mail.outbox
    assert message.subject == "Kiber: password reset"
    assert "Hello" in message.body
