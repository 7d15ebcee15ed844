"""Import the published plans from the data files copied into ``kiber/plans/data``.

- ``action-plan-2014-2018.tasks.json`` + ``...restricted-refs.json``: the 58 task rows of annex 1
  of the informative report on the Cybersecurity Strategy 2014-2018 action plan (seed 000, kept
  verbatim as ``seed-000-...txt`` and checked by tests), with its implementation round.
- ``roadmap-2024-2029.json``: the 19 items of Table 10 of seed 002 (excerpt ``seed-002-...txt``).

The published status of every 2014-2018 row is turned into the facts the status key defines
(progress, work ongoing, still relevant); the ``action-plan-status`` rule then recomputes the
status and the import fails loudly if the rule does not give back the published status.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from kiber.audit.services import record
from kiber.plans.choices import DeadlineKind, PlanKind, Priority, Progress, ReportState, Status, TaskRole
from kiber.plans.models import (
    Direction,
    Institution,
    Plan,
    ProgressReport,
    ReportingRound,
    RestrictedReference,
    Section,
    Task,
    TaskInstitution,
    number_sort_key,
)
from kiber.plans.services import refresh_status
from kiber.rules.action_plan_status import parse_deadline

DATA = Path(__file__).resolve().parent / "data"

ACTION_PLAN_CODE = "kiberdrosibas-strategija-2014-2018"
ROADMAP_CODE = "ikt-kiberdrosiba-2024-2029"

# The seed names no report date; the latest event its narratives cite is the law of 9 May 2019
# amending the Personal Identification Documents Law (task 1.13), so the information is as of then.
ROUND_2019_AS_OF = date(2019, 5, 9)
ROUND_2019_NOTE = (
    "Avotā ziņojuma datums nav norādīts; jaunākais minētais notikums ir 2019. gada 9. maija likums "
    "„Grozījumi Personu apliecinošu dokumentu likumā” (1.13. uzdevums), tāpēc informācija ir uz 09.05.2019."
)

# Published status -> the facts of the status key: (progress, work ongoing, relevant, continues).
STATUS_FACTS: dict[str, tuple[str | None, bool, bool, bool]] = {
    "completed": (Progress.DONE, False, True, False),
    "completed_continuing": (Progress.DONE, True, True, True),
    "in_progress": (Progress.PARTIAL, True, True, False),
    "partially_completed": (Progress.PARTIAL, False, True, False),
    "not_started": (Progress.NONE, False, True, False),
    "not_completed": (Progress.NONE, False, True, False),
    "no_longer_relevant": (Progress.NONE, False, False, False),
    "no_information": (None, False, True, False),
    "missing": (None, False, True, False),
}
EXPECTED_STATUS = {"completed_continuing": Status.COMPLETED, "missing": "", "no_information": ""}

TABLE_3_TITLE_NOTE = "3. tabulas nosaukums avota tekstā nav saglabājies."


class ImportError_(Exception):
    pass


def load_json(name: str) -> Any:
    with (DATA / name).open(encoding="utf-8") as handle:
        return json.load(handle)


# ----------------------------------------------------------------- institutions

@transaction.atomic
def import_institutions() -> int:
    data = load_json("institutions.json")["institutions"]
    created = 0
    for row in data:
        _, was_created = Institution.objects.update_or_create(
            abbreviation=row["abbreviation"],
            defaults={"name": row["name"], "name_en": row.get("name_en", ""), "kind": row["kind"],
                      "aliases": row.get("aliases", []), "note": row.get("note", "")},
        )
        created += was_created
    for row in data:
        if row.get("parent"):
            Institution.objects.filter(abbreviation=row["abbreviation"]).update(
                parent=Institution.objects.get(abbreviation=row["parent"]))
    return created


def institution(name: str) -> Institution:
    found = Institution.objects.filter(abbreviation=name).first()
    if found is None:
        for candidate in Institution.objects.exclude(aliases=[]):
            if name in candidate.aliases:
                return candidate
        raise ImportError_(f"unknown institution {name!r}: add it to plans/data/institutions.json")
    return found


def link_institutions(task: Task, responsible: list[str], involved: list[str]) -> None:
    for role, names in ((TaskRole.RESPONSIBLE, responsible), (TaskRole.INVOLVED, involved)):
        for order, name in enumerate(names):
            TaskInstitution.objects.get_or_create(task=task, institution=institution(name), role=role,
                                                  defaults={"order": order})


# ----------------------------------------------------------------- funding

_AMOUNT = re.compile(r"(\d{1,3}(?:[ \u00a0]\d{3})+|\d+)\s*EUR|EUR\s*(\d{1,3}(?:[ \u00a0]\d{3})+|\d+)")
_NOT_GRANTED = re.compile(r"(netika|nav)\s+piešķirts|nav\s+piešķirts\s+finansējums", re.IGNORECASE)


def single_amount(text: str | None) -> Decimal | None:
    """The EUR amount of a funding cell that names exactly one amount; None otherwise."""
    if not text:
        return None
    amounts = {re.sub(r"\D", "", a or b) for a, b in _AMOUNT.findall(text)}
    return Decimal(amounts.pop()) if len(amounts) == 1 else None


def not_granted(text: str | None) -> bool:
    return bool(text and _NOT_GRANTED.search(text) and not single_amount(text))


# ----------------------------------------------------------------- 2014-2018 action plan

def _deadline_fields(text: str | None) -> dict[str, Any]:
    if text is None:
        return {"deadline_text": None, "deadline_kind": DeadlineKind.MISSING, "deadline_date": None}
    when = parse_deadline(text)  # the rule's own parser: "2015. g. 2. cet.", "2018. g.", "Pastāvīgi"
    if when is None:
        return {"deadline_text": text, "deadline_kind": DeadlineKind.ONGOING, "deadline_date": None}
    quarter = re.search(r"(\d)\s*\.\s*cet", text)
    return {"deadline_text": text, "deadline_kind": DeadlineKind.QUARTER if quarter else DeadlineKind.YEAR,
            "deadline_date": when, "deadline_year": when.year,
            "deadline_quarter": int(quarter.group(1)) if quarter else None}


@transaction.atomic
def import_action_plan(replace: bool = False) -> Plan:
    existing = Plan.objects.filter(code=ACTION_PLAN_CODE).first()
    if existing is not None:
        if not replace:
            return existing
        existing.delete()
    import_institutions()
    rows = load_json("action-plan-2014-2018.tasks.json")
    refs = load_json("action-plan-2014-2018.restricted-refs.json")
    annex_title = ("1. pielikums informatīvajam ziņojumam “Par pamatnostādņu “Latvijas kiberdrošības stratēģija "
                   "2014.–2018. gadam” rīcības plāna īstenošanu”")
    plan = Plan.objects.create(
        code=ACTION_PLAN_CODE, kind=PlanKind.ACTION_PLAN,
        title="Latvijas kiberdrošības stratēģijas 2014.–2018. gadam rīcības plāns",
        period_start=2014, period_end=2018, owner=institution("AM"),
        legal_basis="Pamatnostādnes „Latvijas kiberdrošības stratēģija 2014.–2018. gadam”; izpildi apkopo "
        "informatīvais ziņojums „Par pamatnostādņu „Latvijas kiberdrošības stratēģija 2014.–2018. gadam” "
        "rīcības plāna īstenošanu” (1. pielikums — NAV KLASIFICĒTS, 2. pielikums — DIENESTA VAJADZĪBĀM).",
        classification="NAV KLASIFICĒTS", report_title=annex_title,
        source="Sēkla 000: informatīvā ziņojuma 1. pielikums (plans/data/seed-000-...txt); rindas no "
        "action-plan-2014-2018.tasks.json, pārbaudītas pret avota tekstu.",
    )
    directions: dict[int, Direction] = {}
    sections: dict[tuple[int, str], Section] = {}
    for row in rows:
        number = row["table"]
        if number not in directions:
            directions[number] = Direction.objects.create(plan=plan, number=number, title=row["table_title_lv"])
        if row["section_lv"] and (number, row["section_lv"]) not in sections:
            sections[(number, row["section_lv"])] = Section.objects.create(
                direction=directions[number], title=row["section_lv"],
                order=sum(1 for key in sections if key[0] == number))
    round = ReportingRound.objects.create(
        plan=plan, title="Rīcības plāna īstenošana 2014.–2018. gadā (informatīvais ziņojums)",
        as_of=ROUND_2019_AS_OF, as_of_note=ROUND_2019_NOTE,
    )
    mismatches = []
    for row in rows:
        missing = row["missing_in_source"]
        task = Task.objects.create(
            plan=plan, direction=directions[row["table"]],
            section=sections.get((row["table"], row["section_lv"])) if row["section_lv"] else None,
            number=row["number"], number_inferred="number (inferred)" in missing,
            text=row["task_lv"], footnote=row["task_footnote_lv"] or "",
            **_deadline_fields(row["deadline_lv"]),
            responsible_text=None if "responsible" in missing else (row["responsible"] or ""),
            involved_text=None if "involved" in missing else (row["involved"] or ""),
            funding_needed_text=None if "funding_needed_lv" in missing else (row["funding_needed_lv"] or ""),
            funding_granted_text=None if "funding_granted_lv" in missing else (row["funding_granted_lv"] or ""),
            funding_needed_eur=single_amount(row["funding_needed_lv"]),
            funding_granted_eur=single_amount(row["funding_granted_lv"]),
            funding_granted_none=not_granted(row["funding_granted_lv"]),
            source_notes=row["notes"], missing_fields=missing,
        )
        link_institutions(task, row["responsible_list"] or [], row["involved_list"] or [])
        progress, ongoing, relevant, continues = STATUS_FACTS[row["status_code"]]
        report = ProgressReport(
            round=round, task=task, institution=task.responsible_institutions[0] if task.responsible_institutions
            else None, progress=progress, work_ongoing=ongoing, relevant=relevant, continues=continues,
            description=row["description_lv"] or "", description_header=row["description_header_lv"] or "",
            source_status_text=None if "status_lv" in missing else row["status_lv"],
            state=ReportState.REVIEWED,
        )
        refresh_status(report)
        if row["status_code"] == "no_information":
            report.override_status = Status.NO_INFORMATION
            report.override_reason = f"Avotā: „{row['status_lv']}” — nav neviens no sešiem definētajiem statusiem."
            report.overridden_at = timezone.make_aware(datetime.combine(ROUND_2019_AS_OF, datetime.min.time()))
        report.save()
        expected = EXPECTED_STATUS.get(row["status_code"], row["status_code"])
        if report.computed_status != expected:
            mismatches.append(f"{row['number']}: rule gives {report.computed_status!r}, source {expected!r}")
    if mismatches:
        raise ImportError_("action-plan-status does not reproduce the published statuses: " + "; ".join(mismatches))
    for ref in refs:
        direction = directions[ref["table"]]
        section = None
        if ref["section_lv"]:
            section = sections.get((ref["table"], ref["section_lv"])) or Section.objects.create(
                direction=direction, title=ref["section_lv"], order=direction.sections.count())
        RestrictedReference.objects.create(direction=direction, section=section, numbers=ref["numbers"],
                                           text=ref["text_lv"], sort_key=number_sort_key(ref["numbers"][0]))
    round.closed_at = timezone.make_aware(datetime.combine(ROUND_2019_AS_OF, datetime.min.time()))
    round.save(update_fields=["closed_at"])
    record(None, "import", plan, changes={"tasks": len(rows), "restricted_refs": len(refs), "round": round.title})
    return plan


# ----------------------------------------------------------------- 2024-2029 roadmap

_DMY = re.compile(r"(\d{2})\.(\d{2})\.(\d{4})")
PRIORITIES = {"augsta": Priority.HIGH, "augsts": Priority.HIGH, "vidēja": Priority.MEDIUM, "zema": Priority.LOW}


def roadmap_deadline(text: str) -> tuple[date, list[str]]:
    """DD.MM.YYYY as printed; an impossible day (31.06.2026) is clamped to the month's last day."""
    match = _DMY.fullmatch(text.strip())
    if match is None:
        raise ImportError_(f"unrecognised roadmap deadline {text!r}")
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day), []
    except ValueError:
        import calendar

        last = calendar.monthrange(year, month)[1]
        return date(year, month, last), [
            f"Termiņš avotā „{text}” nav iespējams datums; izmantots mēneša pēdējais datums "
            f"{last:02d}.{month:02d}.{year}."]


