"""Incident report stages: NIS2 Art. 23(4) coverage and catalogue consistency."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from kiber.catalogue.loader import STAGE_ORDER, Question, ReportFormCatalogue, load_report_forms
from tests.catalogue.seed import seed_points

# NIS2 Art. 23(4) elements -> (stage that must ask for it, question keys that carry it).
NIS2_ELEMENTS: dict[str, tuple[str, set[str]]] = {
    "NIS2 Art.23(4)(a) suspected unlawful or malicious": ("early_warning", {"suspected_malicious"}),
    "NIS2 Art.23(4)(a) cross-border impact": ("early_warning", {"cross_border_impact"}),
    "NIS2 Art.23(4)(b) update of (a): malicious": ("initial_report", {"suspected_malicious"}),
    "NIS2 Art.23(4)(b) update of (a): cross-border": ("initial_report", {"cross_border_impact"}),
    "NIS2 Art.23(4)(b) initial assessment: severity": ("initial_report", {"severity"}),
    "NIS2 Art.23(4)(b) initial assessment: impact": ("initial_report", {"impact_assessment"}),
    "NIS2 Art.23(4)(b) indicators of compromise": ("initial_report", {"indicators_of_compromise"}),
    "NIS2 Art.23(4)(c) relevant status updates": ("intermediate_report", {"status_update", "handling_status"}),
    "NIS2 Art.23(4)(d)(i) detailed description incl. severity and impact": (
        "final_report",
        {"detailed_description", "severity", "impact_assessment"},
    ),
    "NIS2 Art.23(4)(d)(ii) type of threat or root cause": (
        "final_report",
        {"root_cause_category", "root_cause_description"},
    ),
    "NIS2 Art.23(4)(d)(iii) applied and ongoing mitigation": (
        "final_report",
        {"mitigation_applied", "mitigation_ongoing"},
    ),
    "NIS2 Art.23(4)(d)(iv) cross-border impact": ("final_report", {"cross_border_impact_description"}),
    "NIS2 Art.23(4)(e) progress report": ("progress_report", {"progress_description"}),
}


@pytest.fixture(scope="module")
def forms() -> ReportFormCatalogue:
    return load_report_forms()


@pytest.mark.parametrize("element", list(NIS2_ELEMENTS))
def test_nis2_art_23_4_element_present(forms: ReportFormCatalogue, element: str) -> None:
    stage, keys = NIS2_ELEMENTS[element]
    in_stage = {q.key for q in forms.questions_for(stage)}
    assert keys <= in_stage, keys - in_stage
    cite = element.split(" ")[1]  # e.g. "Art.23(4)(d)(ii)"
    by_key = {q.key: q for q in forms.questions}
    assert any(f"NIS2 {cite}" in b for k in keys for b in by_key[k].basis), (element, cite)


def test_every_nis2_letter_is_cited(forms: ReportFormCatalogue) -> None:
    cited = {b for q in forms.questions for b in q.basis}
    for letter in ("(a)", "(b)", "(c)", "(d)(i)", "(d)(ii)", "(d)(iii)", "(d)(iv)", "(e)"):
        assert f"NIS2 Art.23(4){letter}" in cited, letter


def test_stages_in_order_with_seed_annexes(forms: ReportFormCatalogue) -> None:
    assert tuple(s.key for s in forms.stages) == STAGE_ORDER
    expected = {
        "early_warning": (9, "122.1", "Agrīnā brīdinājuma veidlapa", True),
        "initial_report": (10, "122.2", "Sākotnējā ziņojuma veidlapa", True),
        "progress_report": (11, "122.3", "Progresa ziņojuma veidlapa", False),
        "intermediate_report": (12, "122.4", "Starpposma ziņojuma veidlapa", False),
        "final_report": (13, "122.5", "Galaziņojuma veidlapa", True),
    }
    seed = seed_points()
    for s in forms.stages:
        annex, point, title, mandatory = expected[s.key]
        assert (s.annex, s.point, s.form_title_lv, s.mandatory) == (annex, point, title, mandatory)
        assert f"({annex}. pielikums)" in seed[point].text
        assert s.form_title_lv.lower().split()[0][:6] in seed[point].text.lower()


def test_each_stage_has_questions_and_required_ones(forms: ReportFormCatalogue) -> None:
    for stage in STAGE_ORDER:
        qs = forms.questions_for(stage)
        assert qs, stage
        assert any(q.required for q in qs), stage


def test_p49_log_fields_are_asked(forms: ReportFormCatalogue) -> None:
    keys = {q.key for q in forms.questions_for("early_warning")}
    assert {"detected_at", "occurred_at", "incident_type_codes", "summary", "handling_status"} <= keys
    assert any(q.options_from == "incident_types" for q in forms.questions)


def test_prefill_only_after_first_stage_of_question(forms: ReportFormCatalogue) -> None:
    for q in forms.questions:
        if q.prefill_from:
            assert len(q.stages) > 1
            # carried over -> must also appear in the stage after its first one, so there is a previous answer
            first = STAGE_ORDER.index(q.stages[0])
            assert STAGE_ORDER[first + 1] in q.stages, q.key


def test_choice_questions_have_bilingual_options(forms: ReportFormCatalogue) -> None:
    for q in forms.questions:
        if q.type in ("choice", "multichoice") and q.options is not None:
            assert all(o.label_lv and o.label_en for o in q.options)


def test_rejects_invalid_questions(forms: ReportFormCatalogue) -> None:
    base = forms.questions[0].model_dump()
    with pytest.raises(ValidationError):
        Question.model_validate({**base, "unexpected": True})
    with pytest.raises(ValidationError):
        Question.model_validate({**base, "type": "choice"})  # no options
    with pytest.raises(ValidationError):
        Question.model_validate({**base, "stages": ["final_report", "early_warning"]})
    with pytest.raises(ValidationError):
        Question.model_validate({**base, "stages": ["annual_report"]})
    whole = forms.model_dump()
    whole["questions"] = [*whole["questions"], whole["questions"][0]]
    with pytest.raises(ValidationError):
        ReportFormCatalogue.model_validate(whole)
