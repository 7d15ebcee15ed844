"""``statistics.compute`` against known incidents, with the expected figures worked out by hand.

Deadlines (p. 122, NIS2 Art. 23(4)): early warning aware + 24 h, initial report aware + 72 h, final
report one calendar month (Riga) after the initial report (or its due moment). A stage counts as due
once it is submitted or overdue; on time = submitted no later than its due moment. All dates are in
2025, long past, so "overdue" does not depend on the day the test runs.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kiber.incidents import statistics
from kiber.incidents.choices import Significance
from kiber.incidents.models import Incident, Report

pytestmark = pytest.mark.django_db

START, END = datetime(2025, 3, 1, tzinfo=UTC), datetime(2025, 4, 1, tzinfo=UTC)


def _at(day: int, hour: int, month: int = 3) -> datetime:
    return datetime(2025, month, day, hour, 0, tzinfo=UTC)


def _incident(organisation, number, *, detected, aware=None, resolved=None, significant=True, codes=("06",)):
    return Incident.objects.create(
        organisation=organisation,
        number=number,
        title=f"Incidents {number}",
        description="-",
        type_codes=list(codes),
        detected_at=detected,
        aware_at=aware,
        resolved_at=resolved,
        significance=Significance.SIGNIFICANT if significant else Significance.NOT_SIGNIFICANT,
    )


def _report(incident, stage, at):
    Report.objects.create(incident=incident, stage=stage, submitted_at=at, sha256="0" * 64)


@pytest.fixture
def known(cloud, make_organisation):
    bank = make_organisation(name="AS Banka Statistikai", registration_number="40003000777", sector="banking")
    # A: early warning on time (due 3 Mar 08:00), initial report a day late (due 5 Mar 08:00); final report
    #    due 6 Apr 2025 10:00 Riga (a month after the initial report's submission, 6 Mar 10:00 Riga) and
    #    never sent: overdue. Resolved 48 h after detection. Due 3, on time 1.
    a = _incident(cloud, 1, detected=_at(2, 7), aware=_at(2, 8), resolved=_at(4, 7), codes=("06", "01"))
    _report(a, "early_warning", _at(2, 20))
    _report(a, "initial_report", _at(6, 8))
    # B: early warning an hour late (due 11 Mar 08:00), initial report on time (due 13 Mar 08:00), final
    #    report on time (due 12 Apr 10:00 Riga). Resolved 24 h after detection. Due 3, on time 2.
    b = _incident(bank, 1, detected=_at(10, 6), aware=_at(10, 8), resolved=_at(11, 6))
    _report(b, "early_warning", _at(11, 9))
    _report(b, "initial_report", _at(12, 8))
    _report(b, "final_report", _at(1, 8, month=4))
    # C: not significant, no report due; resolved 12 h after detection.
    _incident(cloud, 2, detected=_at(15, 0), resolved=_at(15, 12), significant=False, codes=("01",))
    # D: significant, nothing sent, never resolved: early warning, initial report and (unresolved past the
    #    final report's month) the progress report are overdue. Due 3, on time 0; no resolve time.
    _incident(cloud, 3, detected=_at(20, 8), aware=_at(20, 8))
    # E: outside the period (detected on its end, which is excluded).
    _incident(bank, 2, detected=END, aware=END, resolved=_at(2, 8, month=4))
    return cloud, bank


def test_on_time_rate_and_median_resolve_time_of_known_incidents(known):
    stats = statistics.compute(Incident.objects.all(), START, END)
    assert stats.total == 4
    assert (stats.stages_due, stats.stages_on_time) == (3 + 3 + 0 + 3, 1 + 2 + 0 + 0)
    assert stats.on_time_rate == 33.3  # 3 of 9
    assert sorted(stats.resolve_hours) == [12.0, 24.0, 48.0]
    assert stats.median_resolve_hours == 24.0
    assert stats.by_sector == {"digital_infrastructure": 3, "banking": 1}
    assert stats.by_type == {"06": 3, "01": 2}
    assert stats.by_significance == {str(Significance.SIGNIFICANT.label): 3, str(Significance.NOT_SIGNIFICANT.label): 1}


def test_an_even_number_of_resolve_times_takes_the_middle_two(known):
    cloud, _bank = known
    _incident(cloud, 4, detected=_at(25, 0), resolved=_at(26, 6), significant=False)  # 30 h
    stats = statistics.compute(Incident.objects.all(), START, END)
    assert stats.median_resolve_hours == (24.0 + 30.0) / 2


def test_a_period_without_due_stages_has_no_rate():
    stats = statistics.compute(Incident.objects.all(), START, END)
    assert stats.total == 0 and stats.on_time_rate is None and stats.median_resolve_hours is None
