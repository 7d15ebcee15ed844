"""U+0000 anywhere in API input is a 422 with the field's path (PostgreSQL failed on it with a 500)."""

from __future__ import annotations

import pytest

from kiber.assets.models import InformationSystem
from kiber.registry.models import ApiToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, subject_admin):
    _, key = ApiToken.issue(subject_admin, "test")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


def _locs(response) -> list[list]:
    assert response.status_code == 422, response.content
    return [error["loc"] for error in response.json()["detail"]]


def test_query_parameter(api):
    assert _locs(api.get("/api/v1/registry/organisations?q=a%00b")) == [["query", "q"]]


def test_path_parameter(api):
    assert _locs(api.get("/api/v1/plans/plans/kods%00")) == [["path", "code"]]


def test_body_value_and_key_nothing_saved(api):
    body = {
        "name": "Internetbanka",
        "resources": [{"name": "Klientu\u0000dati", "tolerated_unplanned_downtime_pct": 1}],
        "extra": {"a\u0000": 1},
    }
    response = api.post("/api/v1/assets/systems", body, content_type="application/json")
    assert _locs(response) == [["body", "payload", "resources", 0, "name"], ["body", "payload", "extra", "a\x00"]]
    assert not InformationSystem.objects.exists()


def test_escaped_backslash_is_not_nul(api):
    body = {"name": "C:\\u0000", "resources": []}
    response = api.post("/api/v1/assets/systems", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert InformationSystem.objects.get().name == "C:\\u0000"


def test_rules_endpoint_without_auth(client):
    response = client.post("/api/v1/rules/significance", '{"facts": "\\u0000"}', content_type="application/json")
    assert _locs(response) == [["body", "facts"]]


@pytest.mark.parametrize("depth", [500, 50_000])
def test_deeply_nested_body(api, depth):
    body = '{"name": "x", "resources": [], "extra": ' + "[" * depth + '"\\u0000"' + "]" * depth + "}"
    response = api.post("/api/v1/assets/systems", body, content_type="application/json")
    if depth == 500:
        assert _locs(response) == [["body", "payload", "extra", *[0] * depth]]
    else:  # beyond what the JSON parser takes: Ninja's "cannot parse"
        assert response.status_code == 400
