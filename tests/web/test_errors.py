"""Debug is opt-in and errors get Kiber's styled pages (issue 10, findings 2 and 9).

The subprocess tests start Kiber the way ``make run`` does (default environment, fresh var directory,
no collectstatic) and call the WSGI application itself.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest
from django.db import OperationalError
from django.test import override_settings

from tests.support import sign_in

pytestmark = pytest.mark.django_db

WSGI_SCRIPT = """
import io, json, sys
from wsgiref.util import setup_testing_defaults
from kiber.wsgi import application

def call(path, **headers):
    environ = {"PATH_INFO": path, "HTTP_HOST": "127.0.0.1:8000", "wsgi.errors": io.StringIO()}
    environ.update(headers)
    setup_testing_defaults(environ)
    status = []
    chunks = application(environ, lambda s, h, exc_info=None: status.append((s, dict(h))))
    body = b"".join(chunks).decode("utf-8", "replace")
    getattr(chunks, "close", lambda: None)()
    return {"status": int(status[0][0].split()[0]), "headers": status[0][1], "body": body}

from django.conf import settings
print(json.dumps({"debug": settings.DEBUG, **{path: call(path, **headers) for path, headers in %s}}))
"""


def run_wsgi(tmp_path, requests: list[tuple[str, dict[str, str]]], **env: str) -> dict:
    environment = {**os.environ, "KIBER_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "kiber.settings"}
    for name in ("KIBER_DEBUG", "KIBER_ENV", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        environment.pop(name, None)
    environment.update(env)
    result = subprocess.run([sys.executable, "-c", WSGI_SCRIPT % repr(requests)], env=environment,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_make_run_has_debug_off_a_styled_404_and_its_css(tmp_path):
    """The default environment: DEBUG off, a 404 shows no URL map, the CSS is served (WhiteNoise)."""
    found = run_wsgi(tmp_path, [("/nav-tadas-lapas/", {}), ("/static/web/kiber.css", {})])
    assert found["debug"] is False
    missing = found["/nav-tadas-lapas/"]
    assert missing["status"] == 404
    assert "URLconf" not in missing["body"] and "api/" not in missing["body"]
    assert "Lapa nav atrasta" in missing["body"] and "/static/web/kiber.css" in missing["body"]
    css = found["/static/web/kiber.css"]
    assert css["status"] == 200 and css["headers"]["Content-Type"].startswith("text/css")
    assert ".card" in css["body"]


def test_debug_is_only_on_when_asked(tmp_path):
    assert run_wsgi(tmp_path, [], KIBER_DEBUG="1")["debug"] is True


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_database_outage_gives_503_not_500(tmp_path):
    """PostgreSQL at a closed port: the API answers JSON 503 with Retry-After, a page the styled 503,
    /readyz 503 naming the database, /healthz still 200."""
    database = f"postgres://kiber@127.0.0.1:{_closed_port()}/kiber"
    found = run_wsgi(
        tmp_path,
        [
            ("/api/v1/incidents/incidents", {"HTTP_AUTHORIZATION": "Bearer kbr_not-checked-the-db-is-down"}),
            ("/registry/", {"HTTP_COOKIE": "sessionid=abcdefghijklmnopqrstuvwxyz012345"}),
            ("/readyz", {}),
            ("/healthz", {}),
        ],
        DATABASE_URL=database,
    )
    api = found["/api/v1/incidents/incidents"]
    assert api["status"] == 503 and api["headers"]["Retry-After"] == "30"
    assert api["headers"]["Content-Type"] == "application/json"
    assert json.loads(api["body"]) == {"detail": "the database is unavailable; retry later"}
    page = found["/registry/"]
    assert page["status"] == 503 and page["headers"]["Retry-After"] == "30"
    assert "Pakalpojums īslaicīgi nav pieejams" in page["body"] and "kiber.css" in page["body"]
    ready = found["/readyz"]
    assert ready["status"] == 503
    checks = json.loads(ready["body"])["checks"]
    assert checks["database"]["status"] == "fail" and checks["media"]["status"] == "ok"
    assert found["/healthz"]["status"] == 200


@override_settings(ROOT_URLCONF="tests.web.boom_urls")
def test_500_is_the_styled_page_in_both_languages(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Radās kļūda" in body and "kiber.css" in body and "Traceback" not in body and "a bug" not in body
    client.cookies["django_language"] = "en"
    english = client.get("/boom/").content.decode()
    assert "Something went wrong" in english and 'lang="en"' in english


@override_settings(ROOT_URLCONF="tests.web.boom_urls")
def test_a_database_error_in_a_page_is_a_503(client):
    client.raise_request_exception = False
    response = client.get("/database-gone/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "Pakalpojums īslaicīgi nav pieejams" in response.content.decode()


def test_a_database_error_in_the_api_is_json_503(client, subject_admin, monkeypatch):
    from kiber.incidents import selectors

    def gone(*args, **kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(selectors, "incidents_for", gone)
    sign_in(client, subject_admin)
    response = client.get("/api/v1/incidents/incidents")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert response.json() == {"detail": "the database is unavailable; retry later"}


@override_settings(ROOT_URLCONF="tests.web.boom_urls")
def test_404_and_403_are_styled(client):
    response = client.get("/nav-tadas-lapas/")
    assert response.status_code == 404 and "Lapa nav atrasta" in response.content.decode()
    denied = client.get("/denied/")
    assert denied.status_code == 403 and "Piekļuve liegta" in denied.content.decode()


def test_lockout_is_the_styled_429(client, subject_admin):
    for _ in range(5):
        client.post("/login/", {"username": subject_admin.username, "password": "wrong"})
    response = client.post("/login/", {"username": subject_admin.username, "password": "Demo-parole-2026!"})
    body = response.content.decode()
    assert response.status_code == 429 and "Pārāk daudz neveiksmīgu mēģinājumu" in body and "kiber.css" in body
    assert "60 min." in body and response["Retry-After"] == "3600"


def test_csrf_failure_is_the_styled_403(subject_admin):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": subject_admin.username, "password": "x"})
    assert response.status_code == 403 and "Piekļuve liegta" in response.content.decode()
