"""Is a cyber incident significant? 22-TA-3183 p.121 -> CIR 2024/2690 Art. 3(1), 3(2), 4 and 5-14.

Every numeric threshold is a row of ``THRESHOLDS`` (value + the provision it comes from); the
entity-specific criteria of Art. 5-14 are rows of ``ENTITY_CRITERIA`` built from those thresholds.
Every test is the regulation's strict "more than"/"exceeds": exactly at a threshold is not significant.

Decisions where the contract and the legal pack (§2) leave room — also in docs/rules/significance.md:

1. Article per ``entity_type`` (legal pack §2.3, verified against the CIR's numbering): dns Art.5,
   tld Art.6, cloud Art.7, data_centre Art.8, cdn Art.9, managed_service AND
   managed_security_service Art.10 (one article covers both), online_marketplace Art.11,
   search_engine Art.12, social_network Art.13, trust_service Art.14; ``other`` only Art.3(1)(a)-(f).
2. Turnover: absent, null or 0 means "without turnover" -> the financial threshold is EUR 500 000
   (the contract counts an absent number as 0 and gives 500 000 without turnover, so 0 must too).
3. Users base: "X % or N users, whichever is smaller" with ``users_total_eu`` 0/absent (unknown
   base) uses N alone, as the contract does for an unknown turnover. Percentages are exact
   (rational arithmetic), e.g. 5 % of 100 000 = 5 000: 5 000 affected is not significant, 5 001 is.
4. Which availability a user count belongs to (Art. 11-13 (a)/(b), Art. 14(c) have no duration):
   ``users_affected_eu`` counts for complete unavailability when ``complete_unavailability_minutes``
   > 0 and for limited availability when ``limited_availability_minutes`` > 0; when neither duration
   is given the users are taken as impacted by limited availability (the general case).
   Art. 7/9/10(b) additionally need ``limited_availability_minutes`` > 60.
5. Data criteria: "(c) ... compromised as a result of a suspectedly malicious action" needs
   ``data_compromised`` and ``suspected_malicious``; "(d)"/Art.14(e) "compromised with an impact on
   more than X % or N users" uses ``users_data_compromised_eu`` (a positive count implies the data was
   compromised). Art.5(c)/6(c) need ``data_compromised``; the Art.5(c) exception applies when
   ``misconfiguration`` and fewer than 1 000 incorrect domains that are no more than 1 % of
   ``domains_managed``.
6. Art.14(b) ("unavailable for more than one hour calculated on a calendar week basis") uses
   ``weekly_unavailability_minutes`` as given (the caller includes this incident's share).
7. Art. 3(2): with ``scheduled_maintenance`` the incident is never significant; ``criteria`` is empty
   and the criteria that would otherwise be met are listed in ``disregarded_criteria``.
8. Art. 4: previous incidents count when ``occurred_at - 6 calendar months <= previous.occurred_at
   <= occurred_at`` (months in Europe/Riga, clamped to the month's end, both ends inclusive) and their
   trimmed, case-insensitive root cause equals this one's (an empty root cause matches nothing). At
   least one such previous incident (two in all) and combined direct losses above the Art.3(1)(a)
   threshold. Without ``occurred_at`` or ``root_cause`` recurrence cannot be assessed (a warning says
   so when previous incidents were given). Art.4 is listed whenever its test holds, even if this
   incident's own loss already meets Art.3(1)(a).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Annotated, Any, Literal, Protocol

from pydantic import AwareDatetime, Field

from kiber.rules.base import RIGA, Rule, RuleInput, RuleOutput, riga

Count = Annotated[int, Field(ge=0, strict=True)]
Amount = Annotated[float, Field(ge=0, strict=True, allow_inf_nan=False)]
Flag = Annotated[bool, Field(strict=True)]

EntityType = Literal[
    "dns",
    "tld",
    "cloud",
    "data_centre",
    "cdn",
    "managed_service",
    "managed_security_service",
    "online_marketplace",
    "search_engine",
    "social_network",
    "trust_service",
    "other",
]

CIR = "CIR 2024/2690"
P121 = "22-TA-3183 p.121"


@dataclass(frozen=True)
class Threshold:
    value: Fraction
    unit: str
    basis: str


def _t(value: int | str, unit: str, basis: str) -> Threshold:
    return Threshold(Fraction(value), unit, basis)


# Every number of CIR 2024/2690 Art. 3-14 used below, with the provision it comes from.
THRESHOLDS: dict[str, Threshold] = {
    "loss_eur": _t(500_000, "EUR", f"{CIR} Art.3(1)(a)"),
    "loss_turnover_pct": _t(5, "% of turnover", f"{CIR} Art.3(1)(a)"),
    "recurrence_window_months": _t(6, "months", f"{CIR} Art.4(a)"),
    "recurrence_min_incidents": _t(2, "incidents", f"{CIR} Art.4(a)"),
    "dns_unavailable_min": _t(30, "minutes", f"{CIR} Art.5(a)"),
    "dns_slow_response_s": _t(10, "seconds", f"{CIR} Art.5(b)"),
    "dns_slow_period_min": _t(60, "minutes", f"{CIR} Art.5(b)"),
    "dns_exempt_domains_below": _t(1_000, "domain names", f"{CIR} Art.5(c)"),
    "dns_exempt_domains_pct": _t(1, "% of managed domain names", f"{CIR} Art.5(c)"),
    "tld_unavailable_min": _t(0, "minutes", f"{CIR} Art.6(a)"),
    "tld_slow_response_s": _t(10, "seconds", f"{CIR} Art.6(b)"),
    "tld_slow_period_min": _t(60, "minutes", f"{CIR} Art.6(b)"),
    "cloud_unavailable_min": _t(30, "minutes", f"{CIR} Art.7(a)"),
    "cloud_limited_min": _t(60, "minutes", f"{CIR} Art.7(b)"),
    "cloud_users_pct": _t(5, "% of EU users", f"{CIR} Art.7(b),(d)"),
    "cloud_users": _t(1_000_000, "EU users", f"{CIR} Art.7(b),(d)"),
    "dc_unavailable_min": _t(0, "minutes", f"{CIR} Art.8(a)"),
    "dc_limited_min": _t(60, "minutes", f"{CIR} Art.8(b)"),
    "cdn_unavailable_min": _t(30, "minutes", f"{CIR} Art.9(a)"),
    "cdn_limited_min": _t(60, "minutes", f"{CIR} Art.9(b)"),
    "cdn_users_pct": _t(5, "% of EU users", f"{CIR} Art.9(b),(d)"),
    "cdn_users": _t(1_000_000, "EU users", f"{CIR} Art.9(b),(d)"),
    "msp_unavailable_min": _t(30, "minutes", f"{CIR} Art.10(a)"),
    "msp_limited_min": _t(60, "minutes", f"{CIR} Art.10(b)"),
    "msp_users_pct": _t(5, "% of EU users", f"{CIR} Art.10(b),(d)"),
    "msp_users": _t(1_000_000, "EU users", f"{CIR} Art.10(b),(d)"),
    "platform_users_pct": _t(5, "% of EU users", f"{CIR} Art.11-13(a),(b),(d)"),
    "platform_users": _t(1_000_000, "EU users", f"{CIR} Art.11-13(a),(b),(d)"),
    "tsp_unavailable_min": _t(20, "minutes", f"{CIR} Art.14(a)"),
    "tsp_weekly_unavailable_min": _t(60, "minutes per calendar week", f"{CIR} Art.14(b)"),
    "tsp_limited_users_pct": _t(1, "% of EU users or relying parties", f"{CIR} Art.14(c)"),
    "tsp_limited_users": _t(200_000, "EU users or relying parties", f"{CIR} Art.14(c)"),
    "tsp_data_users_pct": _t("0.1", "% of EU users or relying parties", f"{CIR} Art.14(e)"),
    "tsp_data_users": _t(100, "EU users or relying parties", f"{CIR} Art.14(e)"),
}


def _v(key: str) -> Fraction:
    return THRESHOLDS[key].value


def _exact(number: float) -> Fraction:
    """The decimal value the caller wrote (0.1 is one tenth, not the nearest binary float)."""
    if isinstance(number, int):  # the common case, and far cheaper than parsing text
        return Fraction(number)
    if number.is_integer():
        return Fraction(int(number))
    return Fraction(repr(number))


class PreviousIncident(RuleInput):
    occurred_at: AwareDatetime
    root_cause: str
    direct_financial_loss_eur: Amount = 0


class SignificanceInput(RuleInput):
    entity_type: EntityType
    annual_turnover_eur: Amount | None = None
    direct_financial_loss_eur: Amount = 0
    trade_secret_exfiltration: Flag = False
    deaths: Count = 0
    considerable_health_damage: Flag = False
    malicious_unauthorised_access_severe: Flag = False
    scheduled_maintenance: Flag = False
    complete_unavailability_minutes: Amount = 0
    limited_availability_minutes: Amount = 0
    users_total_eu: Count = 0
    users_affected_eu: Count = 0
    avg_response_time_seconds: Amount = 0
    slow_response_minutes: Amount = 0
    data_compromised: Flag = False
    suspected_malicious: Flag = False
    users_data_compromised_eu: Count = 0
    physical_access_compromised: Flag = False
    domains_incorrect: Count = 0
    domains_managed: Count = 0
    misconfiguration: Flag = False
    weekly_unavailability_minutes: Amount = 0
    occurred_at: AwareDatetime | None = None
    root_cause: str | None = None
    previous_incidents: list[PreviousIncident] = Field(default_factory=list)


class SignificanceOutput(RuleOutput):
    significant: bool
    criteria: list[str]
    entity_article: str | None
    financial_loss_threshold_eur: float
    recurring_incidents: int
    recurring_loss_eur: float
    disregarded_criteria: list[str]
    warnings: list[str]


# ---------------------------------------------------------------------------------------------
# Tests


def users_exceed(affected: int, total: int, pct_key: str, users_key: str) -> bool:
    """More than X % of ``total`` or more than N users, whichever number is smaller.

    With an unknown base (``total`` 0) only N applies (decision 3).
    """
    limit = _v(users_key)
    if total > 0:
        limit = min(limit, _v(pct_key) * total / 100)
    return affected > limit


def financial_loss_threshold(turnover_eur: float | None) -> Fraction:
    """EUR 500 000 or 5 % of the preceding year's turnover, whichever is lower (decision 2)."""
    limit = _v("loss_eur")
    if turnover_eur:
        limit = min(limit, _v("loss_turnover_pct") * _exact(turnover_eur) / 100)
    return limit


