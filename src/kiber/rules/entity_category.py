"""NIS2 Art. 2–3 scope: essential / important / domain registrar / out of scope, and the sector list.

Decisions where the contract and the law leave room (also in docs/rules/entity-category.md):

* The rules are applied in the contract's order: essential (Art. 3(1)) first, then important
  (Art. 3(2)), then out of scope. So a *large* non-qualified trust service provider in an Annex I
  sector is essential under Art. 3(1)(a) ("a large Annex I entity": trust service providers are an
  Annex I type), exactly as the Directive's text reads; a medium or small one is important.
* Public administration entities are classified by their kind alone, not by enterprise size (they
  are not enterprises in the sense of Recommendation 2003/361/EC): central government -> essential
  (Art. 3(1)(d)), regional -> important (Art. 2(2)(f)(ii), 3(2)) however large.
* ``entity_kind = domain_registrar`` decides the category alone (``domain_registrar``, whatever the
  size or sector): a registrar is not an Annex I/II entity type and only the registration duties of
  Art. 3(3) / 22-TA-3183 p.5 and p.10 apply to it.
* The kind-based rules (trust service, TLD, DNS, public ECN, public administration) do not check that
  the ``sector`` is the matching one; the sector still must be a valid Annex I/II slug.
* Size uses only the three figures given (no partner/linked aggregation, no two-period rule of
  Recommendation 2003/361/EC Annex Art. 4(2)/6: those are the caller's job).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from kiber.rules.base import Rule, RuleInput, RuleInputError, RuleOutput
from kiber.rules.sectors import SECTORS, SectorSlug, get_sector

Count = Annotated[int, Field(ge=0, strict=True)]
Money = Annotated[float, Field(ge=0, strict=True, allow_inf_nan=False)]

EntityKind = Literal[
    "other",
    "qualified_trust_service_provider",
    "non_qualified_trust_service_provider",
    "tld_registry",
    "dns_service_provider",
    "public_ecn_provider",
    "central_public_administration",
    "regional_public_administration",
    "domain_registrar",
]
Category = Literal["essential", "important", "domain_registrar", "out_of_scope"]
Size = Literal["small", "medium", "large"]

SIZE_BASIS = "Recommendation 2003/361/EC Annex Art.2"

# Recommendation 2003/361/EC Annex Art. 2 ceilings: a size class is left when the headcount reaches
# the limit, or when BOTH turnover and balance sheet exceed theirs (the "and/or" of the definition).
LARGE_MIN_EMPLOYEES = 250
LARGE_TURNOVER_ABOVE_EUR = 50_000_000
LARGE_BALANCE_ABOVE_EUR = 43_000_000
MEDIUM_MIN_EMPLOYEES = 50
MEDIUM_TURNOVER_ABOVE_EUR = 10_000_000
MEDIUM_BALANCE_ABOVE_EUR = 10_000_000


class EntityCategoryInput(RuleInput):
    sector: SectorSlug
    subsector: str | None = None
    entity_kind: EntityKind = "other"
    employees: Count
    annual_turnover_eur: Money
    balance_sheet_eur: Money


class EntityCategoryOutput(RuleOutput):
    category: Category
    size: Size
    reasons: list[str]
    annex: Literal["I", "II"]


def entity_size(employees: int, annual_turnover_eur: float, balance_sheet_eur: float) -> Size:
    """Size class per Recommendation 2003/361/EC (Annex Art. 2)."""
    if employees >= LARGE_MIN_EMPLOYEES or (
        annual_turnover_eur > LARGE_TURNOVER_ABOVE_EUR and balance_sheet_eur > LARGE_BALANCE_ABOVE_EUR
    ):
        return "large"
    if employees >= MEDIUM_MIN_EMPLOYEES or (
        annual_turnover_eur > MEDIUM_TURNOVER_ABOVE_EUR and balance_sheet_eur > MEDIUM_BALANCE_ABOVE_EUR
    ):
        return "medium"
    return "small"


def _size_reason(data: EntityCategoryInput, size: Size) -> str:
    figures = (
        f"{data.employees} employees, turnover EUR {data.annual_turnover_eur:,.0f}, "
        f"balance sheet EUR {data.balance_sheet_eur:,.0f}"
    )
    if size == "large":
        why = "250 or more employees, or turnover above EUR 50 m and balance sheet above EUR 43 m"
    elif size == "medium":
        why = "50 or more employees, or turnover above EUR 10 m and balance sheet above EUR 10 m"
    else:
        why = "under 50 employees, and turnover or balance sheet not above EUR 10 m"
    return f"size {size} ({figures}: {why})"


def _check_subsector(data: EntityCategoryInput) -> None:
    sector = get_sector(data.sector)
    if sector.subsectors:
        known = ", ".join(sub.slug for sub in sector.subsectors)
        if data.subsector is None:
            raise RuleInputError(f"subsector: required for sector {sector.slug!r} (one of {known})", ["subsector"])
        if sector.subsector(data.subsector) is None:
            raise RuleInputError(
                f"subsector: {data.subsector!r} is not a subsector of {sector.slug!r} (one of {known})",
                ["subsector"],
            )
    elif data.subsector is not None:
        raise RuleInputError(f"subsector: sector {sector.slug!r} has no subsectors", ["subsector"])


def entity_category(data: EntityCategoryInput) -> EntityCategoryOutput:
    """Classify an entity under NIS2 Art. 2–3 (contract rule ``entity-category``)."""
    _check_subsector(data)
    sector = get_sector(data.sector)
    size = entity_size(data.employees, data.annual_turnover_eur, data.balance_sheet_eur)
    kind = data.entity_kind
    annex_i = sector.annex == "I"
    reasons = [_size_reason(data, size), f"sector {sector.slug} is in NIS2 Annex {sector.annex}"]
    basis = [SIZE_BASIS, sector.basis]
    category: Category

    if kind == "domain_registrar":
        category = "domain_registrar"
        reasons.append("domain name registration service provider: only the registration duties apply")
        basis += ["NIS2 Art.2(4)", "NIS2 Art.3(3)", "22-TA-3183 p.5", "22-TA-3183 p.10"]
    elif kind == "regional_public_administration":
        category = "important"
        reasons.append("regional public administration entity: important regardless of size")
        basis += ["NIS2 Art.2(2)(f)(ii)", "NIS2 Art.3(2)"]
    elif kind in ("qualified_trust_service_provider", "tld_registry", "dns_service_provider"):
        category = "essential"
        label = {
            "qualified_trust_service_provider": "qualified trust service provider",
            "tld_registry": "TLD name registry",
            "dns_service_provider": "DNS service provider",
        }[kind]
        reasons.append(f"{label}: essential regardless of size")
        basis += ["NIS2 Art.2(2)(a)", "NIS2 Art.3(1)(b)"]
    elif kind == "public_ecn_provider" and size in ("medium", "large"):
        category = "essential"
        reasons.append("public electronic communications provider of medium size or larger")
        basis += ["NIS2 Art.2(2)(a)", "NIS2 Art.3(1)(c)"]
    elif kind == "central_public_administration":
        category = "essential"
        reasons.append("central government public administration entity: essential regardless of size")
        basis += ["NIS2 Art.2(2)(f)(i)", "NIS2 Art.3(1)(d)"]
    elif annex_i and size == "large":
        category = "essential"
        reasons.append("large entity of an Annex I sector")
        basis += ["NIS2 Art.2(1)", "NIS2 Art.3(1)(a)"]
    elif kind == "public_ecn_provider":
        category = "important"
        reasons.append("small public electronic communications provider: in scope regardless of size")
        basis += ["NIS2 Art.2(2)(a)", "NIS2 Art.3(2)"]
    elif kind == "non_qualified_trust_service_provider":
        category = "important"
        reasons.append("non-qualified trust service provider: in scope regardless of size, not essential")
        basis += ["NIS2 Art.2(2)(a)", "NIS2 Art.3(2)"]
    elif size in ("medium", "large"):
        category = "important"
        reasons.append(f"{size} entity of an Annex {sector.annex} sector that is not essential")
        basis += ["NIS2 Art.2(1)", "NIS2 Art.3(2)"]
    else:
        category = "out_of_scope"
        reasons.append("small entity of a kind not in scope regardless of size")
        basis += ["NIS2 Art.2(1)"]
    return EntityCategoryOutput(category=category, size=size, reasons=reasons, basis=basis, annex=sector.annex)


class _Named(BaseModel):
    model_config = ConfigDict(frozen=True)

    slug: str
    name_lv: str
    name_en: str


class SubsectorEntry(_Named):
    point: str


class SectorEntry(_Named):
    annex: Literal["I", "II"]
    point: int
    subsectors: list[SubsectorEntry]


class SectorsOutput(RuleOutput):
    sectors: list[SectorEntry]


def sectors() -> SectorsOutput:
    """Every NIS2 Annex I/II sector slug with its subsectors, in Latvian and English."""
    return SectorsOutput(
        sectors=[
            SectorEntry(
                slug=sector.slug,
                name_lv=sector.name_lv,
                name_en=sector.name_en,
                annex=sector.annex,
                point=sector.point,
                subsectors=[
                    SubsectorEntry(slug=sub.slug, name_lv=sub.name_lv, name_en=sub.name_en, point=sub.point)
                    for sub in sector.subsectors
                ],
            )
            for sector in SECTORS
        ],
        basis=["NIS2 Annex I", "NIS2 Annex II"],
    )


RULES: list[Rule[Any, Any]] = [
    Rule(
        name="entity-category",
        summary="NIS2 Art. 2-3 scope: essential, important, domain registrar or out of scope, and size",
        input_model=EntityCategoryInput,
        output_model=EntityCategoryOutput,
        fn=entity_category,
    ),
    Rule(
        name="sectors",
        summary="NIS2 Annex I and II sectors and subsectors with Latvian and English names",
        input_model=None,
        output_model=SectorsOutput,
        fn=sectors,
    ),
]
