"""``escalation-target``: whom the supervisor tells when a public body does not remedy non-compliance.

When a subject that is a public body does not take all necessary, suitable and proportionate
measures to remedy an identified non-compliance, the National Cybersecurity Centre (NCC) or the
Constitution Protection Bureau (SAB), by the division of supervision of National Cybersecurity Law
Art. 41, reports it:

- p. 155, a direct administration institution: to the responsible member of the Cabinet, who
  assesses whether to initiate disciplinary proceedings against the head of the subject, decides on
  further action and reports on the progress to the Cabinet;
- p. 156, a municipality or an indirect administration institution founded by one: to the chair of
  that municipal council, who decides on liability under the Local Governments Law; the Minister for
  Smart Administration and Regional Development is informed;
- p. 157, another derived public person, indirect administration institution or state institution
  not covered by p. 155-156: to the Cabinet, which decides on further action.

Decisions where the text is open:

- p. 156 "..., kuri lemj ..., kā arī informē viedās administrācijas un reģionālās attīstības ministru"
  does not say clearly who informs the minister (the supervisor or the council chair); the output lists
  the minister in ``also_informed`` without naming the informer, and a reason says so.
- ``reported_by``: the text defers to NCL Art. 41; the draft consistently has SAB supervise CI owners
  and the NCC the others (p. 132.3, 136.1-136.2), so ``is_ci_owner`` true gives SAB, false the NCC,
  and null both (undetermined).
- ``not_public_body``: p. 155-157 do not apply (``report_to`` is null).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from kiber.rules.base import Rule, RuleInput, RuleOutput

P = "22-TA-3183 p."

PublicBodyType = Literal[
    "direct_administration_institution",
    "municipality",
    "municipal_indirect_administration_institution",
    "derived_public_person",
    "indirect_administration_institution",
    "other_state_institution",
    "not_public_body",
]
Target = Literal["responsible_cabinet_member", "municipal_council_chair", "cabinet"]
Supervisor = Literal["national_cybersecurity_centre", "constitution_protection_bureau"]


class EscalationInput(RuleInput):
    public_body_type: PublicBodyType
    is_ci_owner: Annotated[bool, Field(strict=True)] | None = None


class EscalationOutput(RuleOutput):
    applies: bool
    report_to: Target | None
    report_to_en: str | None
    report_to_lv: str | None
    also_informed: list[str]
    follow_up: list[str]
    reported_by: list[Supervisor]
    reasons: list[str]


_TARGETS: dict[str, tuple[Target, str, str, str]] = {
    "direct_administration_institution": (
        "responsible_cabinet_member",
        "the responsible member of the Cabinet",
        "attiecīgais Ministru kabineta loceklis",
        "155",
    ),
    "municipality": (
        "municipal_council_chair",
        "the chair of the municipal council",
        "attiecīgās pašvaldības domes priekšsēdētājs",
        "156",
    ),
    "municipal_indirect_administration_institution": (
        "municipal_council_chair",
        "the chair of the founding municipality's council",
        "attiecīgās pašvaldības domes priekšsēdētājs",
        "156",
    ),
    "derived_public_person": ("cabinet", "the Cabinet", "Ministru kabinets", "157"),
    "indirect_administration_institution": ("cabinet", "the Cabinet", "Ministru kabinets", "157"),
    "other_state_institution": ("cabinet", "the Cabinet", "Ministru kabinets", "157"),
}

_FOLLOW_UP: dict[str, list[str]] = {
    "155": [
        "the Cabinet member assesses whether to initiate disciplinary proceedings against the head of the subject",
        "the Cabinet member decides on further action to remedy the non-compliance",
        "the Cabinet member reports on the progress to the Cabinet",
    ],
    "156": [
        "the council chair decides on the liability of municipal institutions and officials under the "
        "Local Governments Law",
    ],
    "157": ["the Cabinet decides on further action to remedy the non-compliance"],
}


def escalation_target(inp: EscalationInput) -> EscalationOutput:
    if inp.is_ci_owner is None:
        reported_by: list[Supervisor] = ["national_cybersecurity_centre", "constitution_protection_bureau"]
        who = "the NCC or SAB, by the supervision split of NCL Art. 41"
    elif inp.is_ci_owner:
        reported_by, who = ["constitution_protection_bureau"], "SAB, which supervises CI owners"
    else:
        reported_by, who = ["national_cybersecurity_centre"], "the NCC, which supervises non-CI subjects"

    if inp.public_body_type == "not_public_body":
        return EscalationOutput(
            applies=False,
            report_to=None,
            report_to_en=None,
            report_to_lv=None,
            also_informed=[],
            follow_up=[],
            reported_by=reported_by,
            basis=[P + "155", P + "156", P + "157"],
            reasons=["p.155-157 apply only to public bodies (state and municipal institutions)"],
        )
    target, en, lv, point = _TARGETS[inp.public_body_type]
    reasons = [f"{who} reports the unremedied non-compliance to {en} ({P}{point})"]
    also: list[str] = []
    if point == "156":
        also = ["minister_for_smart_administration_and_regional_development"]
        reasons.append(
            "the Minister for Smart Administration and Regional Development is informed; p.156 does not "
            f"say clearly whether by the supervisor or by the council chair ({P}156)"
        )
    if point == "157":
        reasons.append(f"p.157 covers public bodies not named in p.155 and p.156 ({P}157)")
    return EscalationOutput(
        applies=True,
        report_to=target,
        report_to_en=en,
        report_to_lv=lv,
        also_informed=also,
        follow_up=_FOLLOW_UP[point],
        reported_by=reported_by,
        basis=[P + point],
        reasons=reasons,
    )


RULES: list[Rule[Any, Any]] = [
    Rule(
        name="escalation-target",
        summary="Whom an unremedied non-compliance of a public body is reported to (p. 155-157)",
        input_model=EscalationInput,
        output_model=EscalationOutput,
        fn=escalation_target,
    )
]
