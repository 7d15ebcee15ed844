"""``manager-eligibility``: may this person be the subject's cybersecurity manager (p. 11-22)?

The requirements depend on the subject's tier:

- CI owner (p. 12): Latvian citizen (12.1), of full age (12.2), not under guardianship (12.3), no
  conviction for an intentional criminal offence unless rehabilitated or the conviction is removed or
  expunged (12.4), education in cybersecurity management or a related field **and** two years'
  experience, **or** a valid internationally recognised certificate (12.5), the declarations of
  12.6-12.9, and no security risks found by the Constitution Protection Bureau (SAB) (12.10, p. 15).
  Term of up to three years (p. 16); the next candidate is notified to SAB no later than three months
  before the term ends (p. 18). A CI owner's manager may not be manager in any other subject (p. 19),
  nor at the same time the person responsible for the plan, the logs or the backups (p. 22).
- Essential provider (p. 13): NATO/EU/EFTA citizen, 12.2-12.4, and education **or** a certificate
  **or** two years' experience. A person may be manager in at most five essential providers (p. 20),
  not counting those subordinate to, or whose shares are held by, an essential provider where the
  person is manager (p. 21).
- Important provider (p. 14): NATO/EU/EFTA citizen, "12.2.12.3." and 13.3's alternatives.

Decisions where the text is open:

- p. 14.2 "12.2.12.3." is read as points 12.2 and 12.3 (full age, no guardianship): both readings of
  the missing separator (a list or a range) give those two; the criminal-record point 12.4 is not
  applied to an important provider's manager. ``intentional_offence_conviction`` is ignored there.
- Full age is 18 on ``term_start``; someone born on 29 February comes of age on 1 March.
- Two years of experience is ``experience_months >= 24``.
- 12.5 asks for a *valid* ("spēkā esošs") certificate: a CI candidate's certificate must be valid on
  ``term_start`` (``valid_until`` null = no expiry). 13.3/14.3 only ask that one "has been received",
  so validity is not checked for essential and important providers.
- "Internationally recognised certificate in cybersecurity management (e.g. CISM, CISSP)": the names
  in ``RECOGNISED_CERTIFICATES`` count automatically (case, spaces and hyphens ignored); any other
  counts only with ``recognised: true`` (the subject vouches for it), otherwise it is ignored and a
  reason says so.
- A declaration (guardianship, conviction, 12.6-12.9) left null where it applies is a violation
  ``declaration_missing`` on that field: eligibility is never assumed from silence.
- SAB's check (p. 15, 17) not yet done is not a violation but ``pending`` (``eligible`` stays false);
  with a state-secret clearance SAB may skip it (p. 15), so nothing is pending.
- The three-year term (p. 16) starting on ``term_start`` ends on the day before the third anniversary
  (2025-03-01 -> last day 2028-02-29); ``term_end`` is the last day in office. Without ``term_end`` the
  longest term is assumed. The successor notice (p. 18) is due ``term_end`` minus three calendar
  months (clamped to the month's end).
- p. 20 is checked only when the subject itself is essential (the appointment under review must not
  be the sixth); the limit counts this subject unless ``subject_in_managed_group`` (p. 21).
- p. 19 is checked both ways: a CI owner's candidate must hold no other appointment, and an essential
  or important provider's candidate must not be a CI owner's manager.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from kiber.rules.base import Rule, RuleInput, RuleInputError, RuleOutput
from kiber.rules.country_groups import NATO_EU_EFTA, CountryCode
from kiber.rules.review_intervals import add_months, calendar_guard
from kiber.rules.working_days import IsoDate

P = "22-TA-3183 p."

SubjectTier = Literal["ci_owner", "essential", "important"]
Flag = Annotated[bool, Field(strict=True)]
Count = Annotated[int, Field(ge=0, strict=True)]

RECOGNISED_CERTIFICATES = frozenset({"CISM", "CISSP", "CCISO", "CGEIT", "CRISC", "GSLC", "GSTRT", "ISSMP"})
"""Certificates in cybersecurity management counted without ``recognised: true`` (p. 12.5 names
CISM and CISSP as examples; the others are ISACA, (ISC)2, EC-Council and GIAC management ones)."""

MAX_ESSENTIAL_APPOINTMENTS = 5
EXPERIENCE_MONTHS = 24
TERM_YEARS = 3


def _normalise(name: str) -> str:
    return re.sub(r"[\s\-_]", "", name).upper()


class Certificate(RuleInput):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    valid_until: IsoDate | None = None
    recognised: Flag | None = None


class ManagerEligibilityInput(RuleInput):
    subject_tier: SubjectTier
    citizenships: Annotated[list[CountryCode], Field(min_length=1)]
    birth_date: IsoDate
    term_start: IsoDate
    term_end: IsoDate | None = None
    under_guardianship: Flag | None = None
    intentional_offence_conviction: Flag | None = None
    conviction_cleared: Flag = False
    education_in_cybersecurity: Flag = False
    experience_months: Count = 0
    certificates: list[Certificate] = []
    former_security_service_affiliation: Flag | None = None
    banned_organisation_member: Flag | None = None
    organised_crime_or_illegal_armed_group: Flag | None = None
    reliability_doubting_disorder_or_dependence: Flag | None = None
    sab_check: Literal["not_done", "no_risks", "risks_identified"] = "not_done"
    state_secret_clearance: Flag = False
    other_ci_owner_appointments: Count = 0
    other_essential_appointments: Count = 0
    other_essential_appointments_in_managed_group: Count = 0
    other_important_appointments: Count = 0
    subject_in_managed_group: Flag = False
    responsible_for_plan: Flag = False
    responsible_for_logs: Flag = False
    responsible_for_backups: Flag = False


class Violation(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    message: str
    message_lv: str
    field: str
    basis: str


class ManagerEligibilityOutput(RuleOutput):
    eligible: bool
    violations: list[Violation]
    pending: list[Violation]
    term_end: date | None
    max_term_end: date | None
    successor_notice_due: date | None
    essential_appointments_counted: int | None
    reasons: list[str]


def term_last_day(start: date, years: int) -> date:
    """Last day of a term of ``years`` years starting on ``start`` (day before the anniversary)."""
    try:
        anniversary = start.replace(year=start.year + years)
    except ValueError:  # 29 February in a common year: the anniversary is 1 March
        anniversary = date(start.year + years, 3, 1)
    return anniversary - timedelta(days=1)


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


_DECLARATIONS = (
    (
        "former_security_service_affiliation",
        "12.6",
        "has been staff, freelance employee, agent, resident or safe-house keeper of a security, "
        "intelligence or counter-intelligence service of the USSR, the Latvian SSR or a foreign state",
        "ir bijusi PSRS, Latvijas PSR vai ārvalsts drošības dienesta, izlūkdienesta vai pretizlūkošanas "
        "dienesta štata vai ārštata darbinieks, aģents, rezidents vai konspiratīvā dzīvokļa turētājs",
    ),
    (
        "banned_organisation_member",
        "12.7",
        "is or has been a member of an organisation banned in Latvia after its ban",
        "ir vai ir bijusi aizliegtas organizācijas dalībnieks pēc tās aizliegšanas",
    ),
    (
        "organised_crime_or_illegal_armed_group",
        "12.8",
        "belongs to an organised crime group or an illegal militarised or armed formation",
        "pieder pie organizētās noziedzības grupējuma, nelikumīga militarizēta vai bruņota formējuma",
    ),
    (
        "reliability_doubting_disorder_or_dependence",
        "12.9",
        "has a diagnosed mental disorder or substance dependence that casts doubt on reliability",
        "ir diagnosticēti psihiski traucējumi vai atkarība, kas dod pamatu apšaubīt uzticamību",
    ),
)


class _Collector:
    def __init__(self) -> None:
        self.violations: list[Violation] = []
        self.pending: list[Violation] = []

    def add(self, code: str, field: str, point: str, message: str, message_lv: str) -> None:
        self.violations.append(
            Violation(code=code, message=message, message_lv=message_lv, field=field, basis=P + point)
        )

    def missing(self, field: str, point: str) -> None:
        self.add(
            "declaration_missing",
            field,
            point,
            f"{field}: the candidate's declaration is required",
            f"{field}: nepieciešams kandidāta apliecinājums",
        )


def _check_consistent(inp: ManagerEligibilityInput) -> None:
    bad: dict[str, str] = {}
    if inp.term_end is not None and inp.term_end < inp.term_start:
        bad["term_end"] = "before term_start"
    if inp.birth_date > inp.term_start:
        bad["birth_date"] = "after term_start"
    if inp.other_essential_appointments_in_managed_group > inp.other_essential_appointments:
        bad["other_essential_appointments_in_managed_group"] = "more than other_essential_appointments"
    if bad:
        raise RuleInputError("; ".join(f"{k}: {v}" for k, v in bad.items()), list(bad))


def manager_eligibility(inp: ManagerEligibilityInput) -> ManagerEligibilityOutput:
    _check_consistent(inp)
    tier = inp.subject_tier
    out = _Collector()
    reasons: list[str] = []
    basis: list[str] = []
    # The tier's own point for the requirements shared through references to p. 12.
    own = {"ci_owner": "12", "essential": "13", "important": "14"}[tier]
    basis.append(P + own)

    # Citizenship (12.1 / 13.1 / 14.1).
    if tier == "ci_owner":
        if "LV" not in inp.citizenships:
            out.add(
                "citizenship_not_latvian",
                "citizenships",
                "12.1",
                "A CI owner's cybersecurity manager must be a Latvian citizen",
                "IKT kritiskās infrastruktūras kiberdrošības pārvaldniekam jābūt Latvijas pilsonim",
            )
    elif not set(inp.citizenships) & NATO_EU_EFTA:
        out.add(
            "citizenship_not_nato_eu_efta",
            "citizenships",
            own + ".1",
            "The cybersecurity manager must be a citizen of a NATO, EU or EFTA member state",
            "Kiberdrošības pārvaldniekam jābūt NATO, Eiropas Savienības vai EBTA dalībvalsts pilsonim",
        )

    # Full age, guardianship, conviction (12.2-12.4 via 13.2; 12.2-12.3 via 14.2).
    ref = "12" if tier == "ci_owner" else own
    if age_on(inp.birth_date, inp.term_start) < 18:
        out.add(
            "not_adult",
            "birth_date",
            "12.2" if tier == "ci_owner" else ref + ".2",
            "The cybersecurity manager must be of full age (18) on term_start",
            "Kiberdrošības pārvaldniekam jābūt pilngadīgam",
        )
    if inp.under_guardianship is None:
        out.missing("under_guardianship", "12.3" if tier == "ci_owner" else ref + ".2")
    elif inp.under_guardianship:
        out.add(
            "under_guardianship",
            "under_guardianship",
            "12.3" if tier == "ci_owner" else ref + ".2",
            "The cybersecurity manager must not be under guardianship",
            "Pār kiberdrošības pārvaldnieku nedrīkst būt nodibināta aizgādnība",
        )
    if tier != "important":
        point = "12.4" if tier == "ci_owner" else "13.2"
        if inp.intentional_offence_conviction is None:
            out.missing("intentional_offence_conviction", point)
        elif inp.intentional_offence_conviction and not inp.conviction_cleared:
            out.add(
                "intentional_offence_conviction",
                "intentional_offence_conviction",
                point,
                "The candidate has an unspent conviction for an intentional criminal offence",
                "Kandidāts ir sodīts par tīšu noziedzīgu nodarījumu, un sodāmība nav noņemta vai dzēsta",
            )
    else:
        reasons.append(f"p.14.2 refers to 12.2 and 12.3 only: no criminal-record requirement ({P}14.2)")

    _qualification(inp, out, reasons)

    if tier == "ci_owner":
        for field, point, en, lv in _DECLARATIONS:
            value = getattr(inp, field)
            if value is None:
                out.missing(field, point)
            elif value:
                out.add(field, field, point, f"The candidate {en}", f"Kandidāts {lv}")
        if inp.sab_check == "risks_identified":
            out.add(
                "sab_security_risks",
                "sab_check",
                "12.10",
                "The Constitution Protection Bureau has identified security risks regarding the candidate",
                "Satversmes aizsardzības birojs ir konstatējis drošības riskus attiecībā uz kandidātu",
            )
        elif inp.sab_check == "not_done" and not inp.state_secret_clearance:
            out.pending.append(
                Violation(
                    code="sab_check_pending",
                    field="sab_check",
                    basis=P + "15",
                    message="The Constitution Protection Bureau has not yet checked the candidate (p. 15-17)",
                    message_lv="Satversmes aizsardzības birojs vēl nav pārbaudījis kandidātu",
                )
            )
        elif inp.sab_check == "not_done":
            reasons.append(f"with a state-secret clearance SAB may skip the candidate check ({P}15)")

    _appointments(inp, out)

    term_end, max_term_end, successor = inp.term_end, None, None
    if tier == "ci_owner":
        basis += [P + "16", P + "18"]
        max_term_end = term_last_day(inp.term_start, TERM_YEARS)
        if term_end is None:
            term_end = max_term_end
            reasons.append(f"no term_end given: the longest term, to {max_term_end}, is assumed ({P}16)")
        elif term_end > max_term_end:
            out.add(
                "term_too_long",
                "term_end",
                "16",
                f"A CI owner's manager is appointed for at most three years (last day {max_term_end})",
                f"Kiberdrošības pārvaldnieku nosaka uz termiņu līdz 3 gadiem (pēdējā diena {max_term_end})",
            )
        successor = add_months(term_end, -3)
        reasons.append(f"the next candidate is notified to SAB by {successor} ({P}18)")

    counted = None
    if tier == "essential":
        counted = (
            inp.other_essential_appointments
            - inp.other_essential_appointments_in_managed_group
            + (0 if inp.subject_in_managed_group else 1)
        )
        basis += [P + "20", P + "21"]
        reasons.append(f"{counted} essential provider appointment(s) count towards the limit of five ({P}20-21)")

    for v in out.violations + out.pending:
        basis.append(v.basis)
    eligible = not out.violations and not out.pending
    if eligible:
        reasons.insert(0, "the candidate meets every requirement checked")
    else:
        reasons.insert(0, f"{len(out.violations)} violation(s), {len(out.pending)} pending check(s)")
    return ManagerEligibilityOutput(
        eligible=eligible,
        violations=out.violations,
        pending=out.pending,
        term_end=term_end,
        max_term_end=max_term_end,
        successor_notice_due=successor,
        essential_appointments_counted=counted,
        basis=list(dict.fromkeys(basis)),
        reasons=reasons,
    )


def _qualification(inp: ManagerEligibilityInput, out: _Collector, reasons: list[str]) -> None:
    ci = inp.subject_tier == "ci_owner"
    point = "12.5" if ci else ("13.3" if inp.subject_tier == "essential" else "14.3")
    recognised: list[tuple[int, Certificate]] = []
    for i, cert in enumerate(inp.certificates):
        if cert.recognised is True or (cert.recognised is None and _normalise(cert.name) in RECOGNISED_CERTIFICATES):
            recognised.append((i, cert))
        else:
            reasons.append(
                f"certificate {cert.name!r} is not counted as an internationally recognised "
                f"cybersecurity management certificate ({P}{point})"
            )
    experienced = inp.experience_months >= EXPERIENCE_MONTHS
    if ci:
        valid = [c for _, c in recognised if c.valid_until is None or c.valid_until >= inp.term_start]
        if valid or (inp.education_in_cybersecurity and experienced):
            return
        if recognised:
            i = recognised[0][0]
            out.add(
                "certificate_expired",
                f"certificates.{i}.valid_until",
                point,
                "The certificate is not valid on term_start and education with two years' experience "
                "is not shown either",
                "Sertifikāts nav spēkā, un nav arī izglītības ar divu gadu pieredzi",
            )
        elif inp.education_in_cybersecurity:
            out.add(
                "experience_too_short",
                "experience_months",
                point,
                "Education must be combined with at least two years' experience in cybersecurity "
                "management, or a valid recognised certificate held",
                "Izglītībai jābūt kopā ar vismaz divu gadu darba pieredzi kiberdrošības pārvaldībā, "
                "vai nepieciešams spēkā esošs starptautiski atzīts sertifikāts",
            )
        else:
            out.add(
                "qualification_missing",
                "education_in_cybersecurity",
                point,
                "Education in cybersecurity management with two years' experience, or a valid "
                "internationally recognised certificate (e.g. CISM, CISSP), is required",
                "Nepieciešama izglītība kiberdrošības pārvaldībā ar divu gadu pieredzi vai spēkā esošs "
                "starptautiski atzīts sertifikāts (piemēram, CISM, CISSP)",
            )
        return
    if recognised or inp.education_in_cybersecurity or experienced:
        return
    out.add(
        "qualification_missing",
        "education_in_cybersecurity",
        point,
        "Education in cybersecurity management, an internationally recognised certificate "
        "(e.g. CISM, CISSP) or at least two years' experience is required",
        "Nepieciešama izglītība kiberdrošības pārvaldībā, starptautiski atzīts sertifikāts "
        "(piemēram, CISM, CISSP) vai vismaz divu gadu darba pieredze",
    )


def _appointments(inp: ManagerEligibilityInput, out: _Collector) -> None:
    if inp.subject_tier == "ci_owner":
        for field in (
            "other_ci_owner_appointments",
            "other_essential_appointments",
            "other_important_appointments",
        ):
            if getattr(inp, field) > 0:
                out.add(
                    "ci_manager_not_exclusive",
                    field,
                    "19",
                    "A CI owner's cybersecurity manager cannot be manager in any other subject",
                    "IKT kritiskās infrastruktūras kiberdrošības pārvaldnieks nevar būt pārvaldnieks citā subjektā",
                )
        for field, what, what_lv in (
            (
                "responsible_for_plan",
                "the cyber-risk management and ICT continuity plan",
                "kiberrisku pārvaldības un IKT darbības nepārtrauktības plānu",
            ),
            ("responsible_for_logs", "log management", "žurnālfailu pārvaldību"),
            ("responsible_for_backups", "backups", "rezerves kopijām"),
        ):
            if getattr(inp, field):
                out.add(
                    "segregation_of_duties",
                    field,
                    "22",
                    f"A CI owner's cybersecurity manager cannot also be the person responsible for {what}",
                    f"Kiberdrošības pārvaldnieks nevar vienlaikus būt atbildīgā persona par {what_lv}",
                )
        return
    if inp.other_ci_owner_appointments > 0:
        out.add(
            "already_ci_manager",
            "other_ci_owner_appointments",
            "19",
            "The candidate is a CI owner's cybersecurity manager and cannot be manager in another subject",
            "Kandidāts ir IKT kritiskās infrastruktūras kiberdrošības pārvaldnieks un nevar būt "
            "pārvaldnieks citā subjektā",
        )
    if inp.subject_tier == "essential":
        counted = (
            inp.other_essential_appointments
            - inp.other_essential_appointments_in_managed_group
            + (0 if inp.subject_in_managed_group else 1)
        )
        if counted > MAX_ESSENTIAL_APPOINTMENTS:
            out.add(
                "essential_limit_exceeded",
                "other_essential_appointments",
                "20",
                f"A person may be manager in at most five essential providers ({counted} counted)",
                f"Persona var būt kiberdrošības pārvaldnieks ne vairāk kā piecos būtisko pakalpojumu "
                f"sniedzējos (uzskaitīti {counted})",
            )


RULES: list[Rule[Any, Any]] = [
    Rule(
        name="manager-eligibility",
        summary="May this person be the subject's cybersecurity manager (p. 11-22)",
        input_model=ManagerEligibilityInput,
        output_model=ManagerEligibilityOutput,
        fn=calendar_guard(manager_eligibility),
    )
]
