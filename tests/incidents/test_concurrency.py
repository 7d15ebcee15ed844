"""Concurrent requests against a real threaded server (issue 10, finding 8).

96 clients create an incident through the API at the same moment while others read a report page (a read
writes an audit entry). Every request must succeed: on the embedded SQLite default, deferred transactions
answered 74 x HTTP 500 "database is locked" here; with IMMEDIATE transactions, the busy timeout and WAL
they queue. The same test runs on PostgreSQL.

The server is runserver's (a thread per connection, each with its own database connection, and the listen
backlog of `make run`'s runserver, kiber.embedded) on a file database (tests/conftest.py), started in this
process so that the test's database is the server's.
"""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import get_commands
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection
from django.test import Client
from django.test.testcases import QuietWSGIRequestHandler
from django.urls import reverse

from kiber.embedded.management.commands.runserver import BurstWSGIServer
from kiber.incidents.models import Incident
from kiber.registry.models import ApiToken
from tests.incidents.test_api import BASE, ew_body, post
from tests.support import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = 96
READERS = 24


class Server(ThreadedWSGIServer):
    request_queue_size = BurstWSGIServer.request_queue_size

    def __init__(self, slots: int) -> None:
        super().__init__(("127.0.0.1", 0), QuietWSGIRequestHandler, allow_reuse_address=False)
        # How many requests run at once: all of them on SQLite (a connection is an open file), fewer on
        # PostgreSQL, whose connections are limited (100 by default) and shared with the other test worker.
        self.slots = threading.BoundedSemaphore(slots)
        self.set_app(WSGIHandler())

    def process_request_thread(self, request, client_address):
        with self.slots:
            super().process_request_thread(request, client_address)


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server(WRITERS + READERS if connection.vendor == "sqlite" else 32)
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    yield running
    running.shutdown()
    running.server_close()
    thread.join()


def send_together(port: int, requests: list[tuple[str, str, dict[str, str], bytes | None]]) -> list[tuple[int, bytes]]:
    """Send every (method, path, headers, body) from its own thread, all released at the same moment."""
    barrier = threading.Barrier(len(requests))
    answers: list[tuple[int, bytes]] = [(0, b"")] * len(requests)

    def send(index: int) -> None:
        method, path, headers, body = requests[index]
        client = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        try:
            barrier.wait()
            client.request(method, path, body=body, headers=headers)
            response = client.getresponse()
            answers[index] = (response.status, response.read())
        finally:
            client.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_concurrent_incident_creation_and_page_reads_never_fail(server, cloud_user):
    _, key = ApiToken.issue(cloud_user, "SOC")
    first = post(Client(HTTP_AUTHORIZATION=f"Bearer {key}"), "/early-warnings", ew_body())
    assert first.status_code == 201, first.content
    report_page = reverse("incidents:report", args=[first.json()["id"]])
    session = sign_in(Client(), cloud_user).cookies[settings.SESSION_COOKIE_NAME].value

    api_headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    writes = [
        ("POST", f"{BASE}/incidents", api_headers, json.dumps(ew_body(title=f"Incidents {n}")["incident"]).encode())
        for n in range(WRITERS)
    ]
    reads = [("GET", report_page, {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"}, None)] * READERS
    answers = send_together(server.server_port, writes + reads)

    statuses = [status for status, _ in answers]
    failures = [(status, body[:300]) for status, body in answers if status >= 500]
    assert failures == []
    assert statuses == [201] * WRITERS + [200] * READERS
    created = {json.loads(body)["reference"] for _, body in answers[:WRITERS]}
    assert len(created) == WRITERS  # each its own log number
    assert Incident.objects.filter(organisation=cloud_user.organisation).count() == WRITERS + 1


def test_make_run_serves_with_a_backlog_for_the_burst():
    """Django's runserver listens with a backlog of 10: a burst of 96 connections got "connection reset"."""
    assert get_commands()["runserver"] == "kiber.embedded"
    assert BurstWSGIServer.request_queue_size >= WRITERS + READERS
