"""The outsourcing-eligibility rule's result in the reader's language (the rule's own reasons are English)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

FINDINGS = {
    "provider_registered_in_restricted_state": _(
        "Sniedzējs reģistrēts Krievijā, Baltkrievijā vai terorismu atbalstošā valstī"
    ),
    "provider_restricted_citizen": _("Sniedzējs ir 85.1. punktā minētās valsts pilsonis"),
    "shareholder_restricted_citizen": _(
        "Sniedzēja dalībnieks vai kapitāla daļu turētājs ir 85.1. punktā minētās valsts pilsonis"
    ),
    "beneficial_owner_restricted_citizen": _(
        "Sniedzēja patiesais labuma guvējs ir 85.1. punktā minētās valsts pilsonis"
    ),
    "personnel_restricted_citizen": _("Pakalpojuma sniegšanā iesaistīts 85.1. punktā minētās valsts pilsonis"),
    "manufacturer_registered_in_restricted_state": _("Ražotājs reģistrēts 85.1. punktā minētajā valstī"),
    "manufacturer_restricted_citizen": _("Ražotājs ir 85.1. punktā minētās valsts pilsonis"),
    "not_nato_eu_efta_ip4_citizen": _("Persona nav NATO, ES, EBTA vai IP4 valsts pilsonis"),
    "not_registered_in_nato_eu_efta_ip4": _("Juridiskā persona nav reģistrēta NATO, ES, EBTA vai IP4 valstī"),
    "board_not_given": _("Nav norādīti valdes un padomes locekļi"),
    "board_member_not_nato_eu_efta_ip4": _("Valdes vai padomes loceklis nav NATO, ES, EBTA vai IP4 valsts pilsonis"),
    "beneficial_owner_not_nato_eu_efta_ip4": _("Patiesais labuma guvējs nav NATO, ES, EBTA vai IP4 valsts pilsonis"),
    "shareholder_not_nato_eu_efta_ip4": _("Dalībnieks nav no NATO, ES, EBTA vai IP4 valsts"),
    "personnel_not_given": _("Nav norādītas iesaistītās fiziskās personas"),
    "personnel_not_nato_eu_efta_ip4": _("Iesaistītā persona nav NATO, ES, EBTA vai IP4 valsts pilsonis"),
}
REGIMES = {
    "general": _(
        "Piemēro vispārīgās prasības (85.–91. p.): SAB atzinums un NATO/ES/EBTA/IP4 nosacījumi nav vajadzīgi."
    ),
    "ci": _(
        "IKT kritiskās infrastruktūras sistēma: pakalpojumam vajadzīgs SAB atzinums (92. p.), tehniskajiem "
        "resursiem sniedzējam un ražotājam jāatbilst 93. punktam."
    ),
    "essential_class_a": _(
        "Būtisko pakalpojumu sniedzēja A klases sistēma vai tīkla kritiskā daļa: sniedzējam jāatbilst "
        "100. punktam, ja vien SAB nav sniedzis atzinumu (102.2. p.)."
    ),
}
DECISIONS = {
    "allowed": _("Līgumu drīkst slēgt."),
    "sab_opinion_required": _("Līgumu drīkst slēgt tikai pēc SAB pozitīva atzinuma."),
    "forbidden": _("Līgumu slēgt aizliegts."),
}


def eligibility_lines(eligibility: dict[str, Any]) -> dict[str, Any]:
    """Decision, regime and each finding with its point, for the contract page."""
    if not eligibility:
        return {}
    return {
        "decision": DECISIONS.get(eligibility["decision"], ""),
        "regime": REGIMES.get(eligibility["regime"], ""),
        "findings": [
            {"text": FINDINGS.get(f["code"], f["message"]), "basis": f["basis"], "field": f["field"]}
            for f in eligibility.get("findings", [])
        ],
        "opinion_points": eligibility.get("sab_opinion_points", []),
        "allowed_until": eligibility.get("allowed_until"),
        "report_by": eligibility.get("report_non_compliance_by"),
        "basis": eligibility.get("basis", []),
        "reasons": eligibility.get("reasons", []),
    }
