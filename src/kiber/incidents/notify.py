"""Messages to a subject's people: the in-platform inbox always, e-mail too (Django mail)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail

from kiber.incidents.models import Incident, Notification
from kiber.registry.choices import SUBJECT_ROLES
from kiber.registry.models import User


def subject_people(incident: Incident) -> list[User]:
    """The subject's cybersecurity manager(s) first, then its other users."""
    people = User.objects.filter(organisation_id=incident.organisation_id, is_active=True, role__in=SUBJECT_ROLES)
    return sorted(people, key=lambda u: (u.role != "cyber_manager", u.pk))


def notify_organisation(incident: Incident, subject: str, body: str) -> int:
    people = subject_people(incident)
    Notification.objects.bulk_create(
        [Notification(user=u, incident=incident, subject=subject[:255], body=body) for u in people]
    )
    addresses = [u.email for u in people if u.email]
    if addresses:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, addresses, fail_silently=True)
    return len(people)


def notify_users(users: list[User], subject: str, body: str) -> int:
    """An in-platform message (and e-mail) to ``users`` about something other than an incident."""
    Notification.objects.bulk_create([Notification(user=u, subject=subject[:255], body=body) for u in users])
    addresses = [u.email for u in users if u.email]
    if addresses:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, addresses, fail_silently=True)
    return len(users)
