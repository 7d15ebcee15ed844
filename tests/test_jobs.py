"""The platform's job runner (kiber.jobs): how each backend runs a job, and the periodic schedule."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import transaction

from kiber import jobs
from kiber.jobs import runner, tasks, worker

ran: list[tuple[object, ...]] = []
done = threading.Event()


def remember(*args: object) -> None:
    """A job for these tests."""
    ran.append(args)
    done.set()


JOB = f"{__name__}.remember"


@pytest.fixture(autouse=True)
def _forget():
    ran.clear()
    done.clear()


def test_a_job_is_a_dotted_function_name():
    runner.run(JOB, 1, "a")
    assert ran == [(1, "a")]
    with pytest.raises(ValueError):
        runner.run("remember")


def test_inline_runs_at_once_and_off_leaves_the_work(settings):
    settings.KIBER_JOBS_BACKEND = "inline"
    jobs.enqueue(JOB, 1)
    settings.KIBER_JOBS_BACKEND = "off"
    jobs.enqueue(JOB, 2)
    assert ran == [(1,)]


@pytest.mark.django_db
def test_a_job_queued_in_a_transaction_runs_only_after_the_commit(settings, django_capture_on_commit_callbacks):
    settings.KIBER_JOBS_BACKEND = "inline"
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            jobs.enqueue_after_commit(JOB, 1)
            assert ran == []
    assert ran == [(1,)]
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            jobs.enqueue_after_commit(JOB, 2)
            raise RuntimeError("rolled back")
    assert ran == [(1,)]


def test_celery_backend_sends_the_one_task(settings, monkeypatch):
    settings.KIBER_JOBS_BACKEND = "celery"
    sent = []
    monkeypatch.setattr(tasks.run_job, "delay", lambda *args: sent.append(args))
    jobs.enqueue(JOB, 7)
    assert sent == [(JOB, 7)] and ran == []
    assert tasks.run_job.name == "kiber.jobs.run"
    tasks.run_job(JOB, 7)  # what the Celery worker does with it
    assert ran == [(7,)]


def test_thread_backend_runs_the_job_in_the_worker(settings, monkeypatch):
    settings.KIBER_JOBS_BACKEND = "thread"
    monkeypatch.setattr(worker, "FIRST_RUN_DELAY", 10**9)  # no periodic job in the test session
    jobs.enqueue(JOB, 3)
    assert done.wait(timeout=60)
    assert ran == [(3,)]


def test_the_worker_runs_the_periodic_job_due_first():
    assert ("kiber.incidents.jobs.sweep", 3600.0) in worker.PERIODIC
    assert worker.next_periodic({"kiber.incidents.jobs.sweep": 10.0, "a.job": 5.0}) == ("a.job", 5.0)
    assert worker.next_periodic({"z.job": 5.0, "b.job": 5.0}) == ("b.job", 5.0)


@pytest.mark.parametrize(
    ("variables", "expected"),
    [({}, "thread"), ({"KIBER_JOBS_BACKEND": "celery"}, "celery"), ({"KIBER_INCIDENTS_BACKGROUND": "off"}, "off")],
)
def test_the_setting_and_its_former_name(tmp_path, variables, expected):
    environment = {k: v for k, v in os.environ.items() if k not in ("KIBER_JOBS_BACKEND", "KIBER_INCIDENTS_BACKGROUND")}
    environment.update(variables, KIBER_VAR_DIR=str(tmp_path), PYTHONPATH=str(Path(jobs.__file__).parents[2]))
    code = "from kiber import settings; print(settings.KIBER_JOBS_BACKEND)"
    out = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == expected
