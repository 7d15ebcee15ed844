"""Demo data of the plans app: both published plans, an open roadmap round, institution users.

Ministries are not registry subjects here, so their users have the role ``subject_user`` without an
organisation and an ``InstitutionMember`` link; coordinators are members of the institution that
owns the plan with ``is_coordinator`` (AM for the 2014-2018 action plan, VARAM for the roadmap).
"""

from __future__ import annotations

from datetime import date
from typing import TextIO

from django.utils import timezone

from kiber.plans import services
from kiber.plans.importers import ROADMAP_CODE, import_all, institution
from kiber.plans.models import Plan, ReportingRound, Task
from kiber.registry.choices import Role
from kiber.registry.models import User

PASSWORD = "Demo-parole-2026!"

# (username, first name, last name, institution, coordinator)
USERS = [
    ("plani-varam-koord", "Vija", "Ozoliņa", "VARAM", True),
    ("plani-am-koord", "Andris", "Kalniņš", "AM", True),
    ("plani-varam", "Ilze", "Bērziņa", "VARAM", False),
    ("plani-am", "Jānis", "Liepiņš", "AM", False),
    ("plani-sm", "Linda", "Krūmiņa", "SM", False),
    ("plani-iem", "Māris", "Zariņš", "IeM", False),
    ("plani-vdaa", "Dace", "Ābele", "VDAA", False),
]


def quarter_end(day: date) -> date:
    month = ((day.month - 1) // 3 + 1) * 3
    return date(day.year, month, 31 if month in (3, 12) else 30)


def _user(username: str, first: str, last: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username=username, password=PASSWORD, first_name=first, last_name=last,
                                        role=Role.SUBJECT_USER, email=f"{username}@example.lv")
    return user


def load(out: TextIO) -> None:
    plans = import_all()
    out.write(f"Plans: {', '.join(f'{p.code} ({p.tasks.count()} tasks)' for p in plans)}\n")
    users = {}
    for username, first, last, abbreviation, coordinator in USERS:
        user = _user(username, first, last)
        services.add_member(None, user, institution(abbreviation), is_coordinator=coordinator)
        users[username] = user
    roadmap = Plan.objects.get(code=ROADMAP_CODE)
    round = roadmap.rounds.filter(closed_at__isnull=True).first()
    if round is None:
        as_of = quarter_end(timezone.localdate())
        q = (as_of.month - 1) // 3 + 1
        round = services.open_round(users["plani-varam-koord"], roadmap, f"{as_of.year}. gada {q}. ceturksnis",
                                    as_of)
        _demo_reports(round, users)
    out.write("Plans users (password for all: " + PASSWORD + "):\n")
    for username, _first, _last, abbreviation, coordinator in USERS:
        what = "coordinator" if coordinator else "reports"
        out.write(f"  {username:<20} {abbreviation:<6} {what}\n")


def _demo_reports(round: ReportingRound, users: dict[str, User]) -> None:
    def task(number: str) -> Task:
        return round.plan.tasks.get(number=number)

    services.save_progress(users["plani-vdaa"], round, task("1.1.1."), {
        "progress": "partial", "work_ongoing": True, "relevant": True,
        "description": "Brokera platformas tehniskā specifikācija sagatavota; iepirkums izsludināts.",
        "challenges": "Brokera funkcijas nosakošie MK noteikumi vēl nav pieņemti.",
    }, submit=True)
    services.save_progress(users["plani-varam-koord"], round, task("1.2.1."), {
        "progress": "partial", "work_ongoing": True, "relevant": True,
        "description": "Migrācijas plānus iesniegušas 9 no 14 ministrijām.",
    }, submit=True)
    services.save_progress(users["plani-varam-koord"], round, task("4.1.1."), {
        "progress": "none", "work_ongoing": False, "relevant": True,
        "description": "Datu vēstniecības koncepcija vēl nav apstiprināta.",
    }, submit=True)
    services.save_progress(users["plani-iem"], round, task("1.3.4."), {
        "progress": "partial", "work_ongoing": True, "relevant": True,
        "description": "Iepirkuma dokumentācija iekārtu nomaiņai sagatavota.",
    })