def _limited_users(x: SignificanceInput) -> bool:
    """Are ``users_affected_eu`` users impacted by limited availability? (decision 4)"""
    return x.limited_availability_minutes > 0 or x.complete_unavailability_minutes == 0


class Test(Protocol):
    def __call__(self, x: SignificanceInput) -> bool: ...


@dataclass(frozen=True)
class CompleteUnavailability:
    """The service is completely unavailable for more than ``minutes_key`` minutes."""

    minutes_key: str

    def __call__(self, x: SignificanceInput) -> bool:
        return _exact(x.complete_unavailability_minutes) > _v(self.minutes_key)


@dataclass(frozen=True)
class LimitedAvailability:
    """Availability limited for more than ``minutes_key`` minutes (for enough users, if given)."""

    minutes_key: str
    pct_key: str | None = None
    users_key: str | None = None

    def __call__(self, x: SignificanceInput) -> bool:
        if not _exact(x.limited_availability_minutes) > _v(self.minutes_key):
            return False
        if self.pct_key is None or self.users_key is None:
            return True
        return users_exceed(x.users_affected_eu, x.users_total_eu, self.pct_key, self.users_key)


@dataclass(frozen=True)
class UsersCompletelyUnavailable:
    """Completely unavailable for more than X % or N users (no duration)."""

    pct_key: str
    users_key: str

    def __call__(self, x: SignificanceInput) -> bool:
        return x.complete_unavailability_minutes > 0 and users_exceed(
            x.users_affected_eu, x.users_total_eu, self.pct_key, self.users_key
        )


