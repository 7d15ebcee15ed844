"""Why a subject has its computed category, in the user's language.

The ``entity-category`` rule (``kiber.rules.entity_category``) states its reasons in English for the
API and the audit trail; the web UI explains the same decision from the stored outcome (category,
size) and the figures it was computed from. The basis points stay those the rule returned.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kiber.registry.choices import Category, EntityKind, Size
from kiber.registry.sectors import listing, sector_name

if TYPE_CHECKING:  # models.py calls this module: a runtime import back would make a cycle
    from kiber.registry.models import Organisation

# Kinds in scope whatever their size (NIS2 Art. 2(2)); the rule checks them in this order.
ESSENTIAL_KINDS = (EntityKind.QTSP, EntityKind.TLD_REGISTRY, EntityKind.DNS_PROVIDER)


def _eur(value: Decimal | float | int) -> str:
    return f"{number_format(value, 0, force_grouping=True)} EUR"


def _annex(sector: str) -> str:
    return next((str(s["annex"]) for s in listing() if s["slug"] == sector), "")


def _size(org: Organisation) -> str:
    figures = _("darbinieku skaits %(employees)s, apgrozījums %(turnover)s, bilance %(balance)s") % {
        "employees": org.employees,
        "turnover": _eur(org.annual_turnover_eur),
        "balance": _eur(org.balance_sheet_eur),
    }
    threshold = {
        Size.LARGE: _("250 vai vairāk darbinieku vai apgrozījums virs 50 milj. EUR un bilance virs 43 milj. EUR"),
        Size.MEDIUM: _("50 vai vairāk darbinieku vai apgrozījums un bilance virs 10 milj. EUR"),
        Size.SMALL: _("mazāk par 50 darbiniekiem, un apgrozījums vai bilance nepārsniedz 10 milj. EUR"),
    }[Size(org.size)]
    return _("Lielums: %(size)s (%(figures)s — %(threshold)s)") % {
        "size": Size(org.size).label.lower(),
        "figures": figures,
        "threshold": threshold,
    }


def _decision(org: Organisation, annex: str) -> str:
    kind, category = org.entity_kind, org.category
    if category == Category.DOMAIN_REGISTRAR:
        return _("Domēna vārdu reģistrācijas pakalpojumu sniedzējs: piemēro tikai reģistrācijas pienākumus.")
    if kind == EntityKind.REGIONAL_PA:
        return _("Reģionālās vai vietējās pārvaldes iestāde: svarīgs subjekts neatkarīgi no lieluma.")
    if kind in ESSENTIAL_KINDS:
        return _("%(kind)s: būtisks subjekts neatkarīgi no lieluma.") % {"kind": EntityKind(kind).label}
    if kind == EntityKind.PUBLIC_ECN:
        if category == Category.ESSENTIAL:
            return _(
                "Publisko elektronisko sakaru tīklu vai pakalpojumu sniedzējs, vidējs vai liels: būtisks subjekts."
            )
        return _("Mazs publisko elektronisko sakaru tīklu vai pakalpojumu sniedzējs: tvērumā neatkarīgi no lieluma.")
    if kind == EntityKind.CENTRAL_PA:
        return _("Centrālās valsts pārvaldes iestāde: būtisks subjekts neatkarīgi no lieluma.")
    if category == Category.ESSENTIAL:
        return _("Liels I pielikuma nozares subjekts: būtisks.")
    if kind == EntityKind.NON_QTSP:
        return _("Nekvalificēts uzticamības pakalpojumu sniedzējs: tvērumā neatkarīgi no lieluma, bet nav būtisks.")
    if category == Category.IMPORTANT:
        return _("%(size)s %(annex)s pielikuma nozares subjekts, kas nav būtisks: svarīgs.") % {
            "size": Size(org.size).label,
            "annex": annex,
        }
    return _("Mazs subjekts, kura veids nav tvērumā neatkarīgi no lieluma: ārpus tvēruma.")


def category_explanation(org: Organisation) -> list[str]:
    """Sentences for the category card: size with the figures, the sector's annex, the decision."""
    if not org.category or not org.size:
        return []
    annex = _annex(org.sector)
    return [
        _size(org),
        _("Nozare „%(sector)s” ir NIS2 %(annex)s pielikumā.") % {"sector": sector_name(org.sector), "annex": annex},
        _decision(org, annex),
    ]
