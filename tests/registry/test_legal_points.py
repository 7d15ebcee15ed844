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