@dataclass(frozen=True)
class UsersLimitedAvailability:
    """More than X % or N users impacted by limited availability (no duration)."""

    pct_key: str
    users_key: str

    def __call__(self, x: SignificanceInput) -> bool:
        return _limited_users(x) and users_exceed(x.users_affected_eu, x.users_total_eu, self.pct_key, self.users_key)


@dataclass(frozen=True)
class SlowResponse:
    """Average response time above ``seconds_key`` for a period of more than ``minutes_key``."""

    seconds_key: str
    minutes_key: str

    def __call__(self, x: SignificanceInput) -> bool:
        return _exact(x.avg_response_time_seconds) > _v(self.seconds_key) and _exact(x.slow_response_minutes) > _v(
            self.minutes_key
        )


@dataclass(frozen=True)
class DataCompromised:
    """Integrity, confidentiality or authenticity of the data is compromised."""

    def __call__(self, x: SignificanceInput) -> bool:
        return x.data_compromised


@dataclass(frozen=True)
class DnsDataCompromised:
    """Art. 5(c): authoritative data compromised, except a small misconfiguration."""

    def __call__(self, x: SignificanceInput) -> bool:
        if not x.data_compromised:
            return False
        exempt = (
            x.misconfiguration
            and x.domains_incorrect < _v("dns_exempt_domains_below")
            and x.domains_incorrect <= _v("dns_exempt_domains_pct") * x.domains_managed / 100
        )
        return not exempt


