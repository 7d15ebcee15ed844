"""The deadline sweep: reminders before each due moment and overdue notices after it.

``plan`` is a pure function (moments + now -> notices to send); ``run_sweep`` applies it to every
open significant incident, records each notice in ``SentReminder`` (unique per incident, stage, kind
and due moment) and sends it only when that insert succeeded — so running the sweep twice, or in two
processes at once, sends nothing twice. It also retries due deliveries and renders missing PDFs.
Hourly: Celery beat in production (tasks.py), the job worker thread in the embedded default (kiber.jobs).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiber.incidents import delivery
from kiber.incidents.choices import ReminderKind, Significance, Stage
from kiber.incidents.deadlines import DueMoment, due_moments
from kiber.incidents.models import Incident, Report, SentReminder
from kiber.incidents.notify import notify_organisation
from kiber.observability import SWEEP

# How long before a due moment the reminder goes out.
LEAD = {
    "csirt_feedback": timedelta(hours=6),
    "early_warning": timedelta(hours=6),
    "initial_report": timedelta(hours=12),
    "intermediate_report": timedelta(hours=24),
    "progress_report": timedelta(days=3),
    "final_report": timedelta(days=3),
}


@dataclass(frozen=True)
class Notice:
    stage: str
    kind: str
    due_at: datetime


def plan(moments: list[DueMoment], now: datetime) -> list[Notice]:
    """Pure: which notices are due at ``now`` (before sending, already-sent ones are filtered out)."""
    notices = []
    for m in moments:
        if m.done:
            continue
        if now > m.due_at:
            notices.append(Notice(m.stage, ReminderKind.OVERDUE, m.due_at))
        elif now >= m.due_at - LEAD.get(m.stage, timedelta(hours=6)):
            notices.append(Notice(m.stage, ReminderKind.BEFORE, m.due_at))
    return notices


@dataclass
class SweepResult:
    incidents: int = 0
    sent: int = 0
    skipped: int = 0
    delivered: int = 0
    failed: int = 0
    pdfs: int = 0


def _message(incident: Incident, notice: Notice) -> tuple[str, str]:
    stage = Stage(notice.stage).label
    due = timezone.localtime(notice.due_at).strftime("%d.%m.%Y %H:%M")
    if notice.kind == ReminderKind.OVERDUE:
        subject = _("%(ref)s: nokavēts termiņš — %(stage)s (%(due)s)") % {"ref": incident.reference, "stage": stage,
                                                                           "due": due}
    else:
        subject = _("%(ref)s: tuvojas termiņš — %(stage)s līdz %(due)s") % {"ref": incident.reference, "stage": stage,
                                                                             "due": due}
    return subject, f"{incident.title}\n{subject}"


FEEDBACK = "csirt_feedback"


def _sweep_feedback(now: datetime) -> int:
    """Remind the CSIRT of its initial feedback, due 24 h after the early warning (NIS2 Art. 23(5)), once
    before and once when overdue, until it is given."""
    from kiber.incidents.deadlines import feedback_due
    from kiber.incidents.notify import notify_users
    from kiber.registry.choices import Role
    from kiber.registry.models import User

    sent = 0
    waiting = Incident.objects.filter(acknowledged_at__isnull=True, reports__stage=Stage.EARLY_WARNING).distinct()
    for incident in waiting.select_related("organisation").iterator(chunk_size=200):
        first = incident.reports.filter(stage=Stage.EARLY_WARNING).order_by("submitted_at").first()
        due = feedback_due(incident, first.submitted_at if first else None)
        if due is None:
            continue
        for notice in plan([DueMoment(FEEDBACK, due, None, "NIS2 Art.23(5)")], now):
            try:
                with transaction.atomic():
                    SentReminder.objects.create(incident=incident, stage=FEEDBACK, kind=notice.kind, due_at=due)
                    when = timezone.localtime(due).strftime("%d.%m.%Y %H:%M")
                    template = (
                        _("%(ref)s: nokavēta CERT.LV sākotnējā atgriezeniskā saite (%(due)s)")
                        if notice.kind == ReminderKind.OVERDUE
                        else _("%(ref)s: CERT.LV sākotnējā atgriezeniskā saite līdz %(due)s")
                    )
                    subject = template % {"ref": incident.reference, "due": when}
                    analysts = list(User.objects.filter(role=Role.CSIRT_ANALYST, is_active=True))
                    notify_users(analysts, subject, f"{incident.title}\n{subject}\nNIS2 Art.23(5)")
                sent += 1
            except IntegrityError:
                continue
    return sent


@SWEEP.time()
def run_sweep(now: datetime | None = None) -> SweepResult:
    now = now or timezone.now()
    result = SweepResult()
    open_incidents = Incident.objects.filter(significance=Significance.SIGNIFICANT).exclude(
        reports__stage=Stage.FINAL_REPORT
    ).select_related("organisation")
    for incident in open_incidents.iterator(chunk_size=200):
        result.incidents += 1
        for notice in plan(due_moments(incident, as_of=now), now):
            try:
                with transaction.atomic():
                    SentReminder.objects.create(
                        incident=incident, stage=notice.stage, kind=notice.kind, due_at=notice.due_at
                    )
                    subject, body = _message(incident, notice)
                    notify_organisation(incident, subject, body)
                result.sent += 1
            except IntegrityError:
                result.skipped += 1
    result.sent += _sweep_feedback(now)
    # The cybersecurity manager's deadlines (p. 17, 18) go out with the same hourly sweep.
    from kiber.incidents.notify import notify_users
    from kiber.registry.deadlines import sweep as sweep_manager_deadlines

    result.sent += sweep_manager_deadlines(now, notify_users)
    result.delivered, result.failed = delivery.process_due(now)
    from kiber.incidents.services import store_pdf

    for report in Report.objects.filter(pdf="").select_related("incident", "incident__organisation")[:100]:
        try:
            store_pdf(report)
            result.pdfs += 1
        except Exception:  # noqa: BLE001 - retried on the next sweep
            continue
    return result
