"""Due moments of an incident's reports, from the ``report-deadlines`` rule (p. 122, NIS2 Art. 23(4)).

A subject whose status was lost has no open due moments (p. 8.3, 10.3). Nothing here computes a
legal deadline itself: the rule does. This module only gathers the rule's
input from an incident (first submission of each stage) and adds the two moments the rule does not
cover: the intermediate report (due when the CSIRT says, NIS2 Art. 23(4)(c)) and the CSIRT's initial
feedback (24 h after the early warning, NIS2 Art. 23(5); elapsed hours via the rule module's helper).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from kiber.incidents.choices import Significance, Stage
from kiber.incidents.models import Incident
from kiber.rules.registry import evaluate
from kiber.rules.report_deadlines import add_hours

RULE_STAGES = ("early_warning", "initial_report", "progress_report", "final_report")
BASIS = {
    "early_warning": "NIS2 Art.23(4)(a); 22-TA-3183 p.122.1",
    "initial_report": "NIS2 Art.23(4)(b); 22-TA-3183 p.122.2",
    "intermediate_report": "NIS2 Art.23(4)(c); 22-TA-3183 p.122.4",
    "progress_report": "NIS2 Art.23(4)(e); 22-TA-3183 p.122.3",
    "final_report": "NIS2 Art.23(4)(d); 22-TA-3183 p.122.5",
    "csirt_feedback": "NIS2 Art.23(5)",
}


@dataclass(frozen=True)
class DueMoment:
    stage: str
    due_at: datetime
    submitted_at: datetime | None
    basis: str

    @property
    def done(self) -> bool:
        return self.submitted_at is not None

    @property
    def overdue(self) -> bool:
        return self.submitted_at is None and self.due_at < timezone.now()

    @property
    def late(self) -> bool:
        """Submitted, but after the due moment."""
        return self.submitted_at is not None and self.submitted_at > self.due_at

    @property
    def remaining_seconds(self) -> int:
        return int((self.due_at - timezone.now()).total_seconds())


def first_submissions(incident: Incident) -> dict[str, datetime]:
    """The first submission moment of each stage (corrections do not move a deadline)."""
    first: dict[str, datetime] = {}
    prefetched = getattr(incident, "_prefetched_objects_cache", {}).get("reports")
    if prefetched is not None:  # statistics prefetch every incident's reports in one query
        moments = sorted(((r.submitted_at, r.pk, r.stage) for r in prefetched), key=lambda m: (m[0], m[1]))
        pairs = [(stage, at) for at, _pk, stage in moments]
    else:
        pairs = list(incident.reports.order_by("submitted_at", "id").values_list("stage", "submitted_at"))
    for stage, at in pairs:
        first.setdefault(stage, at)
    return first


def rule_input(incident: Incident, submitted: dict[str, datetime], as_of: datetime | None) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "aware_at": incident.clock_start.isoformat(),
        "entity_type": incident.entity_type or "other",
        "trust_service_impact": incident.trust_service_impact,
        "resolved_at": incident.resolved_at.isoformat() if incident.resolved_at else None,
        "as_of": as_of.isoformat() if as_of else None,
    }
    for stage in RULE_STAGES:
        if stage in submitted:
            payload[f"{stage}_submitted_at"] = max(submitted[stage], incident.clock_start).isoformat()
    return payload


def due_moments(incident: Incident, as_of: datetime | None = None) -> list[DueMoment]:
    """Every due moment of a significant incident's reports, in procedural order."""
    if incident.significance != Significance.SIGNIFICANT:
        return []
    as_of = as_of or timezone.now()
    submitted = first_submissions(incident)
    result = evaluate("report-deadlines", rule_input(incident, submitted, as_of))
    moments: list[DueMoment] = []
    for stage in ("early_warning", "initial_report"):
        moments.append(_moment(stage, result[f"{stage}_due"], submitted))
    if incident.intermediate_due_at:
        moments.append(
            DueMoment(
                Stage.INTERMEDIATE_REPORT,
                incident.intermediate_due_at,
                _after(submitted, Stage.INTERMEDIATE_REPORT, incident.intermediate_requested_at),
                BASIS["intermediate_report"],
            )
        )
    for stage in ("progress_report", "final_report"):
        if result.get(f"{stage}_due"):
            moments.append(_moment(stage, result[f"{stage}_due"], submitted))
    if incident.organisation.duties_ended:
        # The status was lost (p. 8.3, 10.3): what was submitted stays, nothing more falls due. One place
        # for the sweep's reminders, the overdue lists and the iCal feed.
        return [m for m in moments if m.done]
    return moments


def _moment(stage: str, due: str, submitted: dict[str, datetime]) -> DueMoment:
    return DueMoment(stage, datetime.fromisoformat(due), submitted.get(stage), BASIS[stage])


def _after(submitted: dict[str, datetime], stage: str, since: datetime | None) -> datetime | None:
    at = submitted.get(stage)
    if at is None or since is None:
        return at
    return at if at >= since else None


def next_due(incident: Incident) -> DueMoment | None:
    open_moments = [m for m in due_moments(incident) if not m.done]
    return min(open_moments, key=lambda m: m.due_at) if open_moments else None


def feedback_due(incident: Incident, early_warning_at: datetime | None) -> datetime | None:
    """NIS2 Art. 23(5): the CSIRT responds where possible within 24 h of receiving the early warning."""
    return add_hours(early_warning_at, 24) if early_warning_at else None