@dataclass(frozen=True)
class MaliciousDataCompromise:
    """Data compromised as a result of a suspectedly malicious action."""

    def __call__(self, x: SignificanceInput) -> bool:
        return x.data_compromised and x.suspected_malicious


@dataclass(frozen=True)
class UsersDataCompromised:
    """Data compromised with an impact on more than X % or N users."""

    pct_key: str
    users_key: str

    def __call__(self, x: SignificanceInput) -> bool:
        return users_exceed(x.users_data_compromised_eu, x.users_total_eu, self.pct_key, self.users_key)


@dataclass(frozen=True)
class PhysicalAccess:
    """Physical access (or its protection) is compromised."""

    def __call__(self, x: SignificanceInput) -> bool:
        return x.physical_access_compromised


@dataclass(frozen=True)
class WeeklyUnavailability:
    """Unavailable for more than ``minutes_key`` minutes calculated on a calendar-week basis."""

    minutes_key: str

    def __call__(self, x: SignificanceInput) -> bool:
        return _exact(x.weekly_unavailability_minutes) > _v(self.minutes_key)


@dataclass(frozen=True)
class Criterion:
    article: int
    letter: str
    test: Test

    @property
    def name(self) -> str:
        return f"{CIR} Art.{self.article}({self.letter})"


def _platform(article: int) -> tuple[Criterion, ...]:
    """Art. 11 (online marketplaces), 12 (search engines) and 13 (social networks) read alike."""
    return (
        Criterion(article, "a", UsersCompletelyUnavailable("platform_users_pct", "platform_users")),
        Criterion(article, "b", UsersLimitedAvailability("platform_users_pct", "platform_users")),
        Criterion(article, "c", MaliciousDataCompromise()),
        Criterion(article, "d", UsersDataCompromised("platform_users_pct", "platform_users")),
    )


def _service(article: int, prefix: str) -> tuple[Criterion, ...]:
    """Art. 7 (cloud), 9 (CDN) and 10 (managed (security) services) read alike."""
    return (
        Criterion(article, "a", CompleteUnavailability(f"{prefix}_unavailable_min")),
        Criterion(
            article,
            "b",
            LimitedAvailability(f"{prefix}_limited_min", f"{prefix}_users_pct", f"{prefix}_users"),
        ),
        Criterion(article, "c", MaliciousDataCompromise()),
        Criterion(article, "d", UsersDataCompromised(f"{prefix}_users_pct", f"{prefix}_users")),
    )


ENTITY_CRITERIA: dict[str, tuple[Criterion, ...]] = {
    "dns": (
        Criterion(5, "a", CompleteUnavailability("dns_unavailable_min")),
        Criterion(5, "b", SlowResponse("dns_slow_response_s", "dns_slow_period_min")),
        Criterion(5, "c", DnsDataCompromised()),
    ),
    "tld": (
        Criterion(6, "a", CompleteUnavailability("tld_unavailable_min")),
        Criterion(6, "b", SlowResponse("tld_slow_response_s", "tld_slow_period_min")),
        Criterion(6, "c", DataCompromised()),
    ),
    "cloud": _service(7, "cloud"),
    "data_centre": (
        Criterion(8, "a", CompleteUnavailability("dc_unavailable_min")),
        Criterion(8, "b", LimitedAvailability("dc_limited_min")),
        Criterion(8, "c", MaliciousDataCompromise()),
        Criterion(8, "d", PhysicalAccess()),
    ),
    "cdn": _service(9, "cdn"),
    "managed_service": _service(10, "msp"),
    "managed_security_service": _service(10, "msp"),
    "online_marketplace": _platform(11),
    "search_engine": _platform(12),
    "social_network": _platform(13),
    "trust_service": (
        Criterion(14, "a", CompleteUnavailability("tsp_unavailable_min")),
        Criterion(14, "b", WeeklyUnavailability("tsp_weekly_unavailable_min")),
        Criterion(14, "c", UsersLimitedAvailability("tsp_limited_users_pct", "tsp_limited_users")),
        Criterion(14, "d", PhysicalAccess()),
        Criterion(14, "e", UsersDataCompromised("tsp_data_users_pct", "tsp_data_users")),
    ),
    "other": (),
}

