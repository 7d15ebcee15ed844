"""``outsourcing-eligibility``: may the subject conclude this outsourcing contract (p. 85, 92-105, 164-169)?

Regimes, checked in this order:

- p. 85, every subject and contract: forbidden if the provider is a legal person registered in, or
  the provider, a member/shareholder or beneficial owner is a citizen of, Russia, Belarus or a state
  recognised as supporting terrorism (85.1-85.2); if such a citizen is involved in providing the
  service (85.3); if the manufacturer of the acquired resource is registered in or a citizen of such a
  state (85.4). No exception.
- CI owner, contract for a system in the critical infrastructure set: a *service* contract only after
  the Constitution Protection Bureau's (SAB) opinion, unless a public person holds the provider's
  shares or has indirect influence (p. 92; the opinion also covers subcontractors, p. 97); a contract
  for *technical resources* only if both provider and manufacturer meet p. 93 (NATO/EU/EFTA/IP4
  registration, board and council, beneficial owner, members and shareholders; or a NATO/EU/EFTA/IP4
  citizen), unless a public person holds the provider (94.1) or SAB's opinion allows an exception (94.2).
- Essential provider (not a CI owner), contract for a class A system, or for the critical parts of its
  public electronic communications network (p. 101): for technical resources the provider meets the
  requirements (100.1); for services the provider meets them and every involved person is a
  NATO/EU/EFTA/IP4 citizen (100.2); unless a public person holds the provider (102.1) or SAB's opinion
  says it has no negative information (102.2).
- Transitional: contracts concluded before entry into force may stay in force until 1 January 2028
  (p. 165); procurements launched before it may be exempted if the contract ends by then (p. 166);
  neither for CI owners (p. 167), who must comply within six months of entry into force (p. 168).
  Essential providers report their non-compliant contracts within six months (p. 164). For networks
  already in operation or under construction at entry into force, p. 101 applies from 1 January 2030
  (p. 169).

``decision``: ``forbidden`` (p. 85, or SAB's opinion was unfavourable), ``sab_opinion_required`` (only a
favourable SAB opinion would allow it), or ``allowed``.

Decisions where the text is open:

- p. 100.1/100.2 refer to "the requirements of p. 92", which is the SAB-opinion rule and sets no
  requirement on a provider; they are read as p. 93 (the criteria). 100.1 names only the provider,
  so the manufacturer is not checked under p. 100 (it is under p. 85.4).
- p. 92 literally requires only that SAB's opinion be *received*; an ``unfavourable`` opinion is
  treated as forbidding the contract, a ``favourable`` one as allowing it.
- p. 85.2 speaks of members, shareholders and beneficial owners who are *citizens*: a legal-person
  shareholder registered in a p. 85 state is not caught by p. 85 (it fails p. 93.1.4 where that
  applies); board members are not named in p. 85 either (they are in p. 93.1.2).
- p. 93 checks a legal person's board and council (``board_members``), which must be given (every
  legal person has one); ``shareholders`` and ``beneficial_owners`` may be empty (listed companies;
  the beneficial owner is checked only "if it can be established"). A person with several
  citizenships meets p. 93 with any one of them in the group, but p. 85 with none in it.
- p. 100.2 needs the involved persons: with no ``personnel`` given it is not shown to be met.
- "Until 1 January 2028" (p. 165, 166) means the last day is 31 December 2027; p. 168's six months end
  on ``entry_into_force`` + 6 calendar months (inclusive). p. 169 applies from 2030-01-01 (inclusive).
- Without ``entry_into_force`` the CI grace period (p. 168) and the p. 164 report date are not
  computed; ``concluded_before_entry_into_force`` is taken as given.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from kiber.rules.base import Rule, RuleInput, RuleInputError, RuleOutput
from kiber.rules.country_groups import NATO_EU_EFTA_IP4, RESTRICTED_P85, CountryCode
from kiber.rules.review_intervals import add_months, calendar_guard
from kiber.rules.working_days import IsoDate

P = "22-TA-3183 p."

SubjectTier = Literal["ci_owner", "essential", "important"]
Decision = Literal["allowed", "sab_opinion_required", "forbidden"]
Flag = Annotated[bool, Field(strict=True)]

TRANSITION_END = date(2028, 1, 1)  # p. 165, 166: first day the old contracts may no longer run
PECN_EXISTING_FROM = date(2030, 1, 1)  # p. 169
_RANK: dict[str, int] = {"allowed": 0, "sab_opinion_required": 1, "forbidden": 2}


class Person(RuleInput):
    citizenships: Annotated[list[CountryCode], Field(min_length=1)]


class Entity(RuleInput):
    kind: Literal["legal_person", "natural_person"] = "legal_person"
    registration_country: CountryCode | None = None
    citizenships: list[CountryCode] = []


class Party(Entity):
    board_members: list[Person] = []
    shareholders: list[Entity] = []
    beneficial_owners: list[Person] = []


class OutsourcingInput(RuleInput):
    subject_tier: SubjectTier
    contract_subject: Literal["service", "technical_resource", "service_and_technical_resource"]
    as_of: IsoDate
    system_in_ci_set: Flag | None = None
    system_class: Literal["A", "B", "C"] | None = None
    pecn_critical_part: Flag = False
    pecn_existing_at_entry_into_force: Flag = False
    provider: Party
    manufacturer: Party | None = None
    personnel: list[Person] = []
    public_person_holder: Flag = False
    sab_opinion: Literal["none", "favourable", "unfavourable"] = "none"
    concluded_before_entry_into_force: Flag = False
    procurement_launched_before_entry_into_force: Flag = False
    contract_end: IsoDate | None = None
    entry_into_force: IsoDate | None = None


class Finding(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    field: str
    basis: str
    message: str


class OutsourcingOutput(RuleOutput):
    decision: Decision
    permanent_decision: Decision
    regime: Literal["general", "ci", "essential_class_a"]
    findings: list[Finding]
    sab_opinion_points: list[str]
    allowed_until: date | None
    report_non_compliance_by: date | None
    reasons: list[str]


def _validate(inp: OutsourcingInput) -> None:
    bad: dict[str, str] = {}
    for name, party in (("provider", inp.provider), ("manufacturer", inp.manufacturer)):
        if party is None:
            continue
        _entity_complete(party, name, bad)
        for i, holder in enumerate(party.shareholders):
            _entity_complete(holder, f"{name}.shareholders.{i}", bad)
    if inp.contract_subject != "service" and inp.manufacturer is None:
        bad["manufacturer"] = "required for a contract acquiring technical resources"
    if inp.subject_tier == "ci_owner" and inp.system_in_ci_set is None:
        bad["system_in_ci_set"] = "required for a CI owner"
    if inp.subject_tier == "essential" and inp.system_class is None and not inp.pecn_critical_part:
        bad["system_class"] = "required for an essential provider (p. 100)"
    if bad:
        raise RuleInputError("; ".join(f"{k}: {v}" for k, v in bad.items()), list(bad))


def _entity_complete(entity: Entity, path: str, bad: dict[str, str]) -> None:
    if entity.kind == "legal_person" and entity.registration_country is None:
        bad[f"{path}.registration_country"] = "required for a legal person"
    if entity.kind == "natural_person" and not entity.citizenships:
        bad[f"{path}.citizenships"] = "required for a natural person"


def _p85(inp: OutsourcingInput) -> list[Finding]:
    found: list[Finding] = []

    def hit(code: str, field: str, point: str, what: str) -> None:
        found.append(Finding(code=code, field=field, basis=P + point, message=what))

    prov = inp.provider
    if prov.kind == "legal_person" and prov.registration_country in RESTRICTED_P85:
        hit(
            "provider_registered_in_restricted_state",
            "provider.registration_country",
            "85.1",
            f"the provider is registered in {prov.registration_country}",
        )
    if prov.kind == "natural_person" and set(prov.citizenships) & RESTRICTED_P85:
        hit(
            "provider_restricted_citizen", "provider.citizenships", "85.2", "the provider is a citizen of a p. 85 state"
        )
    for i, holder in enumerate(prov.shareholders):
        if holder.kind == "natural_person" and set(holder.citizenships) & RESTRICTED_P85:
            hit(
                "shareholder_restricted_citizen",
                f"provider.shareholders.{i}.citizenships",
                "85.2",
                "a member or shareholder of the provider is a citizen of a p. 85 state",
            )
    for i, owner in enumerate(prov.beneficial_owners):
        if set(owner.citizenships) & RESTRICTED_P85:
            hit(
                "beneficial_owner_restricted_citizen",
                f"provider.beneficial_owners.{i}.citizenships",
                "85.2",
                "a beneficial owner of the provider is a citizen of a p. 85 state",
            )
    for i, person in enumerate(inp.personnel):
        if set(person.citizenships) & RESTRICTED_P85:
            hit(
                "personnel_restricted_citizen",
                f"personnel.{i}.citizenships",
                "85.3",
                "a citizen of a p. 85 state is involved in providing the service",
            )
    man = inp.manufacturer
    if man is not None:
        if man.kind == "legal_person" and man.registration_country in RESTRICTED_P85:
            hit(
                "manufacturer_registered_in_restricted_state",
                "manufacturer.registration_country",
                "85.4",
                f"the manufacturer is registered in {man.registration_country}",
            )
        if man.kind == "natural_person" and set(man.citizenships) & RESTRICTED_P85:
            hit(
                "manufacturer_restricted_citizen",
                "manufacturer.citizenships",
                "85.4",
                "the manufacturer is a citizen of a p. 85 state",
            )
    return found


def p93_findings(party: Party, path: str) -> list[Finding]:
    """Where ``party`` fails p. 93 (NATO/EU/EFTA/IP4 registration, management, owners; or citizenship).

    Also the auditor register's test (p. 125.1 refers to p. 93): see ``auditor_eligibility``.
    """
    found: list[Finding] = []
    group = NATO_EU_EFTA_IP4

    def ok(codes: list[str]) -> bool:
        return bool(set(codes) & group)

    if party.kind == "natural_person":
        if not ok(party.citizenships):
            found.append(
                Finding(
                    code="not_nato_eu_efta_ip4_citizen",
                    field=f"{path}.citizenships",
                    basis=P + "93.2",
                    message=f"the {path} is not a NATO/EU/EFTA/IP4 citizen",
                )
            )
        return found
    if party.registration_country not in group:
        found.append(
            Finding(
                code="not_registered_in_nato_eu_efta_ip4",
                field=f"{path}.registration_country",
                basis=P + "93.1.1",
                message=f"the {path} is registered in {party.registration_country}, outside NATO/EU/EFTA/IP4",
            )
        )
    if not party.board_members:
        found.append(
            Finding(
                code="board_not_given",
                field=f"{path}.board_members",
                basis=P + "93.1.2",
                message=f"the {path}'s board and council members are not given",
            )
        )
    for i, member in enumerate(party.board_members):
        if not ok(member.citizenships):
            found.append(
                Finding(
                    code="board_member_not_nato_eu_efta_ip4",
                    field=f"{path}.board_members.{i}.citizenships",
                    basis=P + "93.1.2",
                    message=f"a board or council member of the {path} is not a NATO/EU/EFTA/IP4 citizen",
                )
            )
    for i, owner in enumerate(party.beneficial_owners):
        if not ok(owner.citizenships):
            found.append(
                Finding(
                    code="beneficial_owner_not_nato_eu_efta_ip4",
                    field=f"{path}.beneficial_owners.{i}.citizenships",
                    basis=P + "93.1.3",
                    message=f"a beneficial owner of the {path} is not a NATO/EU/EFTA/IP4 citizen",
                )
            )
    for i, holder in enumerate(party.shareholders):
        if holder.kind == "legal_person" and holder.registration_country not in group:
            found.append(
                Finding(
                    code="shareholder_not_nato_eu_efta_ip4",
                    field=f"{path}.shareholders.{i}.registration_country",
                    basis=P + "93.1.4",
                    message=f"a shareholder of the {path} is registered outside NATO/EU/EFTA/IP4",
                )
            )
        if holder.kind == "natural_person" and not ok(holder.citizenships):
            found.append(
                Finding(
                    code="shareholder_not_nato_eu_efta_ip4",
                    field=f"{path}.shareholders.{i}.citizenships",
                    basis=P + "93.1.4",
                    message=f"a shareholder of the {path} is not a NATO/EU/EFTA/IP4 citizen",
                )
            )
    return found


def _with_opinion(inp: OutsourcingInput, point: str, reasons: list[str]) -> Decision:
    """What a failed requirement leaves, given SAB's opinion (p. 92, 94.2 or 102.2)."""
    if inp.sab_opinion == "favourable":
        reasons.append(f"SAB's favourable opinion has been received ({P}{point})")
        return "allowed"
    if inp.sab_opinion == "unfavourable":
        reasons.append(f"SAB's opinion is unfavourable ({P}{point})")
        return "forbidden"
    reasons.append(f"the contract needs SAB's favourable opinion ({P}{point})")
    return "sab_opinion_required"


