"""Latvian labels of submission snapshot fields (for the page and the PDF); unknown keys show as is."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

LABELS = {
    "subject.registration_number": _("Reģistrācijas numurs"),
    "subject.name": _("Nosaukums"),
    "subject.legal_address": _("Juridiskā adrese"),
    "subject.postal_address": _("Pasta adrese"),
    "subject.email": _("E-pasts"),
    "subject.phone": _("Tālrunis"),
    "subject.website": _("Tīmekļvietne"),
    "subject.sector": _("Nozare (kods)"),
    "subject.sector_name": _("Nozare"),
    "subject.subsector": _("Apakšnozare (kods)"),
    "subject.subsector_name": _("Apakšnozare"),
    "subject.entity_kind": _("Subjekta veids"),
    "subject.employees": _("Darbinieku skaits"),
    "subject.annual_turnover_eur": _("Gada apgrozījums, EUR"),
    "subject.balance_sheet_eur": _("Bilances kopsumma, EUR"),
    "subject.is_ci_owner": _("IKT kritiskās infrastruktūras īpašnieks"),
    "subject.is_domain_registrar": _("Domēna vārdu reģistrētājs"),
    "subject.category": _("Kategorija"),
    "subject.category_computed": _("Aprēķinātā kategorija"),
    "subject.category_override": _("Uzrauga noteiktā kategorija"),
    "subject.size": _("Lielums"),
    "subject.category_basis": _("Kategorijas pamatojums"),
    "contact_person.name": _("Kontaktpersona"),
    "contact_person.position": _("Kontaktpersonas amats"),
    "contact_person.email": _("Kontaktpersonas e-pasts"),
    "contact_person.phone": _("Kontaktpersonas tālrunis"),
    "member_states": _("Dalībvalstis, kurās sniedz pakalpojumus"),
    "ip_ranges": _("Publisko IP adrešu apgabali"),
    "services": _("Sniegtie pakalpojumi"),
    "establishments": _("Citas darbības vietas ES"),
    "loss_reason": _("Statusa zaudēšanas iemesls"),
    "manager.first_name": _("Vārds"),
    "manager.last_name": _("Uzvārds"),
    "manager.personal_code": _("Personas kods"),
    "manager.birth_date": _("Dzimšanas datums"),
    "manager.email": _("E-pasts"),
    "manager.phone": _("Tālrunis"),
    "manager.position": _("Amats"),
    "manager.citizenships": _("Pilsonība"),
    "manager.term_start": _("Pilnvaru sākums"),
    "manager.term_end": _("Pilnvaru beigas"),
    "manager.education": _("Izglītība"),
    "manager.education_in_cybersecurity": _("Izglītība kiberdrošības pārvaldībā"),
    "manager.experience_months": _("Pieredze, mēneši"),
    "manager.certificates": _("Sertifikāti"),
    "manager.declarations.under_guardianship": _("Aizgādnība (12.3. p.)"),
    "manager.declarations.intentional_offence_conviction": _("Sodāmība par tīšu noziedzīgu nodarījumu (12.4. p.)"),
    "manager.declarations.conviction_cleared": _("Sodāmība noņemta vai dzēsta"),
    "manager.declarations.former_security_service_affiliation": _("Saistība ar drošības dienestiem (12.6. p.)"),
    "manager.declarations.banned_organisation_member": _("Aizliegtas organizācijas dalībnieks (12.7. p.)"),
    "manager.declarations.organised_crime_or_illegal_armed_group": _("Organizētā noziedzība (12.8. p.)"),
    "manager.declarations.reliability_doubting_disorder_or_dependence": _("Traucējumi vai atkarība (12.9. p.)"),
    "manager.declarations.state_secret_clearance": _("Speciālā atļauja (15. p.)"),
    "manager.subject_tier": _("Subjekta līmenis"),
    "manager.eligible": _("Atbilst prasībām"),
    "manager.pending": _("Gaidāmās pārbaudes"),
    "manager.eligibility_basis": _("Atbilstības pamatojums"),
    "form": _("Veidlapa"),
    "notice_type": _("Paziņojuma iemesls"),
    "version": _("Versija"),
    "submitted_at": _("Iesniegts"),
    "submitted_by": _("Iesniedza"),
    "recipients": _("Saņēmēji"),
    "basis": _("Pamatojums"),
}


def label(key: str) -> str:
    return str(LABELS.get(key, key))


def _choices() -> dict[str, Any]:
    from kiber.registry.choices import Category, EntityKind, NoticeType, Recipient, Size

    return {
        "subject.entity_kind": EntityKind,
        "subject.category": Category,
        "subject.category_computed": Category,
        "subject.category_override": Category,
        "subject.size": Size,
        "notice_type": NoticeType,
        "recipients": Recipient,
    }


def display(key: str, value: Any) -> Any:
    """A snapshot value as a reader sees it: choice codes as labels, Riga time, grouped amounts."""
    from datetime import datetime

    from django.utils import formats, timezone
    from django.utils.translation import gettext

    if value is True or value is False:
        return gettext("Jā") if value else gettext("Nē")
    if value == "":
        return "—"
    choices = _choices().get(key)
    if choices is not None and isinstance(value, str) and value:
        parts = [part.strip() for part in value.split(",")]
        return ", ".join(str(choices(p).label) if p in choices.values else p for p in parts)
    if key == "submitted_at" and isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        return formats.date_format(timezone.localtime(moment), "d.m.Y H:i")
    if (key.endswith("_eur") or key.endswith(".employees")) and isinstance(value, int | float | str):
        try:
            return formats.number_format(Decimal(str(value)), 0, force_grouping=True)
        except (ArithmeticError, ValueError):
            return value
    return value
