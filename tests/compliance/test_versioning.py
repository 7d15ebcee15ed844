"""Compliance answers refuse a stale save (issue 10, finding 5): web form and API, nothing changes."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kiber.audit.models import AuditEntry
from kiber.compliance import services
from kiber.compliance.models import Answer, Requirement
from kiber.registry.choices import Role
from kiber.registry.models import ApiToken
from tests.compliance.conftest import class_a_system
from tests.support import sign_in

pytestmark = pytest.mark.django_db

REF = "22-TA-3183:11.1"


def _api(user) -> Client:
    _, key = ApiToken.issue(user, "test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def _put(api: Client, pk: int, body: dict, **headers):
    return api.put(f"/api/v1/compliance/assessments/{pk}/answers", body, content_type="application/json", **headers)


def test_two_api_clients_answering_from_the_same_read_second_gets_412(
    catalogue, organisation, subject_admin, make_user
):
    assessment = services.start_assessment(subject_admin, organisation)
    alice, bob = _api(subject_admin), _api(make_user(Role.CYBER_MANAGER, organisation))
    items = alice.get(f"/api/v1/compliance/assessments/{assessment.pk}").json()["items"]
    seen = next(i for i in items if i["requirement"] == REF)["version"]
    assert seen == 0  # not answered yet

    first = _put(alice, assessment.pk, {"requirement": REF, "status": "implemented"}, HTTP_IF_MATCH=f'"{seen}"')
    second = _put(
        bob,
        assessment.pk,
        {"requirement": REF, "status": "not_applicable", "justification": "Nav"},
        HTTP_IF_MATCH=f'"{seen}"',
    )
    assert first.status_code == 200 and first["ETag"] == '"1"' and first.json()["version"] == 1
    assert second.status_code == 412 and second.json()["version"] == 1
    answer = Answer.objects.get(requirement__ref=REF)
    assert (answer.status, answer.version) == ("implemented", 1)

    # From version 1: one edit wins, the other (also from version 1, in the body this time) is refused.
    assert (
        _put(
            alice,
            assessment.pk,
            {"requirement": REF, "status": "partial", "gap_owner": "IT", "target_date": "2027-01-31", "version": 1},
        ).status_code
        == 200
    )
    stale = _put(bob, assessment.pk, {"requirement": REF, "status": "implemented", "comment": "Boba", "version": 1})
    assert stale.status_code == 412
    answer.refresh_from_db()
    assert (answer.status, answer.comment, answer.version) == ("partial", "", 2)
    answer_entries = AuditEntry.objects.filter(object_type="compliance.answer", object_id=str(answer.pk))
    assert [e.action for e in answer_entries.order_by("pk")] == ["create", "update"]


def test_two_people_saving_the_same_answer_form_second_gets_the_conflict(
    client, catalogue, organisation, subject_admin, make_user
):
    system = class_a_system(organisation)
    assessment = services.start_assessment(subject_admin, organisation)
    mfa = Requirement.objects.get(ref="22-TA-3183:53.1")
    prefix = f"item-{mfa.pk}-{system.pk}"
    page = reverse("compliance:assessment", args=[assessment.pk]) + f"?section={mfa.section_number}"
    url = reverse("compliance:answer", args=[assessment.pk, mfa.pk, system.pk])
    alice = sign_in(client, subject_admin)
    bob = sign_in(Client(), make_user(Role.CYBER_MANAGER, organisation))
    assert f'name="{prefix}-version" value="0"' in alice.get(page).content.decode()
    bob.get(page)

    assert alice.post(url, {f"{prefix}-status": "implemented", f"{prefix}-version": "0"}).status_code == 302
    response = bob.post(
        url,
        {
            f"{prefix}-status": "not_implemented",
            f"{prefix}-gap_owner": "IT",
            f"{prefix}-target_date": "2027-01-31",
            f"{prefix}-version": "0",
        },
    )
    assert response.status_code == 409
    assert "Kāds cits jau ir mainījis šo ierakstu" in response.content.decode()
    assert "Šis lauks ir nepieciešams" not in response.content.decode()  # no file sent: no file error
    answer = Answer.objects.get(requirement=mfa, system=system)
    assert (answer.status, answer.version) == ("implemented", 1)

    assert f'name="{prefix}-version" value="1"' in alice.get(page).content.decode()
    assert (
        alice.post(
            url,
            {
                f"{prefix}-status": "partial",
                f"{prefix}-gap_owner": "IT",
                f"{prefix}-target_date": "2027-01-31",
                f"{prefix}-version": "1",
            },
        ).status_code
        == 302
    )
    again = bob.post(url, {f"{prefix}-status": "implemented", f"{prefix}-version": "1"})
    assert again.status_code == 409
    answer.refresh_from_db()
    assert (answer.status, answer.version) == ("partial", 2)