def outsourcing_eligibility(inp: OutsourcingInput) -> OutsourcingOutput:
    _validate(inp)
    basis: list[str] = [P + "85"]
    reasons: list[str] = []
    opinion_points: list[str] = []
    findings = _p85(inp)
    service = inp.contract_subject in ("service", "service_and_technical_resource")
    resource = inp.contract_subject in ("technical_resource", "service_and_technical_resource")

    regime: Literal["general", "ci", "essential_class_a"] = "general"
    if inp.subject_tier == "ci_owner" and inp.system_in_ci_set:
        regime = "ci"
    elif inp.subject_tier == "essential":
        pecn_applies = inp.pecn_critical_part and (
            not inp.pecn_existing_at_entry_into_force or inp.as_of >= PECN_EXISTING_FROM
        )
        if inp.pecn_critical_part and not pecn_applies:
            basis.append(P + "169")
            reasons.append(f"p.101 applies to this existing network only from {PECN_EXISTING_FROM} ({P}169)")
        if inp.system_class == "A" or pecn_applies:
            regime = "essential_class_a"
            if pecn_applies:
                basis.append(P + "101")
                reasons.append(f"the critical parts of a public e-communications network follow p.100 ({P}101)")

    decision: Decision = "allowed"
    if findings:
        decision = "forbidden"
        reasons += [f"{f.message} ({f.basis})" for f in findings]
    else:
        reasons.append(f"no provider, owner, person or manufacturer is linked to RU, BY or a p.85.1 state ({P}85)")

    parts: list[Decision] = []
    if regime == "ci":
        if service:
            basis.append(P + "92")
            if inp.public_person_holder:
                reasons.append(f"a public person holds the provider: no SAB opinion needed ({P}92)")
                parts.append("allowed")
            else:
                opinion_points.append(P + "92")
                parts.append(_with_opinion(inp, "92", reasons))
                reasons.append(f"the opinion also covers the provider's subcontractors ({P}97)")
        if resource:
            basis.append(P + "93")
            failed = p93_findings(inp.provider, "provider") + p93_findings(_party(inp.manufacturer), "manufacturer")
            met = f"the provider and the manufacturer meet the NATO/EU/EFTA/IP4 requirements ({P}93)"
            parts.append(_exempt_or_opinion(inp, failed, findings, reasons, opinion_points, ("94.1", "94.2"), met))
            basis += [P + "94.1"] if inp.public_person_holder and failed else []
            basis += [P + "94.2"] if failed and not inp.public_person_holder else []
    elif regime == "essential_class_a":
        basis.append(P + "100")
        failed = p93_findings(inp.provider, "provider")
        if service:
            if not inp.personnel:
                failed.append(
                    Finding(
                        code="personnel_not_given",
                        field="personnel",
                        basis=P + "100.2",
                        message="the natural persons involved in the service are not given",
                    )
                )
            for i, person in enumerate(inp.personnel):
                if not set(person.citizenships) & NATO_EU_EFTA_IP4:
                    failed.append(
                        Finding(
                            code="personnel_not_nato_eu_efta_ip4",
                            field=f"personnel.{i}.citizenships",
                            basis=P + "100.2",
                            message="a person involved is not a NATO/EU/EFTA/IP4 citizen",
                        )
                    )
        subs = (["100.1"] if resource else []) + (["100.2"] if service else [])
        basis += [P + sub for sub in subs]
        sub = "/".join(subs)
        met = f"the provider (and any person involved) meet the NATO/EU/EFTA/IP4 requirements ({P}{sub})"
        parts.append(_exempt_or_opinion(inp, failed, findings, reasons, opinion_points, ("102.1", "102.2"), met))
        if failed:
            basis.append(P + ("102.1" if inp.public_person_holder else "102.2"))
    else:
        reasons.append(f"only the general requirements apply: no SAB opinion or NATO/EU/EFTA/IP4 condition ({P}85-91)")
    for part in parts:
        if _RANK[part] > _RANK[decision]:
            decision = part

    permanent = decision
    basis += [f.basis for f in findings]
    allowed_until, report_by = _transition(inp, permanent, basis, reasons)
    if allowed_until is not None:
        decision = "allowed"
    return OutsourcingOutput(
        decision=decision,
        permanent_decision=permanent,
        regime=regime,
        findings=findings,
        sab_opinion_points=opinion_points if permanent == "sab_opinion_required" else [],
        allowed_until=allowed_until,
        report_non_compliance_by=report_by,
        basis=list(dict.fromkeys(basis)),
        reasons=reasons,
    )


