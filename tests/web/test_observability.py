"""Request ids, JSON logs and the operator's metrics endpoint (issue 17, item 4)."""

from __future__ import annotations

import json
import logging
from types import SimpleNamespace

import pytest

from kiber import observability
from kiber.incidents.sweep import run_sweep

pytestmark = pytest.mark.django_db
TOKEN = "metrics-token-0123456789"


def test_every_response_names_its_request(client):
    generated = client.get("/healthz")["X-Request-ID"]
    assert len(generated) == 32 and generated != client.get("/healthz")["X-Request-ID"]
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-1234abcd")["X-Request-ID"] == "lb-1234abcd"
    for hostile in ("x", "a" * 65, "id with spaces", "id\r\nSet-Cookie: a=b"):
        assert client.get("/healthz", HTTP_X_REQUEST_ID=hostile)["X-Request-ID"] not in (hostile, "-")


def test_log_lines_written_during_a_request_carry_its_id(client):
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    handler.addFilter(observability.RequestIdFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        client.get("/no-such-page/", HTTP_X_REQUEST_ID="trace-00000001")
    finally:
        logger.removeHandler(handler)
    assert [r.request_id for r in records] == ["trace-00000001"]
    assert observability.request_id.get() == "-"  # nothing leaks past the request


def test_the_json_formatter_writes_one_object_per_line():
    token = observability.request_id.set("trace-00000002")
    try:
        record = logging.LogRecord("kiber.x", logging.ERROR, __file__, 1, "Ziņojums %s", ("nr. 1",), None)
        observability.RequestIdFilter().filter(record)
    finally:
        observability.request_id.reset(token)
    line = observability.JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "Ziņojums nr. 1" and entry["request_id"] == "trace-00000002"
    assert entry["level"] == "ERROR" and entry["logger"] == "kiber.x"


def test_a_task_carries_the_request_id_of_the_request_that_enqueued_it():
    headers: dict[str, str] = {}
    token = observability.request_id.set("trace-00000003")
    try:
        observability.attach_request_id(headers=headers)
    finally:
        observability.request_id.reset(token)
    task = SimpleNamespace(request=SimpleNamespace(**headers))
    observability.adopt_request_id(task=task)
    assert observability.request_id.get() == "trace-00000003"
    observability.adopt_request_id(task=SimpleNamespace(request=SimpleNamespace()))
    assert len(observability.request_id.get()) == 32  # a task of its own (beat) gets a new id


def test_metrics_exist_only_for_the_operators_token(client, settings):
    settings.KIBER_METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 404
    settings.KIBER_METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


def _sample(text: str, name: str, **labels: str) -> float:
    wanted = "{" + ",".join(f'{k}="{v}"' for k, v in sorted(labels.items())) + "}" if labels else ""
    for line in text.splitlines():
        if line.startswith(name + wanted + " "):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{name}{wanted} not in the metrics")


def test_metrics_report_requests_records_and_sweeps(client, settings, report):
    settings.KIBER_METRICS_TOKEN = TOKEN
    scrape = lambda: client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()  # noqa: E731
    before = scrape()
    client.get("/healthz")
    run_sweep()
    after = scrape()
    count = "kiber_http_request_duration_seconds_count"
    assert _sample(after, count, method="GET", status="200", view="healthz") == (
        _sample(before, count, method="GET", status="200", view="healthz") + 1
        if f'{count}{{method="GET",status="200",view="healthz"}}' in before
        else 1
    )
    assert _sample(after, "kiber_sweep_duration_seconds_count") >= 1
    assert _sample(after, "kiber_reports_submitted", stage="early_warning") == 1
    assert _sample(after, "kiber_deliveries", status=report.deliveries.first().status) >= 1
    assert _sample(after, "kiber_report_stages_overdue") == 0
