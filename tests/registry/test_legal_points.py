"""Issue 16: each point of 22-TA-3183 the registry got wrong, with the point's Latvian text quoted."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kiber.registry import services
from kiber.registry.choices import Role
from tests.registry.conftest import manager_data
from tests.support import sign_in

pytestmark = pytest.mark.django_db


def test_p11_manager_notice_goes_to_nkc_and_sab_for_every_subject(client, make_organisation, make_user):
    """p. 11: "Subjekts paziņo Nacionālajam kiberdrošības centram, nosūtot uz Aizsardzības ministrijas
    oficiālo elektronisko adresi, un Satversmes aizsardzības birojam, nosūtot uz tā oficiālo elektronisko
    adresi, [..] paziņojuma par kiberdrošības pārvaldnieku veidlapu (3. pielikums)" — any subject, not
    only a CI owner; status notices keep their own routing (p. 8–9)."""
    important = make_organisation(name="SIA Svarīgā", sector="health", category="important", size="medium")
    admin = make_user(Role.SUBJECT_ADMIN, important)
    appointment = services.appoint_manager(admin, important, manager_data())
    notice = services.submit_manager_notification(admin, important, appointment)
    assert set(notice.deliveries.values_list("recipient", flat=True)) == {"nkc", "sab"}
    assert notice.snapshot["recipients"] == ["nkc", "sab"] and "22-TA-3183 p.11" in notice.snapshot["basis"]
    from tests.registry.conftest import status_data

    status = services.submit_status_notification(admin, important, status_data())
    assert list(status.deliveries.values_list("recipient", flat=True)) == ["nkc"]  # p. 8, not a CI owner

    # SAB reads it in its inbox, although it does not otherwise supervise this subject.
    sign_in(client, make_user(Role.SAB_OFFICER))
    inbox = client.get(reverse("registry:inbox")).content.decode()
    assert "SIA Svarīgā" in inbox and reverse("registry:submission", args=[notice.pk]) in inbox
    assert reverse("registry:detail", args=[important.pk]) not in inbox  # the subject itself stays out of scope
    assert reverse("registry:submission", args=[status.pk]) not in inbox
    assert client.get(reverse("registry:submission", args=[notice.pk])).status_code == 200
    assert notice.deliveries.get(recipient="sab").read_at is not None
    assert client.get(reverse("registry:submission", args=[status.pk])).status_code == 404
    assert client.get(reverse("registry:detail", args=[important.pk])).status_code == 404


def test_p107_3_ci_status_is_set_only_by_sabs_designation(client, make_organisation, make_user):
    """p. 107.3: "Satversmes aizsardzības birojs [..] informē A, B vai C kategorijas IKT kritiskās
    infrastruktūras īpašnieku vai tiesisko valdītāju: 107.3.1. par IKT kritiskās infrastruktūras
    iekļaušanu kritiskās infrastruktūras kopumā, 107.3.2. par [..] noteikšanu par Eiropas mērogā īpaši
    nozīmīgu kritisko infrastruktūru; 107.3.3. [..] izslēgšanu no kritiskās infrastruktūras kopuma." """
    from datetime import date

    from kiber.audit.models import AuditEntry
    from kiber.registry.models import Organisation

    org = make_organisation(name="AS Tīkls")
    admin = make_user(Role.SUBJECT_ADMIN, org)
    api = client
    sign_in(api, admin)
    url = "/api/v1/registry/organisations/own"

    # The subject can no longer make itself a CI owner: the API refuses the field, the form has none.
    response = api.patch(url, {"is_ci_owner": True}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "is_ci_owner"]
    org.refresh_from_db()
    assert not org.is_ci_owner
    assert 'name="is_ci_owner"' not in api.get(reverse("registry:edit")).content.decode()
    with pytest.raises(PermissionError):
        services.record_ci_designation(
            admin, org, {"notice": "inclusion", "category": "A", "notice_date": date(2026, 1, 5)}
        )

    # SAB records the inclusion notice on its screen; the subject becomes a CI owner, audited.
    sab = make_user(Role.SAB_OFFICER)
    client.logout()
    sign_in(client, sab)
    assert client.get(reverse("registry:ci_designations")).status_code == 200
    response = client.post(
        reverse("registry:ci_designations"),
        {
            "registration_number": org.registration_number,
            "notice": "inclusion",
            "category": "B",
            "notice_date": "2026-01-05",
            "reference": "SAB-KI/2026/7",
        },
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.is_ci_owner and org.ci_designation.category == "B"
    assert services.subject_tier(org) == "ci_owner"
    assert AuditEntry.objects.filter(action="update", changes__is_ci_owner=[False, True]).exists()
    missing = client.post(
        reverse("registry:ci_designations"),
        {"registration_number": org.registration_number, "notice": "inclusion", "notice_date": "2026-01-05"},
    )
    assert missing.status_code == 200 and org.ci_designations.count() == 1  # no category: a form error

    # The subject sees the notice and its date, on its page and in the API.
    client.logout()
    sign_in(client, admin)
    page = client.get(reverse("registry:own")).content.decode()
    assert "Iekļaušana kritiskās infrastruktūras kopumā" in page and "05.01.2026" in page and "107.3" in page
    own = client.get(url).json()
    assert own["is_ci_owner"] and own["ci_designation"]["notice_date"] == "2026-01-05"
    assert (
        client.post(
            "/api/v1/registry/ci-designations",
            {"registration_number": org.registration_number, "notice": "exclusion", "notice_date": "2026-02-01"},
            content_type="application/json",
        ).status_code
        == 403
    )

    # SAB's exclusion notice ends the status (p. 107.3.3); history keeps both notices.
    services.record_ci_designation(sab, org, {"notice": "exclusion", "notice_date": date(2026, 2, 1)})
    org = Organisation.objects.get(pk=org.pk)
    assert not org.is_ci_owner and services.subject_tier(org) == "essential"
    assert list(org.ci_designations.values_list("notice", flat=True)) == ["exclusion", "inclusion"]


def test_p8_3_accepted_loss_of_status_notice_ends_the_duties(client, make_organisation, make_user, settings):
    """p. 8.3 (and 10.3 for a domain registrar): the provider notifies NKC "par būtisko pakalpojumu
    sniedzēja vai svarīgo pakalpojumu sniedzēja statusa zaudēšanu" — once the notice is accepted the
    subject has no tier, no self-assessment campaign is opened, no deadline runs, and history stays."""
    from datetime import timedelta

    from django.utils import timezone

    from kiber.compliance import services as compliance
    from kiber.compliance.loader import load_catalogue
    from kiber.compliance.models import Assessment, Schedule
    from kiber.incidents import services as incidents
    from kiber.incidents.deadlines import due_moments
    from kiber.incidents.models import SentReminder
    from kiber.incidents.sweep import run_sweep
    from kiber.registry.models import Organisation
    from tests.registry.conftest import status_data

    settings.KIBER_INCIDENTS_BACKGROUND = "inline"
    load_catalogue()
    org = make_organisation(name="AS Bijušais", category="important", size="medium")
    admin = make_user(Role.SUBJECT_ADMIN, org)
    first = services.submit_status_notification(admin, org, status_data())
    compliance.start_assessment(admin, org)
    incident = incidents.create_incident(
        admin,
        org,
        {
            "title": "Dīkstāve",
            "detected_at": timezone.now() - timedelta(hours=30),
            "type_codes": ["06"],
            "description": "API nepieejams.",
        },
    )
    incident = incidents.assess_significance(admin, incident, "other", {"deaths": 1})
    assert [m.stage for m in due_moments(incident) if not m.done]  # deadlines run before the loss

    # A loss notice without a reason is refused (the path tested before) and changes nothing.
    with pytest.raises(services.RegistryError):
        services.submit_status_notification(admin, org, status_data(notice_type="loss"))
    assert Organisation.objects.get(pk=org.pk).status_lost_at is None

    loss = services.submit_status_notification(
        admin, org, status_data(notice_type="loss", loss_reason="Darbinieku skaits samazinājies zem 50")
    )
    org = Organisation.objects.get(pk=org.pk)
    assert loss.snapshot["basis"] == ["22-TA-3183 p.8.3"] and org.status_lost_at == loss.submitted_at
    assert org.effective_category == "out_of_scope" and services.subject_tier(org) is None
    # No campaign is opened, the schedule is gone, no incident deadline runs, no reminder is sent.
    assert not Schedule.objects.filter(organisation=org).exists()
    assert compliance.refresh_campaigns().subjects == 0
    assert compliance.sync_campaigns(None, org).created is None
    incident.refresh_from_db()
    assert [m for m in due_moments(incident) if not m.done] == []
    run_sweep(timezone.now())
    assert not SentReminder.objects.filter(incident=incident).exists()
    # History stays: every submission, the campaign and the incident are kept.
    assert set(org.submissions.values_list("pk", flat=True)) == {first.pk, loss.pk}
    assert Assessment.objects.filter(organisation=org).count() == 1 and org.incidents.count() == 1
    sign_in(client, admin)
    page = client.get(reverse("registry:own")).content.decode()
    assert "Statuss zaudēts" in page and "8.3" in page
    home = client.get(reverse("compliance:home")).content.decode()
    assert "Statuss zaudēts" in home
    assert not Schedule.objects.filter(organisation=org).exists()  # the home page did not bring it back
    # A change notice after the loss is refused; a new initial notice restores the duties (p. 8.1).
    with pytest.raises(services.RegistryError):
        services.submit_status_notification(admin, org, status_data(notice_type="change"))
    services.submit_status_notification(admin, org, status_data())
    org = Organisation.objects.get(pk=org.pk)
    assert org.status_lost_at is None and services.subject_tier(org) == "important"


def test_p15_18_sabs_check_of_a_ci_manager_candidate(
    client, make_organisation, make_user, settings, django_capture_on_commit_callbacks
):
    """p. 16: the CI owner "kiberdrošības pārvaldnieka kandidāta saskaņošanai iesniedz Satversmes
    aizsardzības birojam [..] pieteikuma veidlapu"; p. 17: SAB "mēneša laikā no [..] pieteikuma
    saņemšanas brīža pārbauda" the candidate; p. 15: "par pārbaudes rezultātiem informējot attiecīgā
    subjekta vadītāju"; p. 18: "Ne vēlāk kā 3 mēnešus pirms noteiktā kiberdrošības pārvaldnieka darbības
    termiņa beigām" the next candidate is notified to SAB."""
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from django.core import mail
    from django.utils import timezone

    from kiber.incidents.calendar_feed import build
    from kiber.incidents.models import Notification
    from kiber.incidents.sweep import run_sweep
    from kiber.registry import deadlines
    from kiber.registry.models import ManagerReminder

    settings.KIBER_INCIDENTS_BACKGROUND = "inline"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    ci = make_organisation(name="AS KI Tīkls", is_ci_owner=True)
    admin = make_user(Role.SUBJECT_ADMIN, ci, email="vaditajs@ki.lv")
    sab = make_user(Role.SAB_OFFICER)
    appointment = services.appoint_manager(admin, ci, manager_data(term_start=date(2026, 1, 31)))
    assert not appointment.eligible and appointment.sab_check_due_at is None

    # The application is its own submission, to SAB only; the answer is due one calendar month later.
    application = services.submit_candidate_application(admin, ci, appointment)
    assert application.kind == "candidate" and application.snapshot["basis"] == ["22-TA-3183 p.16", "22-TA-3183 p.17"]
    assert list(application.deliveries.values_list("recipient", flat=True)) == ["sab"]
    appointment.refresh_from_db()
    riga = ZoneInfo("Europe/Riga")
    received = timezone.localtime(application.submitted_at, riga)
    due = timezone.localtime(appointment.sab_check_due_at, riga)
    assert (due.hour, due.minute) == (received.hour, received.minute) and due > received
    assert services.sab_answer_due(datetime(2026, 1, 31, 10, 0, tzinfo=riga)) == datetime(
        2026, 2, 28, 10, 0, tzinfo=riga
    )
    not_ci = make_organisation(name="SIA Nav KI")
    with pytest.raises(services.RegistryError):  # only a CI owner applies (p. 16)
        services.submit_candidate_application(make_user(Role.SUBJECT_ADMIN, not_ci), not_ci, appointment)

    # SAB sees the pending check with its deadline (inbox, iCal); the sweep reminds it once when overdue.
    assert [d.duty for d in deadlines.deadlines_for(sab)] == ["sab_check"]
    sign_in(client, sab)
    inbox = client.get(reverse("registry:inbox")).content.decode()
    assert 'id="pending-checks"' in inbox and due.strftime("%d.%m.%Y") in inbox
    assert b"SAB atbilde par kiberdro" in build(sab)
    later = appointment.sab_check_due_at + timezone.timedelta(hours=1)
    run_sweep(later)
    run_sweep(later)
    assert ManagerReminder.objects.filter(appointment=appointment, duty="sab_check", kind="overdue").count() == 1
    assert Notification.objects.filter(user=sab, subject__contains="nokavēts").count() == 1

    # SAB's result goes to the subject's head (p. 15) and ends the deadline.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.record_sab_check(sab, appointment, "no_risks")
    appointment.refresh_from_db()
    assert appointment.eligible and appointment.sab_checked_at is not None
    assert any("vaditajs@ki.lv" in m.to for m in mail.outbox)
    assert deadlines.deadlines_for(sab) == []

    # p. 18: the successor notice is due three months before the term ends, in the subject's deadlines.
    [successor] = deadlines.deadlines_for(admin)
    assert successor.duty == "successor_notice" and appointment.term_end is not None
    assert successor.due_at.date().isoformat() == appointment.eligibility["successor_notice_due"]
    client.logout()
    sign_in(client, admin)
    page = client.get(reverse("registry:own")).content.decode()
    assert 'id="sab-check"' in page and "paziņots subjekta vadītājam" in page


def test_p10_working_day_deadlines_use_the_working_days_rule(client, make_organisation, make_user, monkeypatch):
    """p. 46.2 (also 67.2, 76.2): a CI owner "nekavējoties, bet ne vēlāk kā piecu darba dienu laikā pēc [..]
    personas noteikšanas, informē Satversmes aizsardzības biroju" — the due date comes from the
    ``working-days`` rule on the Latvian calendar (19.12.2025 + 5 working days = 05.01.2026)."""
    from datetime import date

    from django.utils import timezone

    ci = make_organisation(name="AS KI", is_ci_owner=True)
    admin = make_user(Role.SUBJECT_ADMIN, ci)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2025, 12, 19))
    person = services.set_responsible_person(admin, ci, "backups", "Jānis Bērziņš")
    monkeypatch.undo()
    assert person.designated_on == date(2025, 12, 19)
    due = person.sab_notice_due
    assert due["due"] == date(2026, 1, 5) and due["basis"][0] == "22-TA-3183 p.76.2"
    sign_in(client, admin)
    page = client.get(reverse("registry:own")).content.decode()
    assert "SAB jāinformē līdz 05.01.2026" in page
    other = make_organisation(name="SIA Nav KI")
    assert (
        services.set_responsible_person(make_user(Role.SUBJECT_ADMIN, other), other, "logs", "A B").sab_notice_due
        is None
    )