def _party(party: Party | None) -> Party:
    assert party is not None  # _validate requires it for technical resources
    return party


def _exempt_or_opinion(
    inp: OutsourcingInput,
    failed: list[Finding],
    findings: list[Finding],
    reasons: list[str],
    opinion_points: list[str],
    points: tuple[str, str],
    met: str,
) -> Decision:
    exempt, opinion = points
    if not failed:
        reasons.append(met)
        return "allowed"
    findings.extend(failed)
    reasons += [f"{f.message} ({f.basis})" for f in failed]
    if inp.public_person_holder:
        reasons.append(f"a public person holds the provider: the requirements do not apply ({P}{exempt})")
        return "allowed"
    opinion_points.append(P + opinion)
    return _with_opinion(inp, opinion, reasons)


def _transition(
    inp: OutsourcingInput, permanent: Decision, basis: list[str], reasons: list[str]
) -> tuple[date | None, date | None]:
    if permanent == "allowed":
        return None, None
    report_by = None
    if inp.subject_tier == "ci_owner":
        if inp.concluded_before_entry_into_force or inp.procurement_launched_before_entry_into_force:
            basis.append(P + "167")
            reasons.append(f"the transitional periods of p.165-166 do not apply to a CI owner ({P}167)")
        if inp.concluded_before_entry_into_force and inp.entry_into_force is not None:
            deadline = add_months(inp.entry_into_force, 6)
            basis.append(P + "168")
            if inp.as_of <= deadline:
                reasons.append(f"a CI owner must comply within six months of entry into force, by {deadline} ({P}168)")
                return deadline, None
            reasons.append(f"the CI owner's six months to comply ended on {deadline} ({P}168)")
        return None, None
    if inp.subject_tier == "essential" and inp.concluded_before_entry_into_force and inp.entry_into_force:
        report_by = add_months(inp.entry_into_force, 6)
        basis.append(P + "164")
        reasons.append(f"report this non-compliant contract to the NCC and SAB by {report_by} ({P}164)")
    last_day = date(2027, 12, 31)
    if inp.concluded_before_entry_into_force:
        basis.append(P + "165")
        if inp.as_of < TRANSITION_END:
            reasons.append(f"a contract concluded before entry into force may stay in force until {last_day} ({P}165)")
            return last_day, report_by
        reasons.append(f"the transitional period for earlier contracts ended on {last_day} ({P}165)")
    if inp.procurement_launched_before_entry_into_force:
        basis.append(P + "166")
        if inp.contract_end is None:
            reasons.append(
                f"an earlier procurement is exempt only if the contract ends by {last_day}; "
                f"contract_end is not given ({P}166)"
            )
        elif inp.contract_end < TRANSITION_END and inp.as_of < TRANSITION_END:
            reasons.append(
                f"the procurement began before entry into force and the contract ends by {last_day} ({P}166)"
            )
            return last_day, report_by
        else:
            reasons.append(f"an earlier procurement is exempt only for a contract ending by {last_day} ({P}166)")
    return None, report_by


RULES: list[Rule[Any, Any]] = [
    Rule(
        name="outsourcing-eligibility",
        summary="May the subject conclude this outsourcing contract (p. 85, 92-105, 164-169)",
        input_model=OutsourcingInput,
        output_model=OutsourcingOutput,
        fn=calendar_guard(outsourcing_eligibility),
    )
]
