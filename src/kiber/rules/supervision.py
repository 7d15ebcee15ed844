"""``supervision-obligations``: penetration tests, security scans and sensor priority (p. 132-150).

- p. 132: penetration tests of a class A system before it is put into operation (132.1.1) and at
  least once every three years in operation (132.1.2); of any system on the subject's initiative
  (132.2) or on request of the NCC or SAB (132.3).
- p. 133-134: who may test (own staff not involved in the system for three years; outside testers
  with a certificate such as CEH/OSCP or two years' experience; for CI owners, outside testers only
  with SAB's opinion; on an authority's request, the NCC/CSIRT officials or, for CI owners, the CSIRT
  after coordination with SAB).
- p. 135: a CI owner informs SAB of the test results immediately, at the latest within 10 working days.
- p. 136-141: security scans, requested by SAB for CI owners and by the NCC for other subjects, or by
  the subject; for a CI owner performed by SAB, the CSIRT at SAB's request or a person with SAB's
  opinion (p. 137), over the whole infrastructure unless SAB's request says otherwise (p. 138); when
  the CSIRT or a third party scans a CI owner, it gives the CI owner and SAB written notice of the
  time and duration at least 48 hours before it starts (p. 139.3). Other subjects: NCC, CSIRT
  officials or a person meeting p. 93 (p. 141).
- p. 144: sensor placement priority: 1 CI, 2 essential providers' infrastructure with class A
  systems, 3 other essential providers, 4 important providers; none where the CSIRT runs a security
  operations centre in the subject's infrastructure (p. 150). The CSIRT tells the subject within five
  working days of installing, servicing or removing a sensor (p. 147), and SAB immediately for CI
  (p. 148).

Decisions where the text is open:

- The 10 working days of p. 135 run from ``pentest_results_on`` (the day the results are available;
  the point names no start); the day itself is not counted. Working days are those of
  ``kiber.rules.working_days``.
- The 48 hours of p. 139.3 are elapsed hours before ``scan_starts_at`` (a DST change does not move
  them); the output is in Riga time.
- "Before it is put into operation": with no test yet, ``next_pentest_due`` is ``commissioning_date``
  (the test must be finished before the go-live on that day). After a test, three calendar years
  later (clamped to 28 February). Only class A has a mandatory cadence.
- p. 133.3 refers to an SAB opinion "under p. 98" (framework agreements); it is read as the p. 92
  opinion, like p. 134.2.2 and 137.3.
- Sensor priority 2 needs a class A system: ``has_class_a_system`` or ``system_class`` A.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import Field

from kiber.rules.base import Rule, RuleInput, RuleOutput, riga
from kiber.rules.report_deadlines import RigaInstant
from kiber.rules.review_intervals import add_years, calendar_guard
from kiber.rules.working_days import IsoDate, add_working_days

P = "22-TA-3183 p."

SubjectTier = Literal["ci_owner", "essential", "important"]
Flag = Annotated[bool, Field(strict=True)]
ScanPerformer = Literal[
    "sab_officials",
    "csirt_on_sab_request",
    "other_with_sab_opinion",
    "ncc_officials",
    "csirt_officials",
    "other_meeting_p93",
]

PENTEST_INTERVAL_YEARS = 3
RESULTS_TO_SAB_WORKING_DAYS = 10
SCAN_NOTICE_HOURS = 48
SENSOR_NOTICE_WORKING_DAYS = 5

_CI_SCANNERS: list[ScanPerformer] = ["sab_officials", "csirt_on_sab_request", "other_with_sab_opinion"]
_OTHER_SCANNERS: list[ScanPerformer] = ["ncc_officials", "csirt_officials", "other_meeting_p93"]
_SENSOR_LABELS = {
    1: "ICT critical infrastructure",
    2: "essential provider infrastructure hosting class A systems",
    3: "other essential provider infrastructure",
    4: "important provider infrastructure",
}


class SupervisionInput(RuleInput):
    subject_tier: SubjectTier
    system_class: Literal["A", "B", "C"] | None = None
    has_class_a_system: Flag = False
    commissioning_date: IsoDate | None = None
    last_pentest_on: IsoDate | None = None
    pentest_results_on: IsoDate | None = None
    scan_performer: ScanPerformer | None = None
    scan_starts_at: RigaInstant | None = None
    csirt_soc_present: Flag = False
    sensor_event_on: IsoDate | None = None
    as_of: IsoDate | None = None


class SupervisionOutput(RuleOutput):
    pentest_required: bool
    pentest_interval_years: int | None
    next_pentest_due: date | None
    pentest_overdue: bool | None
    pentest_performers: list[str]
    requested_pentest_performers: list[str]
    pentest_results_to_sab_due: date | None
    scan_requested_by: list[str]
    scan_performers: list[ScanPerformer]
    scan_performer_allowed: bool | None
    scan_whole_infrastructure_by_default: bool
    scan_notice_due: datetime | None
    scan_notice_to: list[str]
    sensor_priority: int | None
    sensor_priority_label: str | None
    sensor_notice_due: date | None
    sensor_sab_informed_immediately: bool
    reasons: list[str]


def supervision_obligations(inp: SupervisionInput) -> SupervisionOutput:
    ci = inp.subject_tier == "ci_owner"
    basis: list[str] = []
    reasons: list[str] = []

    # Penetration tests (p. 132-135).
    class_a = inp.system_class == "A"
    next_due: date | None = None
    overdue: bool | None = None
    if class_a:
        basis += [P + "132.1.1", P + "132.1.2"]
        if inp.last_pentest_on is not None:
            next_due = add_years(inp.last_pentest_on, PENTEST_INTERVAL_YEARS)
            reasons.append(f"class A: penetration test at least every three years, next by {next_due} ({P}132.1.2)")
        else:
            next_due = inp.commissioning_date
            reasons.append(f"class A: penetration test before the system is put into operation ({P}132.1.1)")
        if inp.as_of is not None and next_due is not None:
            overdue = next_due < inp.as_of
    else:
        basis.append(P + "132.2")
        reasons.append(
            f"no mandatory penetration-test cadence below class A: on the subject's initiative or an "
            f"authority's request ({P}132.2-132.3)"
        )
    if ci:
        basis += [P + "133.1", P + "133.3", P + "134.2"]
        performers = [
            "own_staff_not_involved_3_years",
            "outside_tester_with_sab_opinion_qualified_not_involved_3_years",
        ]
        requested = ["csirt_officials_after_sab_coordination", "outside_tester_with_sab_opinion"]
    else:
        basis += [P + "133.1", P + "133.2", P + "134.1"]
        performers = ["own_staff_not_involved_3_years", "outside_tester_qualified_not_involved_3_years"]
        requested = ["ncc_or_csirt_officials", "outside_tester_qualified_not_involved_3_years"]

    results_due: date | None = None
    if ci and inp.pentest_results_on is not None:
        results_due = add_working_days(inp.pentest_results_on, RESULTS_TO_SAB_WORKING_DAYS)
        basis.append(P + "135")
        reasons.append(f"a CI owner informs SAB of the test results within 10 working days, by {results_due} ({P}135)")

    # Security scans (p. 136-141).
    requested_by = ["constitution_protection_bureau" if ci else "national_cybersecurity_centre", "subject"]
    basis.append(P + ("136.2" if ci else "136.1"))
    scanners = _CI_SCANNERS if ci else _OTHER_SCANNERS
    basis.append(P + ("137" if ci else "141"))
    allowed: bool | None = None
    notice_due: datetime | None = None
    notice_to: list[str] = []
    if inp.scan_performer is not None:
        allowed = inp.scan_performer in scanners
        if not allowed:
            reasons.append(
                f"{inp.scan_performer} may not scan a {'CI owner' if ci else 'non-CI subject'} "
                f"({P}{'137' if ci else '141'})"
            )
        if ci and inp.scan_performer in ("csirt_on_sab_request", "other_with_sab_opinion"):
            notice_to = ["ci_owner", "constitution_protection_bureau"]
            basis.append(P + "139.3")
            if inp.scan_starts_at is not None:
                notice_due = riga(inp.scan_starts_at - timedelta(hours=SCAN_NOTICE_HOURS))
                reasons.append(
                    f"written notice of the scan's time and duration to the CI owner and SAB by "
                    f"{notice_due.isoformat()} ({P}139.3)"
                )
            else:
                reasons.append(f"written notice at least 48 hours before the scan starts ({P}139.3)")
    if ci:
        basis.append(P + "138")

    # Early-warning sensors (p. 144-150).
    priority: int | None
    if inp.csirt_soc_present:
        priority = None
        basis.append(P + "150")
        reasons.append(f"no sensor where the CSIRT runs a security operations centre ({P}150)")
    else:
        if ci:
            priority = 1
        elif inp.subject_tier == "essential" and (inp.has_class_a_system or class_a):
            priority = 2
        elif inp.subject_tier == "essential":
            priority = 3
        else:
            priority = 4
        basis.append(f"{P}144.{priority}")
        reasons.append(f"sensor placement priority {priority}: {_SENSOR_LABELS[priority]} ({P}144.{priority})")
    sensor_due: date | None = None
    if inp.sensor_event_on is not None:
        sensor_due = add_working_days(inp.sensor_event_on, SENSOR_NOTICE_WORKING_DAYS)
        basis.append(P + "147")
        reasons.append(f"the CSIRT informs the subject within five working days, by {sensor_due} ({P}147)")
        if ci:
            basis.append(P + "148")

    return SupervisionOutput(
        pentest_required=class_a,
        pentest_interval_years=PENTEST_INTERVAL_YEARS if class_a else None,
        next_pentest_due=next_due,
        pentest_overdue=overdue,
        pentest_performers=performers,
        requested_pentest_performers=requested,
        pentest_results_to_sab_due=results_due,
        scan_requested_by=requested_by,
        scan_performers=scanners,
        scan_performer_allowed=allowed,
        scan_whole_infrastructure_by_default=ci,
        scan_notice_due=notice_due,
        scan_notice_to=notice_to,
        sensor_priority=priority,
        sensor_priority_label=_SENSOR_LABELS[priority] if priority else None,
        sensor_notice_due=sensor_due,
        sensor_sab_informed_immediately=ci and inp.sensor_event_on is not None,
        basis=list(dict.fromkeys(basis)),
        reasons=reasons,
    )


RULES: list[Rule[Any, Any]] = [
    Rule(
        name="supervision-obligations",
        summary="Penetration tests, security scans and sensor priority of a subject (p. 132-150)",
        input_model=SupervisionInput,
        output_model=SupervisionOutput,
        fn=calendar_guard(supervision_obligations),
    )
]
