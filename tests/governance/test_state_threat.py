"""A CI owner's continuity plan for a state threat (p. 112–117, Annex 8)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kiber.governance.models import StateThreatPlan
from kiber.governance.services import state_threat
from kiber.rules.review_intervals import add_months, add_years
from tests.governance.conftest import client_for

pytestmark = pytest.mark.django_db


def plan_data(**overrides):
    today = timezone.localdate()
    data = {
        "responsible_name": "Inga Kalna",
        "responsible_email": "inga@banka.lv",
        "responsible_appointed_on": today - timedelta(days=60),
        "exemption": False,
        "exemption_basis": "",
        "content_points": ["3", "4", "6"],
        "approved_on": None,
        "sab_delivered_on": None,
        "self_assessment_on": None,
    }
    return {**data, **overrides}


def test_approval_needs_sab_agreement_first_then_deadlines(bank, bank_admin, sab_officer):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        state_threat.save_plan(bank_admin, bank, plan_data(approved_on=today - timedelta(days=5)))
    assert "approved_on" in exc.value.message_dict
    plan = state_threat.save_plan(bank_admin, bank, plan_data())
    sab = client_for(sab_officer)
    url = reverse("governance:state_threat") + f"?organisation={bank.pk}"
    response = sab.post(
        url, {"sab_agreed_on": (today - timedelta(days=10)).isoformat(), "vetting": "suitable", "version": plan.version}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    plan = state_threat.save_plan(
        bank_admin, bank, plan_data(approved_on=today - timedelta(days=5), sab_delivered_on=today, version=plan.version)
    )
    delivery, review = state_threat.deadlines(plan)
    assert (
        delivery.due == add_months(plan.approved_on, 1) and delivery.status == "met" and delivery.basis.endswith("114")
    )
    assert review.due == add_years(plan.approved_on, 4)


def test_only_ci_owners_and_not_nkc(make_organisation, make_user, bank, bank_admin, nkc):
    from kiber.registry.choices import Role

    other = make_organisation(name="SIA Nav KI")
    with pytest.raises(ValidationError):
        state_threat.save_plan(make_user(Role.SUBJECT_ADMIN, other), other, plan_data())
    state_threat.save_plan(bank_admin, bank, plan_data())
    assert client_for(bank_admin).get(reverse("governance:state_threat")).status_code == 200
    url = reverse("governance:state_threat") + f"?organisation={bank.pk}"
    assert client_for(nkc).get(url).status_code == 404
    assert StateThreatPlan.objects.count() == 1
