"""Readable, translated texts for the stored structured class reasons, warnings and obligations.

A stored reason is a dict with ``kind`` (``indicator``, ``dependency``, ``lowered``, ``ci_set``,
``whole_infrastructure_ci``, ``no_resources``) and, where relevant, ``resource``, ``dimension``,
``level``, ``indicator``, ``value`` and ``basis``. Texts are rendered when shown, in the reader's language.
"""

from __future__ import annotations

from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DIMENSION_LABELS = {
    "confidentiality": gettext_lazy("Konfidencialitāte"),
    "integrity": gettext_lazy("Integritāte"),
    "availability": gettext_lazy("Pieejamība"),
}

# What each Annex 4 indicator means when it decides a level (``{value}`` is the indicator's value).
INDICATOR_TEXTS = {
    "personal_data_subjects": gettext_lazy("satur {value} datu subjektu personas datus"),
    "special_category_subjects": gettext_lazy("satur {value} datu subjektu īpašu kategoriju personas datus"),
    "national_security_harm": gettext_lazy("neatļauta izpaušana kaitētu nacionālās drošības interesēm"),
    "restricted_information": gettext_lazy("satur ierobežotas pieejamības informāciju"),
    "reputation_harm_lv": gettext_lazy("neatļauta izpaušana kaitētu Latvijas Republikas reputācijai"),
    "ownership_registration": gettext_lazy("ļauj reģistrēt nekustamā īpašuma vai transportlīdzekļu īpašumtiesības"),
    "integrity_breach_stops_state_functions_or_ci": gettext_lazy(
        "integritātes pārkāpums var pārtraukt valsts vai pašvaldības pamatfunkcijas vai kritiskās "
        "infrastruktūras darbību"
    ),
    "integrity_breach_causes_disaster": gettext_lazy("integritātes pārkāpums var izraisīt katastrofu"),
    "integrity_breach_stops_own_service": gettext_lazy(
        "integritātes pārkāpums var pārtraukt subjekta darbību vai tā pakalpojuma sniegšanu"
    ),
    "integrity_breach_stops_other_subjects": gettext_lazy(
        "integritātes pārkāpums var pārtraukt citu subjektu darbību vai pakalpojumus"
    ),
    "tolerated_unplanned_downtime_pct": gettext_lazy("pieļaujamais neplānotais pārtraukums ir {value} % mēnesī"),
    "unavailability_stops_state_functions_or_ci": gettext_lazy(
        "nepieejamība var pārtraukt valsts vai pašvaldības pamatfunkcijas vai kritiskās infrastruktūras darbību"
    ),
    "dependent_systems_availability": gettext_lazy(
        "no tā ir atkarīga informācijas sistēma ar {level} pieejamības klasi: {value}"
    ),
}

WARNING_TEXTS = {
    "class_a_not_available_to_important_subject": gettext_lazy(
        "A klase var būt tikai būtisko pakalpojumu sniedzējam (4. pielikums): šim subjektam katra A klase "
        "ir pazemināta uz B."
    ),
    "whole_infrastructure_ci_agree_with_sab": gettext_lazy(
        "Visa subjekta IKT infrastruktūra ir iekļauta kritiskās infrastruktūras kopumā: drošības klases "
        "saskaņo ar Satversmes aizsardzības biroju (36. punkts)."
    ),
}

MFA_LABELS = {
    "administrator": gettext_lazy("administratoru kontiem"),
    "standard": gettext_lazy("standarta kontiem"),
    "standard_remote": gettext_lazy("standarta kontiem, ja piekļūst attālināti no ārēja tīkla"),
}


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return _("jā") if value else _("nē")
    if isinstance(value, int):
        return number_format(value, force_grouping=True)
    if isinstance(value, float):
        return number_format(value, decimal_pos=None)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def reason_text(reason: dict[str, Any]) -> str:
    kind = reason.get("kind")
    if kind in ("indicator", "dependency"):
        dimension = DIMENSION_LABELS.get(reason["dimension"], reason["dimension"])
        what = str(INDICATOR_TEXTS.get(reason["indicator"], reason["indicator"])).format(
            value=_value(reason["value"]), level=reason["level"]
        )
        return _("%(dimension)s %(level)s — „%(resource)s”: %(what)s") % {
            "dimension": dimension,
            "level": reason["level"],
            "resource": reason.get("resource") or "—",
            "what": what,
        }
    if kind == "lowered":
        return _("A klase nav pieejama subjektam, kas nav būtisko pakalpojumu sniedzējs: A pazemināta uz B")
    if kind == "ci_set":
        return _("Sistēma ir iekļauta kritiskās infrastruktūras kopumā, tāpēc tā ir A klases sistēma")
    if kind == "whole_infrastructure_ci":
        return _(
            "Visa subjekta IKT infrastruktūra ir iekļauta kritiskās infrastruktūras kopumā, tāpēc sistēma ir "
            "A klases sistēma"
        )
    if kind == "no_resources":
        return _("Sistēmai vēl nav norādīta neviena informācijas resursu kategorija, tāpēc klase nav noteikta")
    return str(reason)


def reasons_for(system: Any) -> list[dict[str, Any]]:
    """The stored reasons with their text, the ones that decide the system's levels first."""
    top = {d: getattr(system, d) for d in DIMENSION_LABELS}
    items = [{**r, "text": reason_text(r)} for r in system.class_reasons]
    for item in items:
        item["decisive"] = item.get("kind") in ("ci_set", "whole_infrastructure_ci") or (
            item.get("dimension") in top and item.get("level") == top[item["dimension"]]
        )
    return sorted(items, key=lambda r: not r["decisive"])


def warning_texts(codes: list[str]) -> list[str]:
    return [str(WARNING_TEXTS.get(code, code)) for code in codes]


def obligation_rows(obligations: dict[str, Any]) -> list[dict[str, str]]:
    """The system-obligations output as labelled rows with the deciding points."""
    if not obligations:
        return []
    mfa = obligations["mfa_required_for"]
    conf_basis = [b for b in obligations["basis"] if b.startswith("22-TA-3183 p.82")]
    mfa_basis = [b for b in obligations["basis"] if b.startswith("22-TA-3183 p.53")]
    restore = obligations["restore_test_interval_months"]
    pentest = obligations["pentest_interval_years"]
    encryption = []
    if obligations["encrypt_in_transit"]:
        encryption.append(_("pārraidē"))
    if obligations["encrypt_at_rest"]:
        encryption.append(_("glabāšanā"))
    return [
        {
            "label": _("Daudzfaktoru autentifikācija"),
            "value": (", ".join(str(MFA_LABELS[m]) for m in mfa)) if mfa else _("nav obligāta"),
            "basis": ", ".join(mfa_basis),
        },
        {
            "label": _("Žurnālu glabāšana"),
            "value": _("%(n)s mēneši pēc ieraksta") % {"n": obligations["log_retention_months"]},
            "basis": "22-TA-3183 p.58",
        },
        {
            "label": _("Rezerves kopiju atjaunošanas tests"),
            "value": _("vismaz reizi %(n)s mēnešos") % {"n": restore} if restore else _("nav noteikts"),
            "basis": "22-TA-3183 p.75",
        },
        {
            "label": _("Ielaušanās tests"),
            "value": _("pirms ieviešanas un vismaz reizi %(n)s gados") % {"n": pentest}
            if pentest
            else _("nav obligāts"),
            "basis": "22-TA-3183 p.132.1",
        },
        {
            "label": _("Šifrēšana (kur tehniski iespējams)"),
            "value": ", ".join(encryption) if encryption else _("nav obligāta"),
            "basis": ", ".join(conf_basis),
        },
    ]
