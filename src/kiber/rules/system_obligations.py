"""``system-obligations``: what an information system's security class requires.

- MFA (p. 53): A -> administrator and standard accounts (53.1); B -> administrator accounts (53.2)
  and standard accounts used remotely from an external network (53.3): ``standard_remote``; C -> none.
- Log retention (p. 58): 18 / 12 / 6 months after the record for A / B / C.
- Backup restore tests (p. 75): at least every 3 months (A), 6 months (B); none mandated for C.
- Penetration tests (p. 132.1): A only, before going into production and at least every 3 years.
- Encryption (p. 82, "where technically possible"): in transit for confidentiality A or B (82.1),
  at rest for confidentiality A (82.2).

Decision where the contract is open: ``confidentiality`` cannot exceed ``class`` (p. 34 makes the
class at least as high as each of C/I/A; p. 35 only raises the class), so e.g. class B with
confidentiality A is an input error on ``confidentiality``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator

from kiber.rules.base import Rule, RuleInput, RuleOutput

SecurityLevel = Literal["A", "B", "C"]
MfaAccount = Literal["administrator", "standard", "standard_remote"]

_RANK: dict[str, int] = {"C": 0, "B": 1, "A": 2}


class SystemObligationsInput(RuleInput):
    klass: SecurityLevel = Field(alias="class")
    confidentiality: SecurityLevel | None = None

    @field_validator("confidentiality")
    @classmethod
    def _confidentiality_within_class(cls, value: SecurityLevel | None, info: ValidationInfo) -> SecurityLevel | None:
        klass = info.data.get("klass")
        if value is not None and isinstance(klass, str) and _RANK[value] > _RANK[klass]:
            raise ValueError(f"confidentiality {value} is higher than class {klass} (p. 34)")
        return value


class SystemObligationsOutput(RuleOutput):
    mfa_required_for: list[MfaAccount]
    log_retention_months: int
    restore_test_interval_months: int | None
    pentest_before_production: bool
    pentest_interval_years: int | None
    encrypt_in_transit: bool
    encrypt_at_rest: bool


_MFA: dict[str, tuple[list[MfaAccount], list[str]]] = {
    "A": (["administrator", "standard"], ["22-TA-3183 p.53.1"]),
    "B": (["administrator", "standard_remote"], ["22-TA-3183 p.53.2", "22-TA-3183 p.53.3"]),
    "C": ([], ["22-TA-3183 p.53"]),
}
_LOG_MONTHS = {"A": 18, "B": 12, "C": 6}
_RESTORE_MONTHS: dict[str, int | None] = {"A": 3, "B": 6, "C": None}


def system_obligations(inp: SystemObligationsInput) -> SystemObligationsOutput:
    klass = inp.klass
    conf = inp.confidentiality or klass
    mfa, mfa_basis = _MFA[klass]
    basis = [*mfa_basis, "22-TA-3183 p.58", "22-TA-3183 p.75", "22-TA-3183 p.132.1"]
    if conf in ("A", "B"):
        basis.append("22-TA-3183 p.82.1")
    if conf == "A":
        basis.append("22-TA-3183 p.82.2")
    if conf == "C":
        basis.append("22-TA-3183 p.82")
    return SystemObligationsOutput(
        mfa_required_for=list(mfa),
        log_retention_months=_LOG_MONTHS[klass],
        restore_test_interval_months=_RESTORE_MONTHS[klass],
        pentest_before_production=klass == "A",
        pentest_interval_years=3 if klass == "A" else None,
        encrypt_in_transit=conf in ("A", "B"),
        encrypt_at_rest=conf == "A",
        basis=basis,
    )


RULES: list[Rule[Any, Any]] = [
    Rule(
        name="system-obligations",
        summary="MFA, log retention, restore tests, pentests and encryption an IS class requires",
        input_model=SystemObligationsInput,
        output_model=SystemObligationsOutput,
        fn=system_obligations,
    )
]
