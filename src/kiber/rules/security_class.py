"""``security-class``: an information system's security class (22-TA-3183 p. 33-36, Annex 4).

Per information resource (Annex 4 methodology, p. 33):

- confidentiality A: >= 1 000 000 personal-data subjects, >= 500 000 special-category subjects, or
  disclosure would harm national security; B: restricted information, any special-category data, or
  harm to Latvia's reputation; else C;
- integrity A: real estate / vehicle ownership registration, a breach stops or seriously hampers
  state/municipal functions or critical infrastructure, or causes a disaster; B: a breach stops the
  subject's own or other subjects' essential/important services; else C;
- availability A: tolerated unplanned downtime <= 0.1 % a month, unavailability stops state/municipal
  functions or CI, or an A-availability system depends on it; B: <= 1 % or a B-availability system
  depends on it; else C (> 1 %).

The system's C/I/A is the highest over its resources; its class is A if any is A, B if any is B,
else C (p. 34.1-34.3). Class A "may only be for an essential service provider" (Annex 4 heading):
for an ``important`` subject each A is lowered to B, with a warning. An IS in the critical
infrastructure set is class A whatever p. 33-34 give (p. 35), for any subject category.

Decisions where the contract is open:

- ``name`` of a resource is optional (null when absent) and echoed in the output.
- For an ``important`` subject in the CI set the lowered C/I/A are reported (with the warning) and
  ``class`` is still A (p. 35 is specific; the contract says "whatever the subject's category").
- Only a really lowered A produces the warning; an important subject with no A gets none.
- ``basis`` is "Annex 4" plus the deciding p. 34 sub-point, or p. 35 for the CI set.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from kiber.rules.base import Rule, RuleInput, RuleOutput

SecurityLevel = Literal["A", "B", "C"]

WARNING_CLASS_A_IMPORTANT = "class_a_not_available_to_important_subject"

_RANK: dict[str, int] = {"C": 0, "B": 1, "A": 2}

Count = Annotated[int, Field(ge=0, strict=True)]
Flag = Annotated[bool, Field(strict=True)]


class InformationResource(RuleInput):
    name: str | None = None
    personal_data_subjects: Count = 0
    special_category_subjects: Count = 0
    national_security_harm: Flag = False
    restricted_information: Flag = False
    reputation_harm_lv: Flag = False
    ownership_registration: Flag = False
    integrity_breach_stops_state_functions_or_ci: Flag = False
    integrity_breach_causes_disaster: Flag = False
    integrity_breach_stops_own_service: Flag = False
    integrity_breach_stops_other_subjects: Flag = False
    tolerated_unplanned_downtime_pct: Annotated[float, Field(ge=0, le=100, strict=True)]
    unavailability_stops_state_functions_or_ci: Flag = False
    dependent_systems_availability: list[SecurityLevel] = []


class SecurityClassInput(RuleInput):
    subject_category: Literal["essential", "important"]
    in_ci_set: Flag = False
    resources: Annotated[list[InformationResource], Field(min_length=1)]


class ResourceClasses(BaseModel):
    """C/I/A of one resource (no ``basis`` of its own)."""

    model_config = ConfigDict(frozen=True)

    name: str | None
    confidentiality: SecurityLevel
    integrity: SecurityLevel
    availability: SecurityLevel


class SecurityClassOutput(RuleOutput):
    confidentiality: SecurityLevel
    integrity: SecurityLevel
    availability: SecurityLevel
    klass: SecurityLevel = Field(serialization_alias="class")
    resources: list[ResourceClasses]
    warnings: list[str]


def confidentiality_class(res: InformationResource) -> SecurityLevel:
    """Annex 4, confidentiality column."""
    if (
        res.personal_data_subjects >= 1_000_000
        or res.special_category_subjects >= 500_000
        or res.national_security_harm
    ):
        return "A"
    if res.restricted_information or res.special_category_subjects > 0 or res.reputation_harm_lv:
        return "B"
    return "C"


def integrity_class(res: InformationResource) -> SecurityLevel:
    """Annex 4, integrity column."""
    if (
        res.ownership_registration
        or res.integrity_breach_stops_state_functions_or_ci
        or res.integrity_breach_causes_disaster
    ):
        return "A"
    if res.integrity_breach_stops_own_service or res.integrity_breach_stops_other_subjects:
        return "B"
    return "C"


def availability_class(res: InformationResource) -> SecurityLevel:
    """Annex 4, availability column (downtime as % of intended operating time in a month)."""
    deps = res.dependent_systems_availability
    if res.tolerated_unplanned_downtime_pct <= 0.1 or res.unavailability_stops_state_functions_or_ci or "A" in deps:
        return "A"
    if res.tolerated_unplanned_downtime_pct <= 1 or "B" in deps:
        return "B"
    return "C"


def highest(levels: list[SecurityLevel]) -> SecurityLevel:
    return max(levels, key=lambda level: _RANK[level])


def system_class(
    confidentiality: SecurityLevel, integrity: SecurityLevel, availability: SecurityLevel
) -> SecurityLevel:
    """p. 34: A if any of C/I/A is A, else B if any is B, else C."""
    return highest([confidentiality, integrity, availability])


def security_class(inp: SecurityClassInput) -> SecurityClassOutput:
    important = inp.subject_category == "important"
    lowered = False

    def cap(level: SecurityLevel) -> SecurityLevel:
        nonlocal lowered
        if important and level == "A":
            lowered = True
            return "B"
        return level

    resources = [
        ResourceClasses(
            name=res.name,
            confidentiality=cap(confidentiality_class(res)),
            integrity=cap(integrity_class(res)),
            availability=cap(availability_class(res)),
        )
        for res in inp.resources
    ]
    conf = highest([r.confidentiality for r in resources])
    integ = highest([r.integrity for r in resources])
    avail = highest([r.availability for r in resources])
    basis = ["22-TA-3183 Annex 4"]
    if inp.in_ci_set:
        klass: SecurityLevel = "A"
        basis.append("22-TA-3183 p.35")
    else:
        klass = system_class(conf, integ, avail)
        basis.append({"A": "22-TA-3183 p.34.1", "B": "22-TA-3183 p.34.2", "C": "22-TA-3183 p.34.3"}[klass])
    return SecurityClassOutput(
        confidentiality=conf,
        integrity=integ,
        availability=avail,
        klass=klass,
        resources=resources,
        warnings=[WARNING_CLASS_A_IMPORTANT] if lowered else [],
        basis=basis,
    )


RULES: list[Rule[Any, Any]] = [
    Rule(
        name="security-class",
        summary="Information system security class from its resources (p. 33-36, Annex 4)",
        input_model=SecurityClassInput,
        output_model=SecurityClassOutput,
        fn=security_class,
    )
]
