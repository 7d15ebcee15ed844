"""How many queries the hot write paths of the API make, per database vendor (like NetBox's
``query_counts.json``): a change that adds a query fails here, in CI, not in a benchmark. When a change is
meant to alter a count, update ``query_counts.json`` in the same commit (the failure lists the queries)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kiber.registry.models import ApiToken

from .test_api import BASE, ew_body

pytestmark = pytest.mark.django_db
EXPECTED = json.loads(Path(__file__).with_name("query_counts.json").read_text())


@pytest.fixture
def api(client, cloud_user):
    _, key = ApiToken.issue(cloud_user, "SOC")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


def counted(api, path, body, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = api.post(BASE + path, body, content_type="application/json", **headers)
    return response, [q["sql"] for q in queries.captured_queries]


def assert_count(name, queries):
    expected = EXPECTED[name][connection.vendor]
    # Inside the test's transaction BEGIN and COMMIT are a savepoint and its release: counted here too.
    assert len(queries) == expected, f"{name}: {len(queries)} queries, expected {expected}:\n" + "\n".join(
        q[:160] for q in queries
    )


def test_early_warning(api):
    api.post(BASE + "/early-warnings", ew_body(), content_type="application/json", HTTP_IDEMPOTENCY_KEY="warm")
    response, queries = counted(api, "/early-warnings", ew_body(), HTTP_IDEMPOTENCY_KEY="k-2")
    assert response.status_code == 201, response.content
    assert_count("early_warning", queries)


def test_retry_of_an_early_warning(api):
    api.post(BASE + "/early-warnings", ew_body(), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    response, queries = counted(api, "/early-warnings", ew_body(), HTTP_IDEMPOTENCY_KEY="k-1")
    assert response.status_code == 201, response.content
    assert_count("early_warning_retry", queries)


def test_report_after_the_early_warning(api):
    first = api.post(BASE + "/early-warnings", ew_body(), content_type="application/json").json()
    body = {"stage": "early_warning", "answers": ew_body()["answers"]}  # a corrected version
    response, queries = counted(api, f"/incidents/{first['incident_id']}/reports", body, HTTP_IDEMPOTENCY_KEY="r-1")
    assert response.status_code == 201, response.content
    assert_count("report", queries)
