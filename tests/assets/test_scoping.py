"""A user of another organisation gets 404 on every page and endpoint of the catalogue."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kiber.assets import services
from kiber.registry.choices import Role
from tests.support import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def foreign(subject_admin, organisation):
    a = services.create_system(subject_admin, organisation, {"name": "A"},
                               [{"name": "r", "tolerated_unplanned_downtime_pct": 5}])
    b = services.create_system(subject_admin, organisation, {"name": "B"},
                               [{"name": "r", "tolerated_unplanned_downtime_pct": 5}])
    dependency = services.add_dependency(subject_admin, a, b)
    person = services.add_person(subject_admin, a, {"name": "P", "role": "owner"})
    return {"system": a, "resource": a.resources.get(), "dependency": dependency, "person": person,
            "organisation": organisation}


@pytest.fixture
def intruder(make_user, other_organisation) -> Client:
    return sign_in(Client(), make_user(Role.SUBJECT_ADMIN, other_organisation))


def test_every_page_is_404_for_another_subject(intruder, foreign):
    s, r, d, p, o = (foreign[k].pk for k in ("system", "resource", "dependency", "person", "organisation"))
    pages = [
        ("assets:organisation", [o]), ("assets:export", [o, "csv"]), ("assets:export", [o, "xlsx"]),
        ("assets:system", [s]), ("assets:system_edit", [s]), ("assets:system_delete", [s]),
        ("assets:resource_new", [s]), ("assets:resource_edit", [r]), ("assets:resource_delete", [r]),
        ("assets:dependency_new", [s]), ("assets:dependency_delete", [d]),
        ("assets:person_new", [s]), ("assets:person_edit", [p]), ("assets:person_delete", [p]),
    ]
    for name, args in pages:
        url = reverse(name, args=args)
        assert intruder.get(url).status_code == 404, url
        assert intruder.post(url, {}).status_code == 404, url
    # Their own list does not show the other catalogue.
    assert "A" not in [s.name for s in intruder.get(reverse("assets:list")).context["systems"]]


def test_every_endpoint_is_404_for_another_subject(intruder, foreign):
    s, r, d = foreign["system"].pk, foreign["resource"].pk, foreign["dependency"].pk
    calls = [
        ("get", f"/api/v1/assets/systems/{s}"), ("patch", f"/api/v1/assets/systems/{s}"),
        ("delete", f"/api/v1/assets/systems/{s}"), ("get", f"/api/v1/assets/systems/{s}/resources"),
        ("post", f"/api/v1/assets/systems/{s}/resources"), ("get", f"/api/v1/assets/resources/{r}"),
        ("patch", f"/api/v1/assets/resources/{r}"), ("delete", f"/api/v1/assets/resources/{r}"),
        ("get", f"/api/v1/assets/systems/{s}/dependencies"), ("post", f"/api/v1/assets/systems/{s}/dependencies"),
        ("delete", f"/api/v1/assets/dependencies/{d}"),
    ]
    bodies = {"post": {"name": "x", "tolerated_unplanned_downtime_pct": 1, "provider_id": s}, "patch": {}}
    for method, url in calls:
        response = getattr(intruder, method)(url, bodies.get(method), content_type="application/json")
        assert response.status_code == 404, (method, url, response.status_code)
    listing = intruder.get("/api/v1/assets/systems").json()
    assert listing == []


def test_anonymous_is_refused(foreign):
    client = Client()
    assert client.get(reverse("assets:system", args=[foreign["system"].pk])).status_code == 302
    assert client.get(f"/api/v1/assets/systems/{foreign['system'].pk}").status_code == 401
