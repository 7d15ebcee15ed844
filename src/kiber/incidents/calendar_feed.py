"""iCalendar feed of every due moment a user must see, authenticated by a secret token in its URL."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from kiber.incidents import selectors
from kiber.incidents.choices import Significance, Stage
from kiber.incidents.deadlines import due_moments
from kiber.incidents.models import CalendarToken
from kiber.registry.models import User


def token_for(user: User, token: CalendarToken) -> str:
    message = f"incident-calendar:{user.pk}:{token.nonce}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:40]


def feed_path(user: User, token: CalendarToken) -> str:
    return reverse("incidents:calendar", kwargs={"user_id": user.pk, "token": token_for(user, token)})


def user_for(user_id: int, token: str) -> User | None:
    found = CalendarToken.objects.select_related("user").filter(user_id=user_id, user__is_active=True).first()
    if found is None or not hmac.compare_digest(token_for(found.user, found), token):
        return None
    return found.user


def build(user: User) -> bytes:
    from icalendar import Alarm, Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//Kiber//incident report deadlines//LV")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Kiber — ziņojumu termiņi")
    now = timezone.now()
    incidents = selectors.incidents_for(user).filter(significance=Significance.SIGNIFICANT)
    for incident in incidents:
        for moment in due_moments(incident, as_of=now):
            event = Event()
            event.add("uid", f"{incident.public_id}-{moment.stage}@kiber")
            event.add("dtstamp", now)
            # In UTC ("...Z"): the rule's fixed offsets (+02:00) became a TZID without a VTIMEZONE, which
            # calendar clients read as floating local time.
            due = moment.due_at.astimezone(UTC)
            event.add("dtstart", due)
            event.add("dtend", due)
            state = "iesniegts" if moment.done else ("NOKAVĒTS" if moment.overdue else "jāiesniedz")
            event.add("summary", f"{incident.reference}: {Stage(moment.stage).label} ({state})")
            event.add("description", f"{incident.organisation.name} — {incident.title}\n{moment.basis}")
            if not moment.done:
                alarm = Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", f"{incident.reference}: {Stage(moment.stage).label}")
                alarm.add("trigger", -timezone.timedelta(hours=2))
                event.add_component(alarm)
            cal.add_component(event)
    if selectors.is_csirt(user):
        _feedback_events(cal, incidents, now)
    _manager_events(cal, user, now)
    return cal.to_ical()


def _feedback_events(cal: Any, incidents: Any, now: Any) -> None:
    """The CSIRT's own deadline: initial feedback 24 h after the early warning (NIS2 Art. 23(5))."""
    from icalendar import Event

    from kiber.incidents.deadlines import feedback_due

    for incident in incidents.filter(acknowledged_at__isnull=True):
        first = incident.reports.filter(stage=Stage.EARLY_WARNING).order_by("submitted_at").first()
        due = feedback_due(incident, first.submitted_at if first else None)
        if due is None:
            continue
        event = Event()
        event.add("uid", f"{incident.public_id}-csirt_feedback@kiber")
        event.add("dtstamp", now)
        event.add("dtstart", due.astimezone(UTC))
        event.add("dtend", due.astimezone(UTC))
        state = "NOKAVĒTS" if due < now else "jāsniedz"
        event.add("summary", f"{incident.reference}: CERT.LV sākotnējā atgriezeniskā saite ({state})")
        event.add("description", f"{incident.organisation.name} — {incident.title}\nNIS2 Art.23(5)")
        cal.add_component(event)


def _manager_events(cal: Any, user: User, now: Any) -> None:
    """The manager deadlines of p. 17 and p. 18 (``kiber.registry.deadlines``) in the same feed."""
    from icalendar import Event

    from kiber.registry.deadlines import deadlines_for

    for deadline in deadlines_for(user):
        event = Event()
        event.add("uid", f"manager-{deadline.appointment.pk}-{deadline.duty}@kiber")
        event.add("dtstamp", now)
        due = deadline.due_at.astimezone(UTC)
        event.add("dtstart", due)
        event.add("dtend", due)
        state = "NOKAVĒTS" if deadline.overdue else "jāiesniedz"
        event.add("summary", f"{deadline.appointment.organisation.name}: {deadline.label} ({state})")
        event.add("description", f"{deadline.appointment.full_name}\n{deadline.basis}")
        cal.add_component(event)
