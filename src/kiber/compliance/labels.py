"""Labels of the requirement catalogue's keys (applicability conditions, tiers, evidence kinds) for the UI.

The catalogue (``kiber/catalogue/requirements/22-TA-3183.yaml``) describes each key in English for
the record; people read these short Latvian labels (English through the catalogue of this app).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

CONDITIONS: dict[str, Promise] = {
    "not_ci_owner": _("subjekts nav IKT kritiskās infrastruktūras īpašnieks"),
    "has_class_a_system": _("subjektam ir A klases informācijas sistēma"),
    "no_class_a_system": _("subjektam nav A klases informācijas sistēmu"),
    "public_ecn_provider": _("subjekts ir publiska elektronisko sakaru tīkla īpašnieks vai valdītājs"),
    "entire_ict_in_ci_set": _("visa subjekta IKT infrastruktūra ir kritiskās infrastruktūras kopumā"),
    "ci_information_system": _("sistēma ir iekļauta kritiskās infrastruktūras kopumā"),
    "multiple_is_in_ci_set": _("kritiskās infrastruktūras kopumā ir vairākas subjekta sistēmas"),
    "new_information_system": _("tiek veidota jauna informācijas sistēma"),
    "uses_outsourcing": _("subjekts izmanto IKT ārpakalpojumus"),
    "outsourced_is_development": _("sistēmas izstrāde vai izmaiņas tiek nodotas ārpakalpojumā"),
    "framework_agreement": _("subjekts slēdz vispārīgo vienošanos par ārpakalpojumiem"),
    "seeks_sab_opinion": _("subjekts lūdz SAB atzinumu par ārpakalpojuma līgumu"),
    "provides_guest_internet_access": _("subjekts nodrošina interneta piekļuvi viesiem"),
    "has_internal_wireless": _("subjektam ir iekšējais bezvadu tīkls"),
    "remote_access_from_external_network": _("tiek izmantota attālināta piekļuve no ārēja tīkla"),
    "uses_open_source_libraries": _("sistēmā izmanto atvērtā koda bibliotēkas"),
    "system_maintained_externally": _("sistēmu uztur ārpus subjekta IKT infrastruktūras"),
    "ntp_sync_not_possible": _("sinhronizācija ar CERT.LV publicēto NTP serveri tehniski nav iespējama"),
    "existing_continuity_arrangements": _("nepārtrauktība jau noteikta citos plānos vai sertificētā sistēmā (115. p.)"),
    "where_technically_possible": _("ja tas ir tehniski iespējams"),
    "as_far_as_possible": _("iespēju robežās"),
    "where_applicable": _("ja attiecināms"),
}

TIERS: dict[str, Promise] = {
    "ci_owner": _("IKT kritiskās infrastruktūras īpašnieki"),
    "essential": _("būtisko pakalpojumu sniedzēji"),
    "important": _("svarīgo pakalpojumu sniedzēji"),
}

EVIDENCE: dict[str, Promise] = {
    "policy": _("politika"),
    "procedure": _("iekšējie noteikumi vai procedūra"),
    "plan": _("plāns"),
    "register": _("reģistrs vai katalogs"),
    "record": _("ieraksts par veiktu darbību"),
    "log": _("žurnālu izraksts"),
    "configuration": _("konfigurācija vai shēma"),
    "report": _("pārbaudes vai kontroles ziņojums"),
    "training_record": _("apmācību uzskaite"),
    "contract": _("līgums"),
    "submission": _("iesniegums iestādei"),
    "appointment": _("iecelšanas rīkojums"),
    "qualification": _("atbilstības apliecinājums"),
    "assessment": _("riska vai piegādātāja novērtējums"),
}

KINDS = {"condition": CONDITIONS, "tier": TIERS, "evidence": EVIDENCE}


def labels(keys: Iterable[Any], kind: str) -> list[str]:
    """Labels of catalogue keys (or of ``{"key": ...}`` conditions); an unknown key is shown as it is."""
    table = KINDS[kind]
    out = []
    for key in keys or ():
        key = key["key"] if isinstance(key, dict) else key
        out.append(str(table.get(key, key)))
    return out
