"""Risk methodology, risks on the subject's matrix, treatment measures, continuity objectives (p. 42–43)."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from kiber.governance.models import ContinuityObjective, Risk
from kiber.governance.services import risks
from tests.governance.conftest import client_for

pytestmark = pytest.mark.django_db

METHODOLOGY = {
    "risk_list": "Ļaunatūra; pakalpojuma atteice; piegādātāja kompromitēšana",
    "likelihood_levels": ["reti", "iespējami", "bieži"],
    "impact_levels": ["maza", "vidēja", "liela"],
    "acceptable_score": 3,
    "review_period_months": 12,
    "description": "",
}


def risk_data(system, **overrides):
    return {
        "system": system,
        "scope": "",
        "title": "Izspiedējvīruss",
        "threat": "",
        "supply_chain": False,
        "likelihood": 2,
        "impact": 3,
        "previous_likelihood": 1,
        "previous_impact": 3,
        "owner": "IT",
        **overrides,
    }


def continuity_data(system, **overrides):
    return {
        "system": system,
        "rpo_hours": 1,
        "rto_hours": 4,
        "mtd_hours": 8,
        "monitoring": "Zabbix",
        "exceedance_action": "Eskalācija",
        "recovery_plan": "Pāreja uz rezerves centru",
        "reserve_resources": "",
        "provider_independent_ip": False,
        **overrides,
    }


def test_risk_needs_methodology_and_fits_its_scale(bank, bank_admin, bank_system):
    with pytest.raises(ValidationError):
        risks.save_risk(bank_admin, bank, risk_data(bank_system))
    risks.save_methodology(bank_admin, bank, METHODOLOGY)
    with pytest.raises(ValidationError) as exc:
        risks.save_risk(bank_admin, bank, risk_data(bank_system, likelihood=4))
    assert "likelihood" in exc.value.message_dict
    with pytest.raises(ValidationError):
        risks.save_methodology(bank_admin, bank, {**METHODOLOGY, "acceptable_score": 10})
    risk = risks.save_risk(bank_admin, bank, risk_data(bank_system))
    assert risk.score == 6 and risk.previous_score == 3


def test_measure_needs_deadline_or_periodicity(bank, bank_admin, bank_system):
    risks.save_methodology(bank_admin, bank, METHODOLOGY)
    risk = risks.save_risk(bank_admin, bank, risk_data(bank_system))
    data = {
        "description": "EDR",
        "implementer": "IT",
        "controller": "KDP",
        "due_on": None,
        "periodicity": "",
        "status": "planned",
        "progress": 0,
    }
    with pytest.raises(ValidationError):
        risks.save_measure(bank_admin, risk, data)
    risks.save_measure(bank_admin, risk, {**data, "periodicity": "reizi ceturksnī"})


def test_rto_over_mtd_is_refused_and_checks_warn(bank, bank_admin, bank_system):
    with pytest.raises(ValidationError) as exc:
        risks.save_continuity(bank_admin, bank, continuity_data(bank_system, rto_hours=10))
    assert "rto_hours" in exc.value.message_dict
    assert not ContinuityObjective.objects.exists()
    objective = risks.save_continuity(bank_admin, bank, continuity_data(bank_system))
    warnings = risks.continuity_warnings(objective)
    assert any("43.2" in w for w in warnings) and any("43.3" in w for w in warnings)


def test_rto_over_mtd_is_a_form_error(bank, bank_admin, bank_system):
    client = client_for(bank_admin)
    response = client.post(
        reverse("governance:continuity_new"),
        {
            "system": bank_system.pk,
            "rpo_hours": 1,
            "rto_hours": 9,
            "mtd_hours": 8,
            "monitoring": "m",
            "exceedance_action": "e",
            "recovery_plan": "r",
        },
    )
    assert response.status_code == 200 and "RTO nevar būt lielāks par MTD" in response.content.decode()


def test_risk_pages_matrix_and_export(bank, bank_admin, bank_system, sab_officer):
    risks.save_methodology(bank_admin, bank, METHODOLOGY)
    risks.save_risk(bank_admin, bank, risk_data(bank_system, supply_chain=True))
    client = client_for(bank_admin)
    page = client.get(reverse("governance:risks")).content.decode()
    assert "Izspiedējvīruss" in page and "jāpārvalda" in page and 'class="matrix"' in page
    export = client.get(reverse("governance:risks_export"))
    sheet = load_workbook(BytesIO(export.content)).active
    assert sheet.cell(2, 1).value == "Izspiedējvīruss" and sheet.cell(2, 6).value == 6
    sab = client_for(sab_officer)
    assert sab.get(reverse("governance:risks")).status_code == 200  # the subject picker
    read = sab.get(reverse("governance:risks") + f"?organisation={bank.pk}").content.decode()
    assert "Izspiedējvīruss" in read and reverse("governance:risk_new") not in read
    assert sab.post(reverse("governance:risk_new"), {}).status_code == 404
    assert Risk.objects.count() == 1


def test_plan_responsible_p22_and_p46_2(bank, bank_admin, make_user):
    from datetime import timedelta

    from django.utils import timezone

    from kiber.registry import services as registry_services
    from kiber.registry.choices import Duty
    from kiber.rules.working_days import add_working_days

    today = timezone.localdate()
    notice = risks.save_plan_responsible_notice(bank_admin, bank, {"appointed_on": today - timedelta(days=20)})
    assert risks.plan_responsible_due(notice) == add_working_days(notice.appointed_on, 5)
    with pytest.raises(ValidationError):
        risks.save_plan_responsible_notice(
            bank_admin, bank, {"sab_informed_on": today + timedelta(days=1), "version": notice.version}
        )
    registry_services.set_responsible_person(bank_admin, bank, Duty.PLAN, "Inga Kalna", "", "inga@banka.lv")
    client = client_for(bank_admin)
    page = client.get(reverse("governance:continuity")).content.decode()
    assert "Inga Kalna" in page and "22-TA-3183 p.46.2" in page and "nokavēts" in page
    response = client.post(
        reverse("governance:plan_responsible_notice"),
        {
            "appointed_on": notice.appointed_on.isoformat(),
            "sab_informed_on": today.isoformat(),
            "version": notice.version,
        },
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.sab_informed_on == today
