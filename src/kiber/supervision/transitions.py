"""The dated transitions of chapter 9 (p. 162–171) that apply to a subject, with their due dates.

The entry into force is a setting (``KIBER_REGULATION_IN_FORCE``): the draft leaves it open. "Until
1 January 2028" (p. 165, 166) means the last day is 31 December 2027, as ``outsourcing-eligibility`` reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _

from kiber.registry.models import Organisation
from kiber.rules.review_intervals import add_months

P = "22-TA-3183 "


@dataclass(frozen=True)
class Transition:
    what: str
    due: date
    basis: str


def entry_into_force() -> date:
    return date.fromisoformat(settings.KIBER_REGULATION_IN_FORCE)


def for_subject(organisation: Organisation) -> list[Transition]:
    """Every chapter 9 date that concerns ``organisation`` (by its CI status, category and kind)."""
    eif = entry_into_force()
    found = [
        Transition(
            _("Šifrēšanas un izstrādes ārpakalpojumu prasības piemēro (82., 84., 87. p.)"),
            date(2025, 7, 1),
            P + "163. p.",
        ),
    ]
    if organisation.is_ci_owner:
        found.append(Transition(_("KI īpašnieks nodrošina atbilstību noteikumiem"), add_months(eif, 6), P + "168. p."))
        found.append(
            Transition(
                _("Pārejas periodi ārpakalpojumu līgumiem KI īpašniekam neattiecas"), add_months(eif, 6), P + "167. p."
            )
        )
    else:
        if organisation.is_essential:
            found.append(
                Transition(
                    _("Izvērtēt noslēgtos ārpakalpojumu līgumus un informēt NKC un SAB par neatbilstošajiem"),
                    add_months(eif, 6),
                    P + "164. p.",
                )
            )
        found.append(
            Transition(
                _("Neatbilstoši iepriekš noslēgti ārpakalpojumu līgumi var būt spēkā līdz"),
                date(2027, 12, 31),
                P + "165., 166. p.",
            )
        )
    if organisation.entity_kind == "public_ecn_provider":
        found.append(
            Transition(
                _("101. punkta prasības esošajiem publiskajiem elektronisko sakaru tīkliem"),
                date(2030, 1, 1),
                P + "169. p.",
            )
        )
    return sorted(found, key=lambda t: t.due)


def for_supervisors() -> list[Transition]:
    """The dates that bind the supervisors and the CSIRT themselves (p. 170, 171)."""
    return [
        Transition(_("NKC ar SAB izstrādā 39. un 83. punkta vadlīnijas"), date(2025, 9, 1), P + "171. p."),
        Transition(
            _("CERT.LV vadītājs pirmo reizi informē NKC par atbilstību 118. punktam"),
            date(2025, 12, 31),
            P + "170., 119. p.",
        ),
    ]
