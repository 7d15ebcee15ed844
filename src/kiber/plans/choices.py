"""Every enumeration of the plans app in one place."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class InstitutionKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministrija")
    AGENCY = "agency", _("Iestāde")
    STATE_COMPANY = "state_company", _("Valsts kapitālsabiedrība")
    COUNCIL = "council", _("Padome vai komisija")
    NGO = "ngo", _("Biedrība vai asociācija")
    UNIVERSITY = "university", _("Augstskola vai institūts")
    GROUP = "group", _("Institūciju grupa")


class PlanKind(models.TextChoices):
    ACTION_PLAN = "action_plan", _("Rīcības plāns")
    ROADMAP = "roadmap", _("Ceļa karte")


class DeadlineKind(models.TextChoices):
    QUARTER = "quarter", _("Ceturksnis")
    YEAR = "year", _("Gads")
    ONGOING = "ongoing", _("Pastāvīgi")
    DATE = "date", _("Datums")
    MISSING = "missing", _("Nav avotā")


class Priority(models.TextChoices):
    HIGH = "high", _("Augsta")
    MEDIUM = "medium", _("Vidēja")
    LOW = "low", _("Zema")


class TaskRole(models.TextChoices):
    RESPONSIBLE = "responsible", _("Atbildīgā")
    INVOLVED = "involved", _("Iesaistītā")


class Progress(models.TextChoices):
    NONE = "none", _("Nav uzsākts (nekas nav paveikts)")
    PARTIAL = "partial", _("Daļēji paveikts")
    DONE = "done", _("Izpildīts")


class ReportState(models.TextChoices):
    NOT_REPORTED = "not_reported", _("Nav iesniegts")
    DRAFT = "draft", _("Melnraksts")
    SUBMITTED = "submitted", _("Iesniegts")
    REVIEWED = "reviewed", _("Pārskatīts")


class Status(models.TextChoices):
    """The six statuses of the status key of seed 000 (rule ``action-plan-status``), plus the
    coordinator-only "no information" (task 1.19 of the 2014-2018 report)."""

    COMPLETED = "completed", _("Izpildīts")
    IN_PROGRESS = "in_progress", _("Izpildes procesā")
    PARTIALLY_COMPLETED = "partially_completed", _("Daļēji izpildīts")
    NOT_STARTED = "not_started", _("Nav uzsākts")
    NOT_COMPLETED = "not_completed", _("Nav izpildīts")
    NO_LONGER_RELEVANT = "no_longer_relevant", _("Zaudējis aktualitāti")
    NO_INFORMATION = "no_information", _("Nav informācijas par uzdevuma izpildes statusu")


RULE_STATUSES = [s for s in Status if s != Status.NO_INFORMATION]

# "Izpildes statusa atšifrējums" of seed 000, verbatim (the legend shown with every status).
STATUS_DEFINITIONS: dict[str, str] = {
    Status.COMPLETED: gettext_noop(
        "uzdevums vai pasākums ir izpildīts, ieskaitot uzdevumus vai pasākumus, kuri tiek veikti pastāvīgi,"),
    Status.IN_PROGRESS: gettext_noop(
        "uzdevums vai pasākums ir uzsākts, darbības tā izpildei tiek veiktas, taču uz informācijas sniegšanas "
        "brīdi uzdevums vai pasākums nav izpildīts neatkarīgi no tā izpildes termiņa,"),
    Status.PARTIALLY_COMPLETED: gettext_noop(
        "uzdevums vai pasākums ir veikts daļēji, darbības tā izpildei netiek vairs veiktas un ir pagājis tā "
        "izpildes termiņš,"),
    Status.NOT_STARTED: gettext_noop("uzdevums vai pasākums nav uzsākts un tā izpildes termiņš ir nākotnē,"),
    Status.NOT_COMPLETED: gettext_noop("uzdevums vai pasākums nav uzsākts un ir pagājis tā izpildes termiņš,"),
    Status.NO_LONGER_RELEVANT: gettext_noop("uzdevums vai pasākums ir zaudējis aktualitāti."),
}
STATUS_KEY_TITLE = "Izpildes statusa atšifrējums"
STATUS_BASIS = "Rīcības plāna izpildes ziņojuma 1. pielikums, „Izpildes statusa atšifrējums”"

# Badge class per status (kiber.css: ok / warn / bad / info).
STATUS_BADGE: dict[str, str] = {
    Status.COMPLETED: "ok",
    Status.IN_PROGRESS: "info",
    Status.PARTIALLY_COMPLETED: "warn",
    Status.NOT_STARTED: "",
    Status.NOT_COMPLETED: "bad",
    Status.NO_LONGER_RELEVANT: "",
    Status.NO_INFORMATION: "warn",
}
# Chart colours per status (SVG presentation attributes).
STATUS_COLOUR: dict[str, str] = {
    Status.COMPLETED: "#1e7b45",
    Status.IN_PROGRESS: "#1f5fa8",
    Status.PARTIALLY_COMPLETED: "#d08a00",
    Status.NOT_STARTED: "#8a94a3",
    Status.NOT_COMPLETED: "#b3261e",
    Status.NO_LONGER_RELEVANT: "#c9ced6",
    Status.NO_INFORMATION: "#e3b341",
    "": "#eef1f5",
}
