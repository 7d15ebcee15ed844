"""``auditor-eligibility``: may the Digital Security Supervisory Committee register this auditor (p. 125-126)?

- p. 125.1: the auditor is a legal or natural person meeting p. 93 — a legal person registered in a
  NATO/EU/EFTA/IP4 state, its board and council, beneficial owners and members/shareholders of those
  states; a natural person a citizen of one. The test is the one ``outsourcing-eligibility`` applies to
  a CI owner's provider (``outsourcing.p93_findings``), so both registers answer the same way.
- p. 125.2: the auditor or its staff hold an internationally recognised certificate of cybersecurity
  audit knowledge (e.g. CISA, ISO/IEC 27001 Lead Auditor, CISSP); p. 126.2: copies are submitted.
- p. 125.3: the auditor has the technical means to determine whether networks, systems, ICT resources
  and procedures comply.

Decisions where the text is open:

- p. 125.2 gives examples ("piemēram"): any named certificate counts; whether it is "internationally
  recognised" is the Committee's judgement, recorded as a reason, not decided here.
- p. 125.1 names only p. 93, not p. 85: a p. 85 state (RU, BY) is outside NATO/EU/EFTA/IP4 anyway, so
  p. 93 already refuses it.
- A certificate without its copy (p. 126.2) does not count.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from kiber.rules.base import Rule, RuleInput, RuleInputError, RuleOutput
from kiber.rules.outsourcing import Finding, Party, p93_findings

P = "22-TA-3183 p."
Flag = Annotated[bool, Field(strict=True)]


class Certificate(RuleInput):
    name: Annotated[str, Field(min_length=1)]
    copy_submitted: Flag = True


class AuditorInput(RuleInput):
    auditor: Party
    certificates: list[Certificate] = []
    technical_capability: Flag = False


class AuditorOutput(RuleOutput):
    eligible: bool
    findings: list[Finding]
    reasons: list[str]


def auditor_eligibility(inp: AuditorInput) -> AuditorOutput:
    who = inp.auditor
    if who.kind == "legal_person" and who.registration_country is None:
        raise RuleInputError(
            "auditor.registration_country: required for a legal person", ["auditor.registration_country"]
        )
    if who.kind == "natural_person" and not who.citizenships:
        raise RuleInputError("auditor.citizenships: required for a natural person", ["auditor.citizenships"])
    findings = list(p93_findings(inp.auditor, "auditor"))
    basis = [P + "125.1", P + "93"] + [f.basis for f in findings]
    reasons: list[str] = []
    if findings:
        reasons += [f"{f.message} ({f.basis})" for f in findings]
    else:
        reasons.append(f"the auditor meets the NATO/EU/EFTA/IP4 requirements of p.93 ({P}125.1)")

    basis += [P + "125.2", P + "126.2"]
    counted = [c.name for c in inp.certificates if c.copy_submitted]
    if counted:
        reasons.append(f"certificates of cybersecurity audit knowledge: {', '.join(counted)} ({P}125.2)")
    else:
        findings.append(
            Finding(
                code="no_certificate",
                field="certificates",
                basis=P + "125.2",
                message="no certificate of cybersecurity audit knowledge with its copy (e.g. CISA, ISO/IEC 27001 "
                "Lead Auditor, CISSP)",
            )
        )
        reasons.append(f"{findings[-1].message} ({P}125.2, {P}126.2)")

    basis.append(P + "125.3")
    if inp.technical_capability:
        reasons.append(f"the auditor has the technical means to determine compliance ({P}125.3)")
    else:
        findings.append(
            Finding(
                code="no_technical_capability",
                field="technical_capability",
                basis=P + "125.3",
                message="the technical means to determine compliance are not shown",
            )
        )
        reasons.append(f"{findings[-1].message} ({P}125.3)")
    return AuditorOutput(eligible=not findings, findings=findings, basis=list(dict.fromkeys(basis)), reasons=reasons)


RULES: list[Rule[Any, Any]] = [
    Rule(
        name="auditor-eligibility",
        summary="May the Digital Security Supervisory Committee register this auditor (p. 125-126, 93)",
        input_model=AuditorInput,
        output_model=AuditorOutput,
        fn=auditor_eligibility,
    )
]