@transaction.atomic
def import_roadmap(replace: bool = False) -> Plan:
    existing = Plan.objects.filter(code=ROADMAP_CODE).first()
    if existing is not None:
        if not replace:
            return existing
        existing.delete()
    import_institutions()
    data = load_json("roadmap-2024-2029.json")
    meta = data["plan"]
    plan = Plan.objects.create(
        code=meta["code"], kind=PlanKind.ROADMAP, title=meta["title"], period_start=meta["period_start"],
        period_end=meta["period_end"], owner=institution(meta["owner"]), legal_basis=meta["legal_basis"],
        funding_note=meta["funding_note"], report_title="Mērķarhitektūras ieviešanas pasākumu izpilde",
        source=data["source"],
    )
    by_number: dict[str, Task] = {}
    dependencies: list[tuple[Task, list[str]]] = []
    for d in data["directions"]:
        direction = Direction.objects.create(plan=plan, number=d["number"], title=d["title"])
        for order, s in enumerate(d["sections"]):
            section = Section.objects.create(direction=direction, number=s["number"], title=s["title"], order=order)
            for item in s["items"]:
                deadline, notes = roadmap_deadline(item["deadline"])
                if "number_as_printed" in item:
                    notes.append(f"Numurs avotā rakstīts „{item['number_as_printed']}”.")
                task = Task.objects.create(
                    plan=plan, direction=direction, section=section, number=item["number"], text=item["task"],
                    expected_result=item["description"], deadline_text=item["deadline"],
                    deadline_kind=DeadlineKind.DATE, deadline_date=deadline, deadline_year=deadline.year,
                    responsible_text=item["responsible_text"], involved_text="",
                    funding_needed_text=None, funding_granted_text=None,
                    priority=PRIORITIES[item["priority"].casefold()], priority_text=item["priority"],
                    prerequisites=item["prerequisites"], source_notes=notes,
                )
                link_institutions(task, item["responsible"], item["involved"])
                by_number[task.number] = task
                dependencies.append((task, item["depends_on"]))
    for task, numbers in dependencies:
        task.depends_on.set([by_number[n] for n in numbers])
    record(None, "import", plan, changes={"tasks": len(by_number)})
    return plan


def import_all(replace: bool = False) -> list[Plan]:
    return [import_action_plan(replace), import_roadmap(replace)]
