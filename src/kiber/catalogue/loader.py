"""Typed loaders for the legal catalogues shipped as YAML in :mod:`kiber.catalogue`.

Pure Python (Pydantic v2 + PyYAML); no Django. Every model forbids unknown keys, so a typo in a data
file fails loudly instead of being silently ignored. Loaders are cached: the returned objects are frozen
and shared, do not mutate them.

Files:

* ``requirements/<catalogue>.yaml`` -> :class:`RequirementCatalogue` (:func:`load_requirements`)
* ``incident_types.yaml`` -> :class:`IncidentTypeCatalogue` (:func:`load_incident_types`)
* ``report_forms.yaml`` -> :class:`ReportFormCatalogue` (:func:`load_report_forms`)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "Applicability",
    "Condition",
    "IncidentType",
    "IncidentTypeCatalogue",
    "Question",
    "QuestionOption",
    "ReportFormCatalogue",
    "ReportStage",
    "RequirementCatalogue",
    "RequirementItem",
    "load_incident_types",
    "load_report_forms",
    "load_requirements",
    "normalise_text",
]

Tier = Literal["ci_owner", "essential", "important"]
SystemClass = Literal["A", "B", "C"]
ClassBasis = Literal["system", "confidentiality"]
NormType = Literal["obligation", "prohibition", "entitlement", "classification_rule"]
EvidenceKind = Literal[
    "policy",
    "procedure",
    "plan",
    "register",
    "record",
    "log",
    "configuration",
    "report",
    "training_record",
    "contract",
    "submission",
    "appointment",
    "qualification",
    "assessment",
]
StageKey = Literal["early_warning", "initial_report", "intermediate_report", "progress_report", "final_report"]
QuestionType = Literal["text", "textarea", "bool", "choice", "multichoice", "datetime", "integer"]

STAGE_ORDER: tuple[StageKey, ...] = (
    "early_warning",
    "initial_report",
    "intermediate_report",
    "progress_report",
    "final_report",
)

_POINT_RE = re.compile(r"^[1-9]\d*(\.[1-9]\d*)*$")
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")


def normalise_text(text: str) -> str:
    """The catalogue's whitespace rule: every whitespace run becomes one space; strip the ends.

    "Whitespace" is what :meth:`str.split` splits on, which includes line breaks and U+00A0.
    """
    return " ".join(text.split())


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


def _unique(values: Iterable[Any], what: str) -> None:
    seen: set[Any] = set()
    for v in values:
        if v in seen:
            raise ValueError(f"duplicate {what}: {v!r}")
        seen.add(v)


# --------------------------------------------------------------------------- requirements


class Chapter(_Strict):
    number: int = Field(ge=1)
    title_lv: str = Field(min_length=1)
    title_en: str = Field(min_length=1)


class Section(_Strict):
    number: str = Field(pattern=r"^\d+\.\d+$")
    title_lv: str = Field(min_length=1)
    title_en: str = Field(min_length=1)


class Condition(_Strict):
    """A named applicability condition; ``tiers`` (if set) limits it to subjects in those tiers."""

    key: str = Field(pattern=_KEY_RE.pattern)
    tiers: tuple[Tier, ...] | None = None


class Applicability(_Strict):
    tiers: tuple[Tier, ...] = Field(min_length=1)
    classes: tuple[SystemClass, ...] | None = None
    class_basis: ClassBasis | None = None
    per_system: bool
    conditions: tuple[Condition, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> Applicability:
        _unique(self.tiers, "tier")
        if self.classes is not None:
            if not self.classes:
                raise ValueError("classes must be absent or non-empty")
            _unique(self.classes, "class")
            if self.class_basis is None:
                raise ValueError("class_basis is required when classes is set")
            if not self.per_system:
                raise ValueError("class-scoped items must be per_system")
        elif self.class_basis is not None:
            raise ValueError("class_basis without classes")
        _unique((c.key for c in self.conditions), "condition")
        for c in self.conditions:
            if c.tiers is not None and not set(c.tiers) <= set(self.tiers):
                raise ValueError(f"condition {c.key} scoped to tiers outside the item's tiers")
        return self

    def applies(self, subject_tiers: Iterable[str], facts: Iterable[str] = ()) -> bool:
        """Whether the item applies to a subject.

        ``subject_tiers``: the subject's tiers; ``facts``: the condition keys that hold for it. The item
        applies if, for at least one of the subject's tiers listed on the item, every condition that is
        unscoped or scoped to that tier holds. Class scoping (``classes``) is per system and not checked
        here.
        """
        holding = set(facts)
        for tier in set(subject_tiers) & set(self.tiers):
            if all(c.key in holding for c in self.conditions if c.tiers is None or tier in c.tiers):
                return True
        return False


class RequirementItem(_Strict):
    id: str
    point: str = Field(pattern=_POINT_RE.pattern)
    chapter: Chapter
    section: Section | None
    norm_type: NormType
    lead_points: tuple[str, ...] = ()
    lead_lv: str | None = None
    lead_en: str | None = None
    text_lv: str = Field(min_length=1)
    text_en: str = Field(min_length=1)
    applies_to: Applicability
    evidence: tuple[EvidenceKind, ...] = Field(min_length=1)
    references: tuple[str, ...] = ()
    note_en: str | None = None

    @model_validator(mode="after")
    def _check(self) -> RequirementItem:
        if self.section is not None and not self.section.number.startswith(f"{self.chapter.number}."):
            raise ValueError(f"{self.point}: section {self.section.number} outside chapter {self.chapter.number}")
        parts = self.point.split(".")
        expected_leads = tuple(".".join(parts[:i]) for i in range(1, len(parts)))
        if self.lead_points != expected_leads:
            raise ValueError(f"{self.point}: lead_points must be {expected_leads}, got {self.lead_points}")
        has_lead = bool(self.lead_points)
        if (self.lead_lv is not None) != has_lead or (self.lead_en is not None) != has_lead:
            raise ValueError(f"{self.point}: lead_lv/lead_en must be given exactly for sub-points")
        for text in (self.text_lv, self.text_en, self.lead_lv, self.lead_en):
            if text is not None and text != normalise_text(text):
                raise ValueError(f"{self.point}: text is not whitespace-normalised")
        for ref in self.references:
            if not _POINT_RE.match(ref):
                raise ValueError(f"{self.point}: bad reference {ref!r}")
        _unique(self.evidence, "evidence kind")
        _unique(self.references, "reference")
        return self


class Regulation(_Strict):
    project_id: str
    title_lv: str
    title_en: str
    status: Literal["draft", "adopted"]


class Source(_Strict):
    file: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    scope: str
    normalisation: str


class RequirementCatalogue(_Strict):
    catalogue: str
    version: str = Field(min_length=1)
    regulation: Regulation
    source: Source
    tiers: dict[Tier, str]
    conditions: dict[str, str]
    evidence_kinds: dict[EvidenceKind, str]
    items: tuple[RequirementItem, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> RequirementCatalogue:
        _unique((i.id for i in self.items), "item id")
        _unique((i.point for i in self.items), "point")
        for key in self.conditions:
            if not _KEY_RE.match(key):
                raise ValueError(f"bad condition key {key!r}")
        for item in self.items:
            if item.id != f"{self.catalogue}:{item.point}":
                raise ValueError(f"id {item.id!r} does not match {self.catalogue}:{item.point}")
            for cond in item.applies_to.conditions:
                if cond.key not in self.conditions:
                    raise ValueError(f"{item.id}: undocumented condition {cond.key!r}")
            for ev in item.evidence:
                if ev not in self.evidence_kinds:
                    raise ValueError(f"{item.id}: undocumented evidence kind {ev!r}")
        return self

    def get(self, point: str) -> RequirementItem:
        """The item for a point number such as ``"53.1"``; :class:`KeyError` if absent."""
        for item in self.items:
            if item.point == point:
                return item
        raise KeyError(point)

    def for_subject(self, subject_tiers: Iterable[str], facts: Iterable[str] = ()) -> list[RequirementItem]:
        """Items applicable to a subject (see :meth:`Applicability.applies`)."""
        tiers, held = list(subject_tiers), list(facts)
        return [i for i in self.items if i.applies_to.applies(tiers, held)]


# --------------------------------------------------------------------------- incident types


class IncidentType(_Strict):
    code: str = Field(pattern=r"^\d{2}$")
    name_lv: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    is_exercise: bool = False


class IncidentTypeCatalogue(_Strict):
    version: str = Field(min_length=1)
    annex: int
    title_lv: str
    title_en: str
    basis: str
    types: tuple[IncidentType, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> IncidentTypeCatalogue:
        _unique((t.code for t in self.types), "incident type code")
        return self

    def get(self, code: str) -> IncidentType:
        for t in self.types:
            if t.code == code:
                return t
        raise KeyError(code)


# --------------------------------------------------------------------------- report forms


class QuestionOption(_Strict):
    value: str = Field(pattern=_KEY_RE.pattern)
    label_lv: str = Field(min_length=1)
    label_en: str = Field(min_length=1)


class Question(_Strict):
    key: str = Field(pattern=_KEY_RE.pattern)
    type: QuestionType
    label_lv: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    help_lv: str | None = None
    help_en: str | None = None
    required: bool
    stages: tuple[StageKey, ...] = Field(min_length=1)
    prefill_from: bool
    options: tuple[QuestionOption, ...] | None = None
    options_from: Literal["incident_types"] | None = None
    basis: tuple[str, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> Question:
        _unique(self.stages, "stage")
        if [s for s in STAGE_ORDER if s in self.stages] != list(self.stages):
            raise ValueError(f"{self.key}: stages must be listed in procedural order")
        if (self.help_lv is None) != (self.help_en is None):
            raise ValueError(f"{self.key}: help_lv and help_en go together")
        if self.type in ("choice", "multichoice"):
            if (self.options is None) == (self.options_from is None):
                raise ValueError(f"{self.key}: choice questions need exactly one of options/options_from")
            if self.options is not None:
                if len(self.options) < 2:
                    raise ValueError(f"{self.key}: a choice needs at least two options")
                _unique((o.value for o in self.options), "option value")
        elif self.options is not None or self.options_from is not None:
            raise ValueError(f"{self.key}: options only allowed for choice/multichoice")
        if self.prefill_from and self.stages[0] == self.stages[-1]:
            raise ValueError(f"{self.key}: prefill_from needs the question in more than one stage")
        return self


class ReportStage(_Strict):
    key: StageKey
    annex: int
    point: str = Field(pattern=_POINT_RE.pattern)
    form_title_lv: str
    name_lv: str
    name_en: str
    mandatory: bool
    deadline_en: str
    deadline_basis: tuple[str, ...] = Field(min_length=1)


class ReportFormCatalogue(_Strict):
    version: str = Field(min_length=1)
    status: Literal["provisional", "official"]
    note_en: str
    stages: tuple[ReportStage, ...]
    questions: tuple[Question, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> ReportFormCatalogue:
        if tuple(s.key for s in self.stages) != STAGE_ORDER:
            raise ValueError(f"stages must be exactly {STAGE_ORDER}")
        _unique((q.key for q in self.questions), "question key")
        return self

    def stage(self, key: str) -> ReportStage:
        for s in self.stages:
            if s.key == key:
                return s
        raise KeyError(key)

    def questions_for(self, stage: str) -> list[Question]:
        """Questions of one stage, in catalogue order."""
        if stage not in STAGE_ORDER:
            raise KeyError(stage)
        return [q for q in self.questions if stage in q.stages]


# --------------------------------------------------------------------------- loading


def _read_yaml(*parts: str) -> Any:
    resource = resources.files("kiber.catalogue").joinpath(*parts)
    with resource.open("r", encoding="utf-8") as fh:
        # libyaml's safe loader parses the same documents about 8x faster (seconds per test worker).
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@cache
def load_requirements(catalogue: str = "22-TA-3183") -> RequirementCatalogue:
    """The requirement catalogue ``requirements/<catalogue>.yaml``, validated."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", catalogue):
        raise ValueError(f"bad catalogue name {catalogue!r}")
    result = RequirementCatalogue.model_validate(_read_yaml("requirements", f"{catalogue}.yaml"))
    if result.catalogue != catalogue:
        raise ValueError(f"file for {catalogue!r} declares catalogue {result.catalogue!r}")
    return result


@cache
def load_incident_types() -> IncidentTypeCatalogue:
    """Annex 6 incident type codes, validated."""
    return IncidentTypeCatalogue.model_validate(_read_yaml("incident_types.yaml"))


@cache
def load_report_forms() -> ReportFormCatalogue:
    """The question catalogue of the five incident report stages, validated."""
    return ReportFormCatalogue.model_validate(_read_yaml("report_forms.yaml"))
