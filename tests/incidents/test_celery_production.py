"""The production shape, run for real (issue 17, items 1 and 2): gunicorn, Celery workers and beat on the
Redis at 127.0.0.1:6379, against the test database, started with the project's own commands.

Nothing here is eager or mocked: an early warning is posted over HTTP to ``kiber serve``, a ``kiber
worker`` renders and delivers it to a webhook receiver on 127.0.0.1, ``kiber beat`` drives the sweep on a
one-second schedule. The tests wait on events (a line in a process's output, a request at the receiver),
never on the clock. ``.ci/run`` starts Redis and sets ``KIBER_REQUIRE_CELERY=1``: without a broker they fail.
"""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from kiber.audit.services import verify
from kiber.incidents.choices import Channel, DeliveryStatus, ReminderKind
from kiber.incidents.models import Delivery, DeliveryAttempt, Report, SentReminder
from kiber.registry.models import ApiToken
from tests.incidents.test_api import ew_body

ROOT = Path(__file__).resolve().parents[2]
WAIT = 180  # seconds an awaited event may take on a loaded two-core machine before the test fails
pytestmark = pytest.mark.django_db(transaction=True)


def _redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=2).close()
        return True
    except OSError:
        return False


@pytest.fixture(autouse=True)
def _needs_postgresql_and_redis():
    if connection.vendor != "postgresql":
        pytest.skip("the production shape runs on PostgreSQL (.ci/run)")
    if not _redis_answers():
        if os.environ.get("KIBER_REQUIRE_CELERY") == "1":
            pytest.fail("Redis does not answer at 127.0.0.1:6379 (KIBER_REQUIRE_CELERY=1)")
        pytest.skip("no Redis at 127.0.0.1:6379")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Receiver:
    """A webhook receiver on 127.0.0.1 answering the planned statuses in turn (then 200); ``hold`` makes
    it keep the next request open until ``release``."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = statuses
        self.requests: queue.Queue[dict] = queue.Queue()
        self.hold = threading.Event()
        self.released = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.put({"delivery": self.headers["X-Kiber-Delivery"], "body": body})
                if receiver.hold.is_set():
                    receiver.released.wait(WAIT)
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/kiber"

    def next(self) -> dict:
        return self.requests.get(timeout=WAIT)


class Process:
    """A started command whose output is read line by line by a thread, so a test can wait for a line."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.popen = subprocess.Popen(
            args,
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.popen.stdout is not None
        for line in self.popen.stdout:
            self.lines.put(line)

    def mark(self) -> int:
        """Where the output stands now: ``wait_for(..., since=mark)`` waits for lines after this point."""
        while not self.lines.empty():
            self.seen.append(self.lines.get_nowait())
        return len(self.seen)

    def wait_for(self, pattern: str, count: int = 1, since: int = 0) -> None:
        """Until ``count`` lines from ``since`` on match ``pattern`` (lines that came earlier count too)."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + WAIT
        while sum(1 for line in self.seen[since:] if regex.search(line)) < count:
            try:
                self.seen.append(self.lines.get(timeout=max(0.0, deadline - time.monotonic())))
            except queue.Empty:
                raise AssertionError(f"no line matching {pattern!r}; output:\n{''.join(self.seen[-60:])}") from None

    def kill(self, sig: int = signal.SIGTERM) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, sig)
        try:
            self.popen.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=60)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    made = Receiver([])
    yield made
    made.released.set()
    made.server.shutdown()


@pytest.fixture
def environment(tmp_path, receiver) -> dict[str, str]:
    s = connection.settings_dict
    database = f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    return {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "DATABASE_URL": database,
        "KIBER_VAR_DIR": str(tmp_path / "var"),
        "KIBER_JOBS_BACKEND": "celery",
        "KIBER_CELERY_QUEUE": f"kiber-test-{uuid.uuid4().hex}",  # this test's own queue on the shared Redis
        "KIBER_SWEEP_EVERY_SECONDS": "1",
        "KIBER_CSIRT_EMAIL": "",
        "KIBER_CSIRT_WEBHOOK_URL": receiver.url,
        "KIBER_BIND": f"127.0.0.1:{_free_port()}",
        "KIBER_WEB_WORKERS": "1",
        "KIBER_LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    }


@pytest.fixture
def processes() -> Iterator[list[Process]]:
    started: list[Process] = []
    yield started
    for process in started:
        process.kill()


def _start(processes: list[Process], env: dict[str, str], *args: str) -> Process:
    process = Process(list(args), env)
    processes.append(process)
    return process


def _post_early_warning(env: dict[str, str], key: str) -> dict:
    import httpx

    response = httpx.post(
        f"http://{env['KIBER_BIND']}/api/v1/incidents/early-warnings",
        json=ew_body(),
        headers={"Authorization": f"Bearer {key}"},
        timeout=WAIT,
    )
    assert response.status_code == 201, response.text
    return response.json()


def _wait_for_sweeps(workers: list[Process], total: int) -> None:
    """Until the workers together finished ``total`` more sweeps (beat hands each to whichever is free)."""
    done = re.compile(r"sweep_deadlines\[.*\] succeeded")
    marks = [worker.mark() for worker in workers]
    deadline = time.monotonic() + WAIT
    while sum(sum(1 for line in w.seen[m:] if done.search(line)) for w, m in zip(workers, marks, strict=True)) < total:
        assert time.monotonic() < deadline, "".join(line for w in workers for line in w.seen[-30:])
        for worker in workers:
            try:
                worker.seen.append(worker.lines.get(timeout=0.5))
            except queue.Empty:
                continue


def _webhook(report_pk: int) -> Delivery:
    return Delivery.objects.get(report_id=report_pk, channel=Channel.WEBHOOK)


def test_the_procfile_runs_web_worker_and_beat_and_an_early_warning_goes_end_to_end(
    environment, processes, receiver, cloud_user
):
    _, key = ApiToken.issue(cloud_user, "SOC")
    stack = _start(processes, environment, "honcho", "start", "--no-colour", "-f", "Procfile")
    stack.wait_for(r"web\.1 .*Listening at")
    stack.wait_for(r"worker\.1 .*ready\.")
    stack.wait_for(r"beat\.1 .*beat: Starting")

    answer = _post_early_warning(environment, key)
    delivered = receiver.next()
    report = Report.objects.get(pk=answer["id"])
    assert json.loads(delivered["body"])["sha256"] == report.sha256
    stack.wait_for(r"worker\.1 .*kiber\.jobs\.run\[.*\] (succeeded|raised)")
    assert not [line for line in stack.seen if "raised" in line], "".join(stack.seen[-80:])
    report.refresh_from_db()
    assert report.pdf and (Path(environment["KIBER_VAR_DIR"]) / "media" / report.pdf.name).read_bytes()[:5] == b"%PDF-"
    webhook = _webhook(report.pk)
    assert (webhook.status, webhook.attempts) == (DeliveryStatus.DELIVERED, 1)
    stack.wait_for(r"worker\.1 .*kiber\.incidents\.sweep_deadlines\[.*\] succeeded")  # beat drives the sweep


def test_a_failing_webhook_is_recorded_and_retried_with_backoff_by_the_beat_sweep(
    environment, processes, receiver, cloud_user
):
    receiver.statuses[:] = [500]
    _, key = ApiToken.issue(cloud_user, "SOC")
    web = _start(processes, environment, "kiber", "serve")
    worker = _start(processes, environment, "kiber", "worker", "--pool", "solo")
    web.wait_for("Listening at")
    worker.wait_for(r"ready\.")
    answer = _post_early_warning(environment, key)
    report = Report.objects.get(pk=answer["id"])
    receiver.next()
    worker.wait_for(r"kiber\.jobs\.run\[.*\] succeeded")
    failed = _webhook(report.pk)
    first = DeliveryAttempt.objects.get(delivery=failed)
    assert (failed.status, failed.attempts, first.ok, first.detail) == (
        DeliveryStatus.FAILED,
        1,
        False,
        "RuntimeError: HTTP 500",
    )
    assert timedelta(seconds=55) < failed.next_attempt_at - first.at < timedelta(seconds=65)  # backoff: 1 minute

    beat = _start(processes, environment, "kiber", "beat")
    beat.wait_for("beat: Starting")
    worker.wait_for(r"sweep_deadlines\[.*\] succeeded", count=2, since=worker.mark())
    assert _webhook(report.pk).attempts == 1  # not due yet: the sweep waits for the backoff
    Delivery.objects.filter(pk=failed.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))  # a minute on
    receiver.next()
    worker.wait_for(r"sweep_deadlines\[.*\] succeeded", count=2, since=worker.mark())
    retried = _webhook(report.pk)
    assert (retried.status, retried.attempts) == (DeliveryStatus.DELIVERED, 2)
    assert list(DeliveryAttempt.objects.filter(delivery=retried).order_by("id").values_list("ok", flat=True)) == [
        False,
        True,
    ]


def test_a_worker_killed_mid_task_loses_nothing_and_two_workers_sweep_once(
    environment, processes, receiver, cloud_user, significant_incident
):
    """SIGKILL while the webhook call is in flight: the delivery is still pending in the database, and the
    sweep run by beat on two workers delivers it exactly once; the overdue early warning of another incident
    is noticed once however many sweeps the two workers run."""
    significant_incident.__class__.objects.filter(pk=significant_incident.pk).update(
        detected_at=timezone.now() - timedelta(days=3), aware_at=timezone.now() - timedelta(days=3)
    )
    receiver.hold.set()
    _, key = ApiToken.issue(cloud_user, "SOC")
    web = _start(processes, environment, "kiber", "serve")
    doomed = _start(processes, environment, "kiber", "worker", "--pool", "solo", "-n", "doomed@%h")
    web.wait_for("Listening at")
    doomed.wait_for(r"ready\.")
    answer = _post_early_warning(environment, key)
    report = Report.objects.get(pk=answer["id"])
    in_flight = receiver.next()
    doomed.kill(signal.SIGKILL)
    receiver.hold.clear()
    receiver.released.set()
    pending = _webhook(report.pk)
    assert (pending.status, pending.attempts) == (DeliveryStatus.PENDING, 0)
    assert not DeliveryAttempt.objects.filter(delivery=pending).exists()

    workers = [_start(processes, environment, "kiber", "worker", "--pool", "solo", "-n", f"w{n}@%h") for n in (1, 2)]
    for worker in workers:
        worker.wait_for(r"ready\.")
    beat = _start(processes, environment, "kiber", "beat")
    beat.wait_for("beat: Starting")
    again = receiver.next()
    assert again["delivery"] == in_flight["delivery"] == str(pending.pk)
    _wait_for_sweeps(workers, 4)
    delivered = _webhook(report.pk)
    assert (delivered.status, delivered.attempts) == (DeliveryStatus.DELIVERED, 1)
    assert receiver.requests.empty()  # delivered once more, not once per worker
    overdue = SentReminder.objects.filter(incident=significant_incident, kind=ReminderKind.OVERDUE)
    assert overdue.count() == overdue.values("stage", "due_at").distinct().count() >= 1
    assert verify()[1] == []