# Art. 3(1)(b)-(e): the general criteria that are plain facts of the incident.
GENERAL_CRITERIA: tuple[tuple[str, Test], ...] = (
    ("b", lambda x: x.trade_secret_exfiltration),
    ("c", lambda x: x.deaths > 0),
    ("d", lambda x: x.considerable_health_damage),
    ("e", lambda x: x.malicious_unauthorised_access_severe),
)


# ---------------------------------------------------------------------------------------------
# Recurrence (Art. 4)


def months_before(moment: datetime, months: int) -> datetime:
    """The same day-of-month and clock time ``months`` calendar months earlier in Riga, clamped."""
    local = riga(moment)
    index = local.year * 12 + (local.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return datetime(year, month, day, local.hour, local.minute, local.second, local.microsecond, tzinfo=RIGA)


def _root(cause: str | None) -> str:
    return (cause or "").strip().casefold()


@dataclass(frozen=True)
class Recurrence:
    incidents: int
    loss: Fraction
    met: bool
    warnings: tuple[str, ...]


def recurrence(x: SignificanceInput, threshold: Fraction) -> Recurrence:
    own_loss = _exact(x.direct_financial_loss_eur)
    if not x.previous_incidents:
        return Recurrence(1, own_loss, False, ())
    if x.occurred_at is None or not _root(x.root_cause):
        missing = "occurred_at" if x.occurred_at is None else "root_cause"
        return Recurrence(1, own_loss, False, (f"recurrence_not_assessed_without_{missing}",))
    start = months_before(x.occurred_at, int(_v("recurrence_window_months")))
    cause = _root(x.root_cause)
    related = [
        p for p in x.previous_incidents if start <= p.occurred_at <= x.occurred_at and _root(p.root_cause) == cause
    ]
    warnings: tuple[str, ...] = ()
    if any(p.occurred_at > x.occurred_at for p in x.previous_incidents):
        warnings = ("previous_incident_after_occurred_at_ignored",)
    incidents = 1 + len(related)
    loss = own_loss + sum((_exact(p.direct_financial_loss_eur) for p in related), Fraction(0))
    met = incidents >= _v("recurrence_min_incidents") and loss > threshold
    return Recurrence(incidents, loss, met, warnings)


# ---------------------------------------------------------------------------------------------
# The rule


def significance(x: SignificanceInput) -> SignificanceOutput:
    """Contract rule ``significance``: which CIR 2024/2690 criteria the incident meets."""
    threshold = financial_loss_threshold(x.annual_turnover_eur)
    met: list[str] = []
    if _exact(x.direct_financial_loss_eur) > threshold:
        met.append(f"{CIR} Art.3(1)(a)")
    met += [f"{CIR} Art.3(1)({letter})" for letter, test in GENERAL_CRITERIA if test(x)]
    rec = recurrence(x, threshold)
    if rec.met:
        met.append(f"{CIR} Art.4")
    specific = ENTITY_CRITERIA[x.entity_type]
    met += [criterion.name for criterion in specific if criterion.test(x)]
    entity_article = f"{CIR} Art.{specific[0].article}" if specific else None

    assessed = [P121, f"{CIR} Art.3(1)"]
    if x.scheduled_maintenance:
        criteria: list[str] = []
        disregarded = met
        basis = [P121, f"{CIR} Art.3(2)"]
    elif met:
        criteria, disregarded = met, []
        basis = [*assessed, *met]
    else:
        criteria, disregarded = [], []
        basis = [*assessed, f"{CIR} Art.4", *([entity_article] if entity_article else [])]
    return SignificanceOutput(
        significant=bool(criteria),
        criteria=criteria,
        basis=basis,
        entity_article=entity_article,
        financial_loss_threshold_eur=float(threshold),
        recurring_incidents=rec.incidents,
        recurring_loss_eur=float(rec.loss),
        disregarded_criteria=disregarded,
        warnings=list(rec.warnings),
    )


RULES: list[Rule[Any, Any]] = [
    Rule(
        name="significance",
        summary="Is a cyber incident significant (22-TA-3183 p.121 -> CIR 2024/2690 Art. 3-14)",
        input_model=SignificanceInput,
        output_model=SignificanceOutput,
        fn=significance,
    )
]
