"""The imported plans reproduce the published sources (seed 000 annex 1 and seed 002 Table 10)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest
from django.core.management import call_command

from kiber.plans.importers import DATA, ROUND_2019_AS_OF, import_all, load_json
from kiber.plans.models import Plan, ProgressReport, RestrictedReference, Task

SEED_000 = DATA / "seed-000-action-plan-2014-2018-annex1.txt"
SEED_002 = DATA / "seed-002-table-10-excerpt.txt"


def normal(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def statuses(plan: Plan) -> Counter:
    return Counter(r.status for r in ProgressReport.objects.filter(round__plan=plan))


def test_58_rows_in_five_tables(plans):
    plan = plans["action"]
    assert plan.tasks.count() == 58
    assert Counter(plan.tasks.values_list("direction__number", flat=True)) == {1: 22, 2: 8, 3: 11, 4: 9, 5: 8}
    assert list(plan.directions.values_list("number", flat=True)) == [1, 2, 3, 4, 5]
    assert plan.directions.get(number=3).title is None  # title lost in the source, kept missing


def test_status_counts_reproduce_the_seed(plans):
    counts = statuses(plans["action"])
    assert counts["completed"] == 36
    assert counts["in_progress"] == 7
    assert counts["not_completed"] == 3
    assert counts["partially_completed"] == 2
    assert counts["no_longer_relevant"] == 2
    assert counts["not_started"] == 1
    assert counts["no_information"] == 1  # 1.19, coordinator override with reason
    assert counts[""] == 6  # 5.3-5.8: status cell lost in the source
    assert sum(counts.values()) == 58


# Reference §5a: per table (Izpildīts incl. "arī turpmāk", in progress, partial, not started, not completed,
# no longer relevant, no information, lost).
PER_TABLE = {
    1: {"completed": 14, "in_progress": 2, "partially_completed": 1, "not_started": 1, "not_completed": 2,
        "no_longer_relevant": 1, "no_information": 1},
    2: {"completed": 6, "in_progress": 1, "not_completed": 1},
    3: {"completed": 8, "in_progress": 2, "no_longer_relevant": 1},
    4: {"completed": 6, "in_progress": 2, "partially_completed": 1},
    5: {"completed": 2, "": 6},
}


@pytest.mark.parametrize("table", [1, 2, 3, 4, 5])
def test_status_counts_per_table(plans, table):
    reports = ProgressReport.objects.filter(round__plan=plans["action"], task__direction__number=table)
    assert Counter(r.status for r in reports) == PER_TABLE[table]


def test_statuses_are_computed_by_the_rule_row_by_row(plans):
    rows = {row["number"]: row for row in load_json("action-plan-2014-2018.tasks.json")}
    for report in ProgressReport.objects.filter(round__plan=plans["action"]).select_related("task"):
        code = rows[report.task.number]["status_code"]
        expected = {"completed_continuing": "completed", "missing": "", "no_information": ""}.get(code, code)
        assert report.computed_status == expected, report.task.number
        if report.computed_status:
            assert report.status_basis and "Izpildes statusa atšifrējums" in report.status_basis[0]


def test_no_information_row_is_a_recorded_override(plans):
    report = ProgressReport.objects.get(round__plan=plans["action"], task__number="1.19.")
    assert report.override_status == "no_information"
    assert "Nav informācijas par uzdevuma izpildes statusu." in report.override_reason
    assert report.computed_status == ""


def test_round_as_of_may_2019_and_closed(plans):
    round = plans["action"].rounds.get()
    assert round.as_of == ROUND_2019_AS_OF == date(2019, 5, 9)
    assert not round.is_open
    assert "9. maija" in round.as_of_note
    # The seed indeed cites the law of 9 May 2019 and nothing later.
    assert "2019. gada 9. maija likums" in normal(SEED_000.read_text(encoding="utf-8"))


def test_missing_cells_are_kept_missing(plans):
    plan = plans["action"]
    t57 = Task.objects.get(plan=plan, number="5.7.")
    assert t57.number_inferred
    assert t57.deadline_text is None and t57.deadline_kind == "missing" and t57.deadline_date is None
    assert t57.responsible_text is None and t57.involved_text is None
    assert t57.funding_needed_text is None and t57.funding_granted_text is None
    t52 = Task.objects.get(plan=plan, number="5.2.")
    assert t52.funding_granted_text is None and t52.funding_needed_text
    t38 = Task.objects.get(plan=plan, number="3.8.")
    assert t38.involved_text == ""  # blank in the source, not lost
    assert ProgressReport.objects.get(round__plan=plan, task=t57).source_status_text is None


def test_restricted_tasks_are_references_only(plans):
    refs = RestrictedReference.objects.filter(direction__plan=plans["action"])
    assert sorted(n for ref in refs for n in ref.numbers) == sorted(
        ["1.23.", "1.24.", "1.25.", "1.26.", "1.27.", "3.12.", "3.13.", "3.14.", "3.15.", "5.9."])
    assert not Task.objects.filter(plan=plans["action"], number__in=["1.23.", "3.12.", "5.9."]).exists()
    assert all("DIENESTA VAJADZĪBĀM" in ref.text for ref in refs)
    assert next(ref for ref in refs if "1.23." in ref.numbers).section.title == "Kritiskā infrastruktūra"


def test_rows_checked_against_the_latvian_seed(plans):
    seed = normal(SEED_000.read_text(encoding="utf-8"))
    for task in plans["action"].tasks.all():
        assert normal(task.text.split("\n")[0]) in seed, task.number
        if task.deadline_text:
            assert normal(task.deadline_text) in seed, task.number
        if not task.number_inferred:
            assert f" {task.number} " in seed or f"\t{task.number}" in seed or task.number in seed
    for report in ProgressReport.objects.filter(round__plan=plans["action"]).exclude(description=""):
        assert normal(report.description)[:120] in seed, report.task.number
        if report.source_status_text:
            assert normal(report.source_status_text) in seed


def test_deadlines_parsed_by_the_rule_parser(plans):
    plan = plans["action"]
    assert Task.objects.get(plan=plan, number="1.1.").deadline_date == date(2015, 6, 30)
    t21 = Task.objects.get(plan=plan, number="2.1.")
    assert (t21.deadline_kind, t21.deadline_date) == ("year", date(2018, 12, 31))
    assert Task.objects.get(plan=plan, number="2.5.").deadline_date == date(2016, 3, 31)  # "2016. g. 1. cet"
    assert Task.objects.get(plan=plan, number="1.7.").deadline_kind == "ongoing"


def test_institutions_and_funding(plans):
    plan = plans["action"]
    t14 = Task.objects.get(plan=plan, number="1.4.")
    assert [i.abbreviation for i in t14.responsible_institutions] == ["AM", "SM"]
    t16 = Task.objects.get(plan=plan, number="1.6.")
    assert t16.funding_needed_eur == 3414912 and t16.funding_granted_none
    assert Task.objects.get(plan=plan, number="5.4.").involved_institutions[2].abbreviation == "IeM"  # "IEM" alias


def test_roadmap_table_10(plans):
    plan = plans["roadmap"]
    assert plan.tasks.count() == 19
    assert plan.owner.abbreviation == "VARAM"
    seed = normal(SEED_002.read_text(encoding="utf-8"))
    for task in plan.tasks.all():
        assert normal(task.deadline_text) in seed
        assert task.priority in ("high", "medium")
        assert task.prerequisites
        words = normal(task.text).split()
        assert " ".join(words[:3]) in seed, task.number
    t111 = plan.tasks.get(number="1.1.1.")
    assert (t111.deadline_date, t111.priority) == (date(2026, 12, 31), "high")
    assert [i.abbreviation for i in t111.responsible_institutions] == ["VDAA"]
    assert [i.abbreviation for i in t111.involved_institutions] == ["VARAM"]
    assert plan.tasks.get(number="1.2.1.").priority == "medium"
    t414 = plan.tasks.get(number="4.1.4.")
    assert t414.deadline_text == "31.06.2026" and t414.deadline_date == date(2026, 6, 30)
    assert any("31.06.2026" in note for note in t414.source_notes)
    assert [d.number for d in plan.tasks.get(number="4.1.3.").depends_on.all()] == ["4.1.1.", "4.1.2."]
    assert plan.tasks.get(number="2.1.5.").depends_on.count() == 4
    assert re.search("Noteiks MK noteikumi", plan.tasks.get(number="3.1.1.").responsible_text)


def test_import_is_idempotent_and_command_works(plans, capsys):
    import_all()
    assert Plan.objects.count() == 2
    call_command("import_plans", "--replace")
    out = capsys.readouterr().out
    assert "58 tasks" in out and "19 tasks" in out
    assert ProgressReport.objects.filter(round__plan__code=plans["action"].code).count() == 58
