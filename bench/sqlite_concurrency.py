"""The embedded default under concurrency (issue 10, finding 8): `make run`'s server on its SQLite file.

    .venv/bin/python bench/sqlite_concurrency.py

Migrates a fresh SQLite database in a temporary KIBER_VAR_DIR, creates one subject user with an API
token, starts `kiber runserver` (a thread per connection, as `make run` does), then sends BENCH_WRITERS
(96) `POST /api/v1/incidents/incidents` and BENCH_READERS (24) `GET /api/v1/incidents/incidents` at the
same moment, each from its own thread. Prints the answers by status and the latency percentiles; exits
1 if any request failed (5xx or no answer). Before transactions were IMMEDIATE, 74 of the 96 writes
answered 500 "database is locked"; before runserver's listen backlog was raised (kiber.embedded), about
40 got "connection reset". The same check runs in the suite: tests/incidents/test_concurrency.py.
"""

from __future__ import annotations

import collections
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the venv this script runs in
KIBER = str(BIN / "kiber")
PORT = int(os.environ.get("BENCH_PORT", "8792"))
WRITERS = int(os.environ.get("BENCH_WRITERS", "96"))
READERS = int(os.environ.get("BENCH_READERS", "24"))
PATH = "/api/v1/incidents/incidents"

SETUP = """
from decimal import Decimal
from kiber.registry.models import ApiToken, Organisation, User
org = Organisation.objects.create(registration_number="50000000001", name="SIA Mākonis", legal_address="Rīga",
    email="x@example.lv", phone="+37100000000", sector="digital_infrastructure", employees=80,
    annual_turnover_eur=Decimal(8000000), balance_sheet_eur=Decimal(6000000), category="important", size="medium")
user = User.objects.create_user(username="bench", password=None, role="subject_user", organisation=org)
print(ApiToken.issue(user, "bench")[1])
"""


def environment(var_dir: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # the embedded default: SQLite
    return env | {"KIBER_VAR_DIR": var_dir, "DJANGO_SETTINGS_MODULE": "kiber.settings", "KIBER_LOG_LEVEL": "ERROR"}


def wait_for_port() -> None:
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", PORT), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"runserver did not listen on port {PORT}")


def send_together(key: str) -> list[tuple[int, float]]:
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    incident = {
        "title": "API nepieejamība",
        "detected_at": "2026-01-10T10:00:00+02:00",
        "type_codes": ["06"],
        "description": "Pilnīga nepieejamība 45 minūtes",
    }
    requests = [("POST", json.dumps(incident | {"title": f"Incidents {n}"}).encode()) for n in range(WRITERS)]
    requests += [("GET", None)] * READERS
    barrier = threading.Barrier(len(requests))
    answers: list[tuple[int, float]] = [(0, 0.0)] * len(requests)
    errors: collections.Counter[str] = collections.Counter()

    def send(index: int) -> None:
        method, body = requests[index]
        client = http.client.HTTPConnection("127.0.0.1", PORT, timeout=300)
        barrier.wait()
        started = time.perf_counter()
        try:
            client.request(method, PATH, body=body, headers=headers)
            response = client.getresponse()
            response.read()
            answers[index] = (response.status, time.perf_counter() - started)
        except OSError as exc:  # no answer at all (a connection reset when the listen backlog overflowed)
            errors[type(exc).__name__] += 1
            answers[index] = (0, time.perf_counter() - started)
        finally:
            client.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        print(f"no answer (status 0): {dict(errors)}")
    return answers


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="kiber-bench-sqlite-") as var_dir:
        env = environment(var_dir)
        subprocess.run([KIBER, "migrate", "-v0"], env=env, check=True)
        setup = [sys.executable, "-c", "import django; django.setup()\n" + SETUP]
        key = subprocess.run(setup, env=env, check=True, capture_output=True, text=True).stdout.split()[-1]
        server = subprocess.Popen(
            [KIBER, "runserver", f"127.0.0.1:{PORT}", "--noreload"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for_port()
            answers = send_together(key)
        finally:
            server.terminate()
            server.wait()
    for label, part in (("POST", answers[:WRITERS]), ("GET", answers[WRITERS:])):
        counts = collections.Counter(status for status, _ in part)
        seconds = sorted(latency for _, latency in part)
        p99 = seconds[min(len(seconds) - 1, int(len(seconds) * 0.99))]
        print(
            f"{label} x {len(part)}: {dict(sorted(counts.items()))}; "
            f"p50 {statistics.median(seconds):.2f} s, p99 {p99:.2f} s"
        )
    failed = sum(1 for status, _ in answers if status >= 500 or status == 0)
    print(f"5xx or no answer: {failed}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
