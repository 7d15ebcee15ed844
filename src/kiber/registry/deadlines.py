"""The cybersecurity manager's deadlines (p. 15–18): SAB's answer on a CI owner's candidate and the
successor notice before a CI manager's term ends.

- SAB checks the candidate within one calendar month of the application (p. 17; ``sab_check_due_at``);
- the CI owner notifies SAB of the next candidate no later than three months before the term ends (p. 18;
  ``successor_notice_due`` of the ``manager-eligibility`` rule, by the end of that Riga day).

One place for the hourly sweep's reminders (``sweep``), the iCal feed and the pages (``deadlines_for``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kiber.registry.choices import SUBJECT_EDITOR_ROLES, Role, SabCheck, SubmissionKind
from kiber.registry.models import ManagerAppointment, ManagerReminder, User

RIGA = ZoneInfo("Europe/Riga")
SAB_CHECK, SUCCESSOR = "sab_check", "successor_notice"
BASIS = {SAB_CHECK: "22-TA-3183 p.17", SUCCESSOR: "22-TA-3183 p.18"}
LEAD = {SAB_CHECK: timedelta(days=5), SUCCESSOR: timedelta(days=30)}
BEFORE, OVERDUE = "before", "overdue"


@dataclass(frozen=True)
class ManagerDeadline:
    appointment: ManagerAppointment
    duty: str
    due_at: datetime

    @property
    def basis(self) -> str:
        return BASIS[self.duty]

    @property
    def overdue(self) -> bool:
        return self.due_at < timezone.now()

    @property
    def label(self) -> str:
        if self.duty == SAB_CHECK:
            return _("SAB atbilde par kiberdrošības pārvaldnieka kandidātu")
        return _("Nākamā kiberdrošības pārvaldnieka kandidāta pieteikums SAB")


def end_of_day(day: date) -> datetime:
    return datetime.combine(day, time(23, 59), tzinfo=RIGA)


def _pending_checks() -> list[ManagerDeadline]:
    pending = ManagerAppointment.objects.filter(
        sab_check=SabCheck.NOT_DONE, sab_check_due_at__isnull=False, ended_on__isnull=True
    ).select_related("organisation")
    return [ManagerDeadline(a, SAB_CHECK, a.sab_check_due_at) for a in pending]


def _successor_notices() -> list[ManagerDeadline]:
    today = timezone.localdate()
    current = ManagerAppointment.objects.filter(
        Q(term_end__isnull=True) | Q(term_end__gte=today),
        ended_on__isnull=True,
        subject_tier="ci_owner",
        organisation__is_ci_owner=True,
    ).select_related("organisation")
    found = []
    for appointment in current:
        due = appointment.eligibility.get("successor_notice_due")
        if not due:
            continue
        # Met once an application for another candidate reached SAB after this appointment was made.
        applied = appointment.organisation.submissions.filter(
            kind=SubmissionKind.CANDIDATE, submitted_at__gt=appointment.created_at
        ).exclude(appointment=appointment)
        if not applied.exists():
            found.append(ManagerDeadline(appointment, SUCCESSOR, end_of_day(date.fromisoformat(due))))
    return found


def all_deadlines() -> list[ManagerDeadline]:
    return sorted(_pending_checks() + _successor_notices(), key=lambda d: d.due_at)


def deadlines_for(user: User) -> list[ManagerDeadline]:
    """SAB: every pending candidate check; a subject's people: their own checks and successor notices."""
    if not user.is_authenticated:
        return []
    if user.role == Role.SAB_OFFICER:
        return sorted(_pending_checks(), key=lambda d: d.due_at)
    if user.is_subject and user.organisation_id:
        return [d for d in all_deadlines() if d.appointment.organisation_id == user.organisation_id]
    return []


def _recipients(deadline: ManagerDeadline) -> list[User]:
    if deadline.duty == SAB_CHECK:
        return list(User.objects.filter(role=Role.SAB_OFFICER, is_active=True))
    return list(
        User.objects.filter(
            organisation_id=deadline.appointment.organisation_id, role__in=SUBJECT_EDITOR_ROLES, is_active=True
        )
    )


def sweep(now: datetime, notify: object) -> int:
    """Send each reminder (``LEAD`` before) and overdue notice once; ``notify(users, subject, body)`` sends."""
    sent = 0
    for deadline in all_deadlines():
        if now > deadline.due_at:
            kind = OVERDUE
        elif now >= deadline.due_at - LEAD[deadline.duty]:
            kind = BEFORE
        else:
            continue
        try:
            with transaction.atomic():
                ManagerReminder.objects.create(
                    appointment=deadline.appointment, duty=deadline.duty, kind=kind, due_at=deadline.due_at
                )
                due = timezone.localtime(deadline.due_at).strftime("%d.%m.%Y %H:%M")
                template = (
                    _("%(org)s: nokavēts termiņš — %(what)s (%(due)s)")
                    if kind == OVERDUE
                    else _("%(org)s: tuvojas termiņš — %(what)s līdz %(due)s")
                )
                subject = template % {"org": deadline.appointment.organisation.name, "what": deadline.label, "due": due}
                notify(_recipients(deadline), subject, f"{subject}\n{deadline.basis}")  # type: ignore[operator]
            sent += 1
        except IntegrityError:
            continue
    return sent
