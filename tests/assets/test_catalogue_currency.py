"""p. 32: the catalogue reflects a change within one month; past the due date it is flagged stale."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kiber.assets import services
from kiber.assets.models import OrganisationCatalogue
from kiber.audit.models import AuditEntry
from kiber.rules.review_intervals import add_months
from tests.support import sign_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("changed_on", "due"),
    [
        (date(2026, 3, 15), date(2026, 4, 15)),  # exactly one calendar month
        (date(2026, 1, 31), date(2026, 2, 28)),  # clamped to the shorter month's end
        (date(2024, 1, 31), date(2024, 2, 29)),  # leap year
        (date(2026, 3, 31), date(2026, 4, 30)),
        (date(2026, 2, 28), date(2026, 3, 28)),  # a month end is not carried to the next month end
        (date(2025, 12, 31), date(2026, 1, 31)),  # across the year
    ],
)
def test_due_date_and_stale_flag_at_the_boundary(organisation, subject_admin, changed_on, due):
    catalogue = services.report_change(subject_admin, organisation, changed_on, "Jauns serveris")
    assert catalogue.update_due == due
    assert not catalogue.is_stale(as_of=due)  # the due day itself is still in time
    assert catalogue.is_stale(as_of=due + timedelta(days=1))
    entry = AuditEntry.objects.get(action="report_change", object_id=str(catalogue.pk))
    assert entry.changes["update_due"] == due.isoformat()


def test_the_earliest_unreflected_change_decides(organisation, subject_admin):
    services.report_change(subject_admin, organisation, date(2026, 1, 10), "Jauns serveris")
    catalogue = services.report_change(subject_admin, organisation, date(2026, 1, 25), "Jauna sistēma")
    assert (catalogue.change_pending_since, catalogue.update_due) == (date(2026, 1, 10), date(2026, 2, 10))
    catalogue = services.confirm_up_to_date(subject_admin, organisation)
    assert catalogue.update_due is None and not catalogue.is_stale(as_of=date(2026, 3, 1))
    assert catalogue.updated_at is not None


def test_no_reported_change_is_never_stale(organisation, subject_admin):
    services.create_system(
        subject_admin, organisation, {"name": "X"}, [{"name": "r", "tolerated_unplanned_downtime_pct": 5}]
    )
    catalogue = OrganisationCatalogue.objects.get(organisation=organisation)
    assert catalogue.updated_at is not None and not catalogue.is_stale(as_of=date(2099, 1, 1))


def _change_due_on_or_after(today: date) -> date:
    """The earliest change day whose update is due today or later (one month before today, clamped)."""
    day = today - timedelta(days=40)
    while add_months(day, 1) < today:
        day += timedelta(days=1)
    return day


def test_pages_show_the_flag_with_its_basis_at_the_boundary(
    subject_client, nkc_supervisor, subject_admin, organisation
):
    today = timezone.localdate()
    in_time = _change_due_on_or_after(today)
    services.report_change(subject_admin, organisation, in_time, "Jauns serveris")
    html = subject_client.get(reverse("assets:list")).content.decode()
    assert "Katalogs nav aktualizēts laikā" not in html
    assert "katalogs jāaktualizē līdz" in html and "22-TA-3183 p.32" in html

    services.report_change(subject_admin, organisation, in_time - timedelta(days=1), "Vēl agrāka izmaiņa")
    catalogue = OrganisationCatalogue.objects.get(organisation=organisation)
    assert catalogue.update_due < today
    html = subject_client.get(reverse("assets:list")).content.decode()
    assert "Katalogs nav aktualizēts laikā" in html and "22-TA-3183 p.32" in html
    assert catalogue.update_due.strftime("%d.%m.%Y") in html  # Latvian date format
    supervisor_html = sign_in(Client(), nkc_supervisor).get(reverse("assets:list")).content.decode()
    assert "Novecojis" in supervisor_html
