"""Penetration tests (p. 132–135) and non-compliance escalation (p. 155–157) with the supervision rules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kiber.assets.models import InformationSystem
from kiber.audit.models import AuditEntry
from kiber.registry.choices import Role
from kiber.rules.working_days import add_working_days
from kiber.supervision import obligation_services as duties
from kiber.supervision.models import NonCompliance, Pentest
from tests.support import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank(make_organisation):
    return make_organisation(name="AS Banka KI", is_ci_owner=True)


@pytest.fixture
def bank_admin(make_user, bank):
    return make_user(Role.SUBJECT_ADMIN, bank)


@pytest.fixture
def core(bank):
    return InformationSystem.objects.create(organisation=bank, name="Kodolbanka", security_class="A")


def test_nkc_orders_bank_records_results_sab_sees_the_working_day_deadline(client, make_user, bank_admin, core):
    nkc = make_user(Role.NKC_SUPERVISOR)
    sign_in(client, nkc)
    response = client.post(
        reverse("supervision:pentest_order"),
        {"system": core.pk, "note": "Incidenti 2026.", "grounds": ["2", "4"], "due_by": "2027-03-01"},
    )
    pentest = Pentest.objects.get()
    assert response.status_code == 302 and pentest.trigger == "132.3" and pentest.grounds == ["2", "4"]
    assert AuditEntry.objects.filter(action="order", chain=str(core.organisation_id)).exists()

    sign_in(client, bank_admin)
    results_on = timezone.localdate() - timedelta(days=2)
    client.post(
        reverse("supervision:pentest", args=[pentest.pk]),
        {
            "tester": "csirt_with_sab",
            "tester_name": "CERT.LV",
            "sab_opinion_on": "2026-11-01",
            "status": "done",
            "performed_on": results_on.isoformat(),
            "results_on": results_on.isoformat(),
            "results_summary": "2 kritiskas ievainojamības",
            "version": 1,
        },
    )
    pentest.refresh_from_db()
    assert pentest.status == "done"
    assert pentest.results_to_sab_due == add_working_days(results_on, 10)
    assert "22-TA-3183 p.135" in pentest.obligations["basis"]

    sab = make_user(Role.SAB_OFFICER)
    sign_in(client, sab)
    page = client.get(reverse("supervision:pentest", args=[pentest.pk])).content.decode()
    assert "2 kritiskas ievainojamības" in page and pentest.results_to_sab_due.strftime("%d.%m.%Y") in page
    assert "Testa rezultāti SAB: Kodolbanka" in client.get(reverse("web:home")).content.decode()


def test_order_needs_a_p140_ground(client, make_user, core):
    sign_in(client, make_user(Role.SAB_OFFICER))
    response = client.post(reverse("supervision:pentest_order"), {"system": core.pk, "note": "x"})
    assert "140." in " ".join(response.context["form"].errors["grounds"]) and not Pentest.objects.exists()


def test_tester_involved_within_three_years_is_refused(client, bank_admin, core):
    sign_in(client, bank_admin)
    response = client.post(
        reverse("supervision:pentest_create"),
        {
            "system": core.pk,
            "trigger": "132.1.2",
            "tester": "own_staff",
            "tester_name": "Jānis",
            "tester_last_involved_on": (timezone.localdate() - timedelta(days=400)).isoformat(),
            "status": "planned",
        },
    )
    assert "133.1." in " ".join(response.context["form"].errors["tester_last_involved_on"])
    assert not Pentest.objects.exists()


def test_outside_tester_of_ci_needs_qualification_and_sab_opinion(bank_admin, core):
    with pytest.raises(duties.ServiceError) as exc:
        duties.create_pentest(
            bank_admin,
            core,
            "132.2",
            {"tester": "outside", "tester_name": "SIA X", "tester_certificate": "", "status": "planned"},
        )
    assert set(exc.value.errors) == {"tester_certificate", "sab_opinion_on"}


def test_class_a_schedule_on_the_subjects_page(client, bank_admin, core):
    Pentest.objects.create(
        organisation=core.organisation,
        system=core,
        trigger="132.1.2",
        status="done",
        tester="own_staff",
        performed_on=date(2023, 1, 10),
    )
    page = sign_in(client, bank_admin).get(reverse("supervision:pentests")).content.decode()
    assert "10.01.2026" in page and "nokavēts" in page and "132.1.2." in page


@pytest.fixture
def ministry(make_organisation):
    return make_organisation(
        name="Labklājības ministrija", entity_kind="central_public_administration", sector="public_administration"
    )


def test_nkc_escalates_an_overdue_ministry_non_compliance_and_gets_the_letter(client, make_user, ministry):
    nkc = make_user(Role.NKC_SUPERVISOR)
    sign_in(client, nkc)
    today = timezone.localdate()
    client.post(
        reverse("supervision:non_compliance_create"),
        {
            "organisation": ministry.pk,
            "source": "self_assessment",
            "requirement": "52. p.",
            "description": "Nav MFA administratoriem",
            "found_on": (today - timedelta(days=40)).isoformat(),
            "remedy_by": (today - timedelta(days=1)).isoformat(),
            "public_body_type": "direct_administration_institution",
        },
    )
    item = NonCompliance.objects.get()
    page = client.get(reverse("supervision:non_compliance", args=[item.pk])).content.decode()
    assert "attiecīgais Ministru kabineta loceklis" in page and "155." in page
    assert "Termiņš pagājis — ziņot" in client.get(reverse("web:home")).content.decode()

    client.post(
        reverse("supervision:non_compliance_escalate", args=[item.pk]),
        {"on": today.isoformat(), "version": item.version},
    )
    item.refresh_from_db()
    assert item.status == "escalated" and item.escalation["report_to"] == "responsible_cabinet_member"
    letter = client.get(reverse("supervision:non_compliance_letter", args=[item.pk]))
    assert b"".join(letter.streaming_content).startswith(b"%PDF")

    client.post(
        reverse("supervision:non_compliance_remedy", args=[item.pk]),
        {"on": today.isoformat(), "note": "Ministrs ziņoja MK; MFA ieviests.", "version": item.version},
    )
    item.refresh_from_db()
    assert item.status == "closed" and item.progress.count() == 1


def test_escalation_waits_for_the_deadline_and_needs_a_public_body(make_user, ministry, make_organisation):
    nkc = make_user(Role.NKC_SUPERVISOR)
    today = timezone.localdate()
    data = {
        "source": "audit",
        "source_reference": "",
        "requirement": "",
        "description": "x",
        "found_on": today,
        "remedy_by": today + timedelta(days=5),
        "public_body_type": "municipality",
    }
    item = duties.record_non_compliance(nkc, "nkc", ministry, data)
    with pytest.raises(duties.ServiceError):
        duties.escalate(nkc, item, None)
    bank = make_organisation(name="SIA Privāts")
    data |= {
        "remedy_by": today - timedelta(days=1),
        "found_on": today - timedelta(days=9),
        "public_body_type": "not_public_body",
    }
    private = duties.record_non_compliance(nkc, "nkc", bank, data)
    with pytest.raises(duties.ServiceError) as exc:
        duties.escalate(nkc, private, None)
    assert "155." in exc.value.errors[""][0]


def test_subject_sees_its_own_non_compliance_only(client, make_user, ministry, other_organisation, subject_admin):
    nkc = make_user(Role.NKC_SUPERVISOR)
    today = timezone.localdate()
    item = duties.record_non_compliance(
        nkc,
        "nkc",
        ministry,
        {
            "source": "audit",
            "source_reference": "",
            "requirement": "",
            "description": "Slepena neatbilstība",
            "found_on": today,
            "remedy_by": today + timedelta(days=30),
            "public_body_type": "direct_administration_institution",
        },
    )
    sign_in(client, subject_admin)
    assert client.get(reverse("supervision:non_compliance", args=[item.pk])).status_code == 404
    assert "Slepena" not in client.get(reverse("supervision:non_compliances")).content.decode()
    assert (
        client.post(reverse("supervision:non_compliance_escalate", args=[item.pk]), {"on": "2026-01-01"}).status_code
        == 403
    )
    minister_user = make_user(Role.SUBJECT_ADMIN, ministry)
    sign_in(client, minister_user)
    assert "Novērst neatbilstību: Labklājības ministrija" in client.get(reverse("web:home")).content.decode()


def test_overdue_class_a_test_on_the_subjects_home(client, bank_admin, core):
    page = sign_in(client, bank_admin).get(reverse("web:home")).content.decode()
    assert "A klases sistēmas ielaušanās tests: Kodolbanka" not in page  # no test yet: due before operation, no date
    Pentest.objects.create(
        organisation=core.organisation,
        system=core,
        trigger="132.1.2",
        status="done",
        tester="own_staff",
        performed_on=date(2023, 1, 10),
    )
    page = client.get(reverse("web:home")).content.decode()
    assert "A klases sistēmas ielaušanās tests: Kodolbanka" in page and "10.01.2026" in page
