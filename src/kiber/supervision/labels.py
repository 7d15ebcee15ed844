"""The rules' findings in the user's language (the rules speak English; the UI is Latvian first)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

# finding code of ``auditor-eligibility`` (and ``outsourcing.p93_findings``) -> Latvian message.
_FINDINGS = {
    "not_registered_in_nato_eu_efta_ip4": lambda: _(
        "Auditors reģistrēts valstī, kas nav NATO, Eiropas Savienības, EBTA vai IP4 valsts."
    ),
    "board_not_given": lambda: _("Norādiet valdes un padomes locekļus un viņu pilsonību."),
    "board_member_not_nato_eu_efta_ip4": lambda: _(
        "Valdes vai padomes loceklis nav NATO, Eiropas Savienības, EBTA vai IP4 valsts pilsonis."
    ),
    "beneficial_owner_not_nato_eu_efta_ip4": lambda: _(
        "Patiesais labuma guvējs nav NATO, Eiropas Savienības, EBTA vai IP4 valsts pilsonis."
    ),
    "shareholder_not_nato_eu_efta_ip4": lambda: _(
        "Dalībnieks vai kapitāla daļu turētājs nav no NATO, Eiropas Savienības, EBTA vai IP4 valsts."
    ),
    "not_nato_eu_efta_ip4_citizen": lambda: _("Auditors nav NATO, Eiropas Savienības, EBTA vai IP4 valsts pilsonis."),
    "no_certificate": lambda: _(
        "Pievienojiet starptautiski atzīta kiberdrošības audita sertifikāta kopiju (piem., CISA, "
        "ISO/IEC 27001 Lead Auditor, CISSP)."
    ),
    "no_technical_capability": lambda: _(
        "Aprakstiet auditora tehniskās iespējas noteikt tīklu, sistēmu, IKT resursu un procedūru atbilstību."
    ),
}
# Rule field path (first two parts) -> form field.
_FIELDS = {
    "auditor.registration_country": "registration_country",
    "auditor.citizenships": "citizenships",
    "auditor.board_members": "board_members",
    "auditor.beneficial_owners": "beneficial_owners",
    "auditor.shareholders": "shareholders",
    "certificates": "certificate_file",
    "technical_capability": "technical_capability",
}


def point(basis: str) -> str:
    """``22-TA-3183 p.93.1.1`` -> ``93.1.1.`` (the Latvian way of citing a point)."""
    return basis.rsplit("p.", 1)[-1].strip() + "."


def finding_message(finding: dict[str, Any]) -> str:
    text = _FINDINGS[finding["code"]]() if finding["code"] in _FINDINGS else finding["message"]
    return f"{text} ({_('pamats')}: {point(finding['basis'])} {_('p.')})"


def finding_field(path: str) -> str:
    return _FIELDS.get(".".join(path.split(".")[:2]), "")


def basis_text(basis: list[str]) -> str:
    """A list of bases as the Latvian citation: ``22-TA-3183 125.1., 93., 125.2. p.``."""
    return "22-TA-3183 " + ", ".join(dict.fromkeys(point(b) for b in basis)) + " " + _("p.")


def eligibility_lines(auditor: Any) -> list[str]:
    """Why a registered auditor meets p. 125, in the reader's language (the stored reasons are English)."""
    if not auditor.eligible:
        return [finding_message(f) for f in auditor.eligibility.get("findings", [])]
    names = ", ".join(c.title for c in auditor.certificates.all())
    return [
        _("Atbilst 93. punkta prasībām par NATO, Eiropas Savienības, EBTA vai IP4 valstīm (125.1. p.)."),
        _("Sertifikāti ar iesniegtām kopijām: %(names)s (125.2., 126.2. p.).") % {"names": names},
        _("Ir tehniskās iespējas noteikt atbilstību (125.3. p.)."),
    ]
