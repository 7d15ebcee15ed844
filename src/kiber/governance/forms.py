"""Forms of the governance records. People and owners are entered one per line: ``Name; LV, EE``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kiber.assets.models import InformationSystem
from kiber.governance.choices import ANNEX8_CONTENT, CONTRACT_CLAUSES, POLICY_CONTENT, OpinionStatus, PartyKind
from kiber.governance.models import (
    ContinuityObjective,
    ManagementDocument,
    Measure,
    OutsourcingContract,
    PlanResponsibleNotice,
    Provider,
    Risk,
    RiskMethodology,
    StateThreatPlan,
)
from kiber.registry.models import Organisation
from kiber.rules.country_groups import ISO_3166_ALPHA2
from kiber.versioning import VersionedForm


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def country(value: str) -> str:
    code = value.strip().upper()
    if code not in ISO_3166_ALPHA2:
        raise forms.ValidationError(_("Nezināms valsts kods „%(code)s” (ISO 3166-1, piem., LV).") % {"code": value})
    return code


def countries(value: str) -> list[str]:
    return [country(part) for part in value.replace(";", ",").split(",") if part.strip()]


def parse_people(text: str, *, with_role: bool = False) -> list[dict[str, Any]]:
    """Lines ``Name; LV, EE`` (or ``Name; LV; role``) as ``[{"name", "citizenships"[, "role"]}]``."""
    people = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(";")]
        if len(parts) < 2 or not parts[0] or not parts[1]:
            raise forms.ValidationError(_("%(n)s. rinda: rakstiet „Vārds Uzvārds; valsts kods”.") % {"n": number})
        try:
            person: dict[str, Any] = {"name": parts[0], "citizenships": countries(parts[1])}
        except forms.ValidationError as exc:
            raise forms.ValidationError(_("%(n)s. rinda: %(e)s") % {"n": number, "e": exc.messages[0]}) from None
        if with_role:
            person["role"] = "; ".join(parts[2:])
        people.append(person)
    return people


def people_text(rows: list[dict[str, Any]], *, with_role: bool = False) -> str:
    lines = []
    for row in rows:
        parts = [row.get("name", ""), ", ".join(row.get("citizenships", []))]
        if with_role and row.get("role"):
            parts.append(row["role"])
        lines.append("; ".join(parts))
    return "\n".join(lines)


class PeopleField(forms.CharField):
    def __init__(self, *args: Any, with_role: bool = False, **kwargs: Any) -> None:
        self.with_role = with_role
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> list[dict[str, Any]]:  # type: ignore[override]
        return parse_people(super().clean(value) or "", with_role=self.with_role)


# --- documents ------------------------------------------------------------------------------------------


class DocumentForm(VersionedForm, forms.ModelForm):
    content_points = forms.MultipleChoiceField(
        label=_("Politikas saturs (30.1.–30.5. p.)"),
        choices=POLICY_CONTENT,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tikai politikai: atzīmējiet, ko dokuments ietver."),
    )
    file = forms.FileField(
        label=_("Fails"),
        required=False,
        help_text=_("PDF, DOCX, ODT, XLSX vai ODS; nekad nav publiski pieejams (25. p.)."),
    )

    class Meta:
        model = ManagementDocument
        fields = ["part", "title", "edition", "approved_on", "approved_by", "copy_location", "planned_review_on"]
        widgets = {"approved_on": date_input(), "planned_review_on": date_input()}

    def __init__(self, *args: Any, new_version: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if new_version or (self.instance.pk and self.instance.previous_id):
            del self.fields["part"]
        if self.instance.pk:
            self.initial.setdefault("content_points", self.instance.content_points)


# --- outsourcing ----------------------------------------------------------------------------------------


class ProviderForm(VersionedForm, forms.ModelForm):
    registration_country = forms.CharField(label=_("Reģistrācijas valsts (ISO kods)"), required=False, max_length=2)
    citizenships = forms.CharField(
        label=_("Pilsonība (fiziskai personai)"),
        required=False,
        help_text=_("Valstu kodi, atdalīti ar komatu, piem., LV, EE."),
    )
    board_members = PeopleField(
        label=_("Valdes un padomes locekļi"),
        help_text=_("Viena persona rindā: „Vārds Uzvārds; LV” (vairākas pilsonības: „LV, EE”)."),
    )
    natural_shareholders = PeopleField(
        label=_("Dalībnieki — fiziskas personas"), help_text=_("„Vārds Uzvārds; pilsonība” rindā.")
    )
    legal_shareholders = PeopleField(
        label=_("Dalībnieki — juridiskas personas"), help_text=_("„Nosaukums; reģistrācijas valsts” rindā.")
    )
    beneficial_owners = PeopleField(label=_("Patiesie labuma guvēji"), help_text=_("„Vārds Uzvārds; pilsonība” rindā."))

    class Meta:
        model = Provider
        fields = [
            "name",
            "registration_number",
            "kind",
            "registration_country",
            "citizenships",
            "board_members",
            "beneficial_owners",
            "public_person_holder",
        ]

    field_order = [
        "name",
        "registration_number",
        "kind",
        "registration_country",
        "citizenships",
        "board_members",
        "natural_shareholders",
        "legal_shareholders",
        "beneficial_owners",
        "public_person_holder",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provider = self.instance
        if provider.pk:
            shareholders = provider.shareholders
            self.initial.update(
                {
                    "citizenships": ", ".join(provider.citizenships),
                    "board_members": people_text(provider.board_members),
                    "beneficial_owners": people_text(provider.beneficial_owners),
                    "natural_shareholders": people_text([s for s in shareholders if s["kind"] == PartyKind.NATURAL]),
                    "legal_shareholders": "\n".join(
                        f"{s['name']}; {s['registration_country']}"
                        for s in shareholders
                        if s["kind"] == PartyKind.LEGAL
                    ),
                }
            )

    def clean_registration_country(self) -> str:
        value = self.cleaned_data["registration_country"]
        return country(value) if value.strip() else ""

    def clean_citizenships(self) -> list[str]:
        return countries(self.cleaned_data["citizenships"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        natural = [{**p, "kind": PartyKind.NATURAL} for p in data.pop("natural_shareholders", [])]
        legal = [
            {
                "name": p["name"],
                "kind": PartyKind.LEGAL,
                "registration_country": p["citizenships"][0],
                "citizenships": [],
            }
            for p in data.pop("legal_shareholders", [])
        ]
        data["shareholders"] = natural + legal
        return data


class ContractForm(VersionedForm, forms.ModelForm):
    personnel = PeopleField(
        label=_("Iesaistītās fiziskās personas (90. p.)"),
        with_role=True,
        help_text=_("Viena persona rindā: „Vārds Uzvārds; pilsonība; loma līguma izpildē”."),
    )
    clauses = forms.MultipleChoiceField(
        label=_("Līgumā paredzēts (86.–87. p.)"),
        choices=CONTRACT_CLAUSES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = OutsourcingContract
        fields = [
            "title",
            "description",
            "contract_subject",
            "provider",
            "manufacturer",
            "subcontractors",
            "systems",
            "personnel",
            "clauses",
            "risk_assessment",
            "exit_strategy",
            "manager_agreed_on",
            "supervising_person",
            "pecn_critical_part",
            "concluded_before_entry_into_force",
            "contract_end",
        ]
        widgets = {
            "manager_agreed_on": date_input(),
            "contract_end": date_input(),
            "subcontractors": forms.CheckboxSelectMultiple,
            "systems": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
            "risk_assessment": forms.Textarea(attrs={"rows": 3}),
            "exit_strategy": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        providers = Provider.objects.filter(organisation=organisation)
        for name in ("provider", "manufacturer", "subcontractors"):
            self.fields[name].queryset = providers  # type: ignore[attr-defined]
        systems = InformationSystem.objects.filter(organisation=organisation).order_by("name")
        self.fields["systems"].queryset = systems  # type: ignore[attr-defined]
        self.fields["systems"].label_from_instance = (  # type: ignore[attr-defined]
            lambda s: f"{s.name} ({s.security_class or '—'}{', KI' if s.in_ci_set else ''})"
        )
        if self.instance.pk:
            self.initial["personnel"] = people_text(self.instance.personnel, with_role=True)


class ConcludeForm(forms.Form):
    concluded_on = forms.DateField(label=_("Noslēgšanas datums"), widget=date_input())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


SIGNED_HELP = _("PDF vai e-paraksta konteiners (.edoc, .asice).")


class OpinionRequestForm(forms.Form):
    request_file = forms.FileField(
        label=_("Parakstīta atzinuma pieprasījuma veidlapa (7. pielikums)"), help_text=SIGNED_HELP
    )
    consent_file = forms.FileField(
        label=_("Ārpakalpojuma sniedzēja piekrišana pārbaudei (95.2. p.)"), help_text=SIGNED_HELP
    )
    other_party_1 = forms.CharField(label=_("Cita piekrišana: apakšuzņēmējs vai persona"), required=False)
    other_file_1 = forms.FileField(label=_("Tās fails"), required=False)
    other_party_2 = forms.CharField(label=_("Cita piekrišana: apakšuzņēmējs vai persona"), required=False)
    other_file_2 = forms.FileField(label=_("Tās fails"), required=False)
    note = forms.CharField(label=_("Piezīmes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for n in (1, 2):
            if bool(data.get(f"other_party_{n}")) != bool(data.get(f"other_file_{n}")):
                self.add_error(f"other_file_{n}", _("Norādiet gan kura piekrišana, gan failu."))
        return data

    def consents(self, provider_name: str) -> list[tuple[str, Any]]:
        data = self.cleaned_data
        found = [(provider_name, data["consent_file"])]
        found += [(data[f"other_party_{n}"], data[f"other_file_{n}"]) for n in (1, 2) if data.get(f"other_file_{n}")]
        return found


class OpinionDecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Atzinums"),
        choices=[c for c in OpinionStatus.choices if c[0] != OpinionStatus.FILED],
        widget=forms.RadioSelect,
    )
    opinion_text = forms.CharField(label=_("Atzinuma teksts"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


# --- risks and continuity -------------------------------------------------------------------------------


class LevelsField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 5})

    def clean(self, value: Any) -> list[str]:  # type: ignore[override]
        levels = [line.strip() for line in (super().clean(value) or "").splitlines() if line.strip()]
        if not 2 <= len(levels) <= 10:
            raise forms.ValidationError(_("Skalā jābūt no 2 līdz 10 līmeņiem, katrs savā rindā."))
        return levels


class MethodologyForm(VersionedForm, forms.ModelForm):
    likelihood_levels = LevelsField(label=_("Iespējamības skala (no zemākās, viens līmenis rindā)"))
    impact_levels = LevelsField(label=_("Ietekmes skala (no zemākās, viens līmenis rindā)"))

    class Meta:
        model = RiskMethodology
        fields = [
            "risk_list",
            "likelihood_levels",
            "impact_levels",
            "acceptable_score",
            "review_period_months",
            "description",
        ]
        widgets = {"risk_list": forms.Textarea(attrs={"rows": 4}), "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("likelihood_levels", "impact_levels"):
            if self.instance.pk:
                self.initial[name] = "\n".join(getattr(self.instance, name))


def _scale(levels: list[str], blank: bool) -> list[tuple[Any, str]]:
    choices: list[tuple[Any, str]] = [("", "—")] if blank else []
    return choices + [(i, f"{i} — {label}") for i, label in enumerate(levels, start=1)]


class RiskForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Risk
        fields = [
            "system",
            "scope",
            "title",
            "threat",
            "supply_chain",
            "likelihood",
            "impact",
            "previous_likelihood",
            "previous_impact",
            "owner",
        ]
        widgets = {"threat": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, organisation: Organisation, methodology: RiskMethodology, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = InformationSystem.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation
        ).order_by("name")
        for name, levels in (("likelihood", methodology.likelihood_levels), ("impact", methodology.impact_levels)):
            self.fields[name] = forms.TypedChoiceField(
                label=self.fields[name].label, coerce=int, choices=_scale(levels, False)
            )
            previous = f"previous_{name}"
            self.fields[previous] = forms.TypedChoiceField(
                label=self.fields[previous].label,
                coerce=int,
                choices=_scale(levels, True),
                required=False,
                empty_value=None,
            )


class MeasureForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Measure
        fields = ["description", "implementer", "controller", "due_on", "periodicity", "status", "progress"]
        widgets = {"due_on": date_input(), "description": forms.Textarea(attrs={"rows": 3})}


class ContinuityForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = ContinuityObjective
        fields = [
            "system",
            "rpo_hours",
            "rto_hours",
            "mtd_hours",
            "monitoring",
            "exceedance_action",
            "recovery_plan",
            "reserve_resources",
            "provider_independent_ip",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("monitoring", "exceedance_action", "recovery_plan", "reserve_resources")
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = InformationSystem.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation
        ).order_by("name")


class StateThreatPlanForm(VersionedForm, forms.ModelForm):
    content_points = forms.MultipleChoiceField(
        label=_("Plāna saturs (8. pielikums)"),
        choices=ANNEX8_CONTENT,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = StateThreatPlan
        fields = [
            "responsible_name",
            "responsible_email",
            "responsible_appointed_on",
            "exemption",
            "exemption_basis",
            "content_points",
            "approved_on",
            "sab_delivered_on",
            "self_assessment_on",
        ]
        widgets = {
            name: date_input()
            for name in ("responsible_appointed_on", "approved_on", "sab_delivered_on", "self_assessment_on")
        }


class SabPlanReviewForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = StateThreatPlan
        fields = ["sab_agreed_on", "vetting"]
        widgets = {"sab_agreed_on": date_input()}


class PlanResponsibleNoticeForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = PlanResponsibleNotice
        fields = ["appointed_on", "sab_informed_on"]
        widgets = {"appointed_on": date_input(), "sab_informed_on": date_input()}
