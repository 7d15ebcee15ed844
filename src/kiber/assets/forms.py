"""Forms of the ICT catalogue (validation only; ``services`` writes)."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kiber.assets.models import INDICATOR_FIELDS, InformationResource, InformationSystem, ResponsiblePerson
from kiber.versioning import VersionedForm

INDICATOR_HELP = {
    "personal_data_subjects": _("A konfidencialitāte no 1 000 000 (4. pielikums)."),
    "special_category_subjects": _("A konfidencialitāte no 500 000, B — ja ir vismaz viens (4. pielikums)."),
    "tolerated_unplanned_downtime_pct": _(
        "Summārais neplānotais pārtraukums paredzētajā darbības laikā mēnesī: ≤ 0,1 % — A, ≤ 1 % — B, citādi C."
    ),
}


class SystemForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = InformationSystem
        fields = ["name", "description", "in_ci_set", "controller_name", "controller_registration_number"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "in_ci_set": _("Kritiskās infrastruktūras kopumā iekļauta sistēma ir A klases sistēma (35. punkts)."),
            "controller_name": _("Ja tukšs — pats subjekts."),
        }

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = InformationSystem.objects.filter(organisation=self.organisation, name=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if self.organisation is not None and clash.exists():
            raise forms.ValidationError(_("Sistēma ar šādu nosaukumu katalogā jau ir."))
        return name


class ResourceForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = InformationResource
        fields = ["name", "description", *INDICATOR_FIELDS]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        help_texts = INDICATOR_HELP

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tolerated_unplanned_downtime_pct"].min_value = 0
        self.fields["tolerated_unplanned_downtime_pct"].max_value = 100
        self.fields["tolerated_unplanned_downtime_pct"].widget.attrs.update({"min": 0, "max": 100, "step": "any"})
        self.fields["tolerated_unplanned_downtime_pct"].validators += [MinValueValidator(0), MaxValueValidator(100)]
        for name in ("personal_data_subjects", "special_category_subjects"):
            self.fields[name].required = False

    def clean_personal_data_subjects(self) -> int:
        return self.cleaned_data.get("personal_data_subjects") or 0

    def clean_special_category_subjects(self) -> int:
        return self.cleaned_data.get("special_category_subjects") or 0

    CONFIDENTIALITY = (
        "personal_data_subjects",
        "special_category_subjects",
        "national_security_harm",
        "restricted_information",
        "reputation_harm_lv",
    )
    INTEGRITY = (
        "ownership_registration",
        "integrity_breach_stops_state_functions_or_ci",
        "integrity_breach_causes_disaster",
        "integrity_breach_stops_own_service",
        "integrity_breach_stops_other_subjects",
    )
    AVAILABILITY = ("tolerated_unplanned_downtime_pct", "unavailability_stops_state_functions_or_ci")

    def groups(self) -> list[tuple[str, list]]:
        """Fields grouped as the Annex 4 columns, for the template."""
        return [
            (_("Resursu kategorija"), [self[f] for f in ("name", "description")]),
            (_("Konfidencialitāte"), [self[f] for f in self.CONFIDENTIALITY]),
            (_("Integritāte"), [self[f] for f in self.INTEGRITY]),
            (_("Pieejamība"), [self[f] for f in self.AVAILABILITY]),
        ]


class DependencyForm(forms.Form):
    provider = forms.ModelChoiceField(
        label=_("Sistēma, no kuras šī sistēma ir atkarīga"), queryset=InformationSystem.objects.none()
    )
    description = forms.CharField(label=_("Apraksts"), max_length=255, required=False)

    def __init__(self, *args, system: InformationSystem, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = InformationSystem.objects.filter(
            organisation_id=system.organisation_id
        ).exclude(pk=system.pk)


class PersonForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = ResponsiblePerson
        fields = ["name", "position", "role", "email", "phone", "competences"]


class ChangeReportForm(forms.Form):
    changed_on = forms.DateField(
        label=_("Izmaiņu datums"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    note = forms.CharField(label=_("Kas mainījās"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class WholeInfrastructureForm(VersionedForm):
    whole_infrastructure_ci = forms.BooleanField(
        label=_("Visa subjekta IKT infrastruktūra ir iekļauta kritiskās infrastruktūras kopumā"),
        required=False,
        help_text=_("Tad katra sistēma ir A klases sistēma (35. punkts); klases saskaņo ar SAB (36. punkts)."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Kataloga fails (CSV vai XLSX)"),
        help_text=_("Viena rinda katrai resursu kategorijai ar tās sistēmas nosaukumu; kolonnas kā veidnē."),
    )

    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not (name.endswith(".csv") or name.endswith(".xlsx")):
            raise forms.ValidationError(_("Atļauti tikai CSV vai XLSX faili."))
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("Fails ir lielāks par 5 MB."))
        return upload
