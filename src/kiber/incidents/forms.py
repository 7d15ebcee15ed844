"""Web forms. The report form is generated from the question catalogue (data, not a template)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kiber.incidents import catalogue
from kiber.incidents.choices import EntityType, Kind, Resolution, Review, Significance, Tlp
from kiber.incidents.models import Incident
from kiber.versioning import VersionedForm


class LocalDateTimeInput(forms.DateTimeInput):
    """A browser date-time picker; the value is Riga wall-clock time (stored in UTC)."""

    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)

    def format_value(self, value: Any) -> Any:
        if isinstance(value, str) and value:
            try:
                value = datetime.fromisoformat(value)
            except ValueError:
                return value
        if isinstance(value, datetime) and timezone.is_aware(value):
            value = timezone.localtime(value)
        return super().format_value(value)


def _datetime_field(label: Any, required: bool = True, help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        widget=LocalDateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
    )


class IncidentForm(VersionedForm, forms.ModelForm):
    """An entry of the incident log (p. 49.1–49.8)."""

    kind = forms.ChoiceField(label=_("Ieraksta veids"), choices=Kind.choices)
    detected_at = _datetime_field(_("Konstatēšanas datums un laiks"), help_text=_("Rīgas laiks (p. 49.1)"))
    occurred_at = _datetime_field(_("Kiberincidenta datums un laiks, ja zināms"), required=False)
    type_codes = forms.MultipleChoiceField(
        label=_("Veida kods vai kodi (6. pielikums)"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    affected_other = forms.CharField(
        label=_("Citas skartās sistēmas"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Pa vienai rindā — sistēmas, kuru vēl nav IKT resursu katalogā"),
    )
    resolved_at = _datetime_field(_("Atrisināšanas datums un laiks"), required=False)
    change_known_at = _datetime_field(
        _("Kad izmaiņas kļuva zināmas"),
        required=False,
        help_text=_("Izmaiņas žurnālā reģistrē 24 stundu laikā (48. p.); tukšs — tagad."),
    )

    class Meta:
        model = Incident
        fields = [
            "kind",
            "title",
            "detected_at",
            "occurred_at",
            "type_codes",
            "description",
            "causes",
            "indicators",
            "impact",
            "systems",
            "resolution",
            "resolved_at",
            "tlp",
            "trust_service_impact",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "causes": forms.Textarea(attrs={"rows": 2}),
            "indicators": forms.Textarea(attrs={"rows": 3}),
            "impact": forms.Textarea(attrs={"rows": 3}),
            "systems": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "indicators": _("IP adreses, domēni, URL, datņu jaucējvērtības — pa vienai rindā (p. 49.4)"),
            "tlp": _("Traffic Light Protocol: kā informāciju drīkst izplatīt tālāk"),
        }

    def __init__(self, *args: Any, organisation: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type_codes"].choices = catalogue.type_choices()
        from kiber.assets.models import InformationSystem

        systems = self.fields["systems"]
        systems.queryset = InformationSystem.objects.filter(organisation=organisation).order_by("name")
        systems.required = False
        systems.help_text = _("No IKT resursu kataloga")
        if self.instance.pk:
            self.initial["affected_other"] = "\n".join(self.instance.affected_systems)
        self.order_fields([*self.Meta.fields[:10], "affected_other"])
        if not self.instance.pk:  # only a change of an existing entry has a moment it became known
            del self.fields["change_known_at"]
        self.fields["resolution"].choices = Resolution.choices
        self.fields["tlp"].choices = Tlp.choices

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        detected, occurred = data.get("detected_at"), data.get("occurred_at")
        if detected and detected > timezone.now() + timezone.timedelta(minutes=5):
            self.add_error("detected_at", _("Konstatēšanas laiks nevar būt nākotnē."))
        if detected and occurred and occurred > detected:
            self.add_error("occurred_at", _("Kiberincidents nevar notikt pēc tā konstatēšanas."))
        known = data.get("change_known_at")
        if known and (known > timezone.now() + timezone.timedelta(minutes=5) or (detected and known < detected)):
            self.add_error("change_known_at", _("Izmaiņas var kļūt zināmas no konstatēšanas brīža līdz šim brīdim."))
        return data

    def service_data(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("systems", "affected_other")}
        data["affected_systems"] = [
            line.strip() for line in self.cleaned_data.get("affected_other", "").splitlines() if line.strip()
        ]
        return data


class SignificanceForm(VersionedForm):
    """The guided assessment (p. 120–121): its answers are the input of the ``significance`` rule."""

    SECTIONS = [
        (_("Pakalpojums"), ["entity_type", "scheduled_maintenance"]),
        (
            _("Pieejamība"),
            [
                "complete_unavailability_minutes",
                "limited_availability_minutes",
                "users_total_eu",
                "users_affected_eu",
                "avg_response_time_seconds",
                "slow_response_minutes",
                "weekly_unavailability_minutes",
            ],
        ),
        (
            _("Dati un piekļuve"),
            [
                "data_compromised",
                "suspected_malicious",
                "users_data_compromised_eu",
                "malicious_unauthorised_access_severe",
                "trade_secret_exfiltration",
                "physical_access_compromised",
                "domains_incorrect",
                "domains_managed",
                "misconfiguration",
            ],
        ),
        (_("Kaitējums"), ["direct_financial_loss_eur", "deaths", "considerable_health_damage"]),
        (_("Lēmums"), ["decide_significant", "override_reason"]),
    ]

    entity_type = forms.ChoiceField(
        label=_("Kādu pakalpojumu kiberincidents skar?"),
        choices=EntityType.choices,
        help_text=_("Nosaka, kuri CIR 2024/2690 5.–14. panta kritēriji piemērojami"),
    )
    scheduled_maintenance = forms.BooleanField(
        label=_("Tas ir plānots uzturēšanas pārtraukums"), required=False, help_text="CIR 2024/2690 Art.3(2)"
    )
    complete_unavailability_minutes = forms.FloatField(
        label=_("Pilnīgas nepieejamības ilgums, minūtes"), min_value=0, required=False
    )
    limited_availability_minutes = forms.FloatField(
        label=_("Ierobežotas pieejamības ilgums, minūtes"), min_value=0, required=False
    )
    users_total_eu = forms.IntegerField(label=_("Pakalpojuma lietotāju skaits ES"), min_value=0, required=False)
    users_affected_eu = forms.IntegerField(label=_("Ietekmēto lietotāju skaits ES"), min_value=0, required=False)
    avg_response_time_seconds = forms.FloatField(
        label=_("Vidējais atbildes laiks, sekundes (DNS, TLD)"), min_value=0, required=False
    )
    slow_response_minutes = forms.FloatField(
        label=_("Palēnināto atbilžu periods, minūtes"), min_value=0, required=False
    )
    weekly_unavailability_minutes = forms.FloatField(
        label=_("Nepieejamība kalendārajā nedēļā, minūtes (uzticamības pakalpojumi)"), min_value=0, required=False
    )
    data_compromised = forms.BooleanField(
        label=_("Datu integritāte, konfidencialitāte vai autentiskums ir apdraudēts"), required=False
    )
    suspected_malicious = forms.BooleanField(label=_("Ir aizdomas par ļaunprātīgu darbību"), required=False)
    users_data_compromised_eu = forms.IntegerField(
        label=_("Lietotāju skaits, kuru dati apdraudēti"), min_value=0, required=False
    )
    malicious_unauthorised_access_severe = forms.BooleanField(
        label=_("Ļaunprātīga nesankcionēta piekļuve, kas var radīt nopietnus darbības traucējumus"),
        required=False,
    )
    trade_secret_exfiltration = forms.BooleanField(label=_("Komercnoslēpumu nopludināšana"), required=False)
    physical_access_compromised = forms.BooleanField(
        label=_("Apdraudēta fiziskā piekļuve (datu centri, uzticamības pakalpojumi)"), required=False
    )
    domains_incorrect = forms.IntegerField(label=_("Nepareizi atrisināto domēnu skaits"), min_value=0, required=False)
    domains_managed = forms.IntegerField(label=_("Pārvaldīto domēnu skaits"), min_value=0, required=False)
    misconfiguration = forms.BooleanField(label=_("Cēlonis ir nepareiza konfigurācija"), required=False)
    direct_financial_loss_eur = forms.FloatField(
        label=_("Tiešie finansiālie zaudējumi, EUR"), min_value=0, required=False
    )
    deaths = forms.IntegerField(label=_("Bojāgājušo skaits"), min_value=0, required=False)
    considerable_health_damage = forms.BooleanField(label=_("Būtisks kaitējums veselībai"), required=False)
    decide_significant = forms.BooleanField(
        label=_("Uzskatīt par nozīmīgu arī tad, ja neviens kritērijs nav izpildīts"),
        required=False,
        help_text="NIS2 Art.23(3)",
    )
    override_reason = forms.CharField(
        label=_("Pamatojums"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decide_significant") and not (data.get("override_reason") or "").strip():
            self.add_error("override_reason", _("Norādiet pamatojumu."))
        return data

    def sections(self) -> list[tuple[Any, list[Any]]]:
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def facts(self) -> dict[str, Any]:
        skip = {"entity_type", "decide_significant", "override_reason", "version"}
        facts: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if name in skip or value in (None, "", False):
                continue
            facts[name] = float(value) if isinstance(value, float) else value
        return facts


class ReportForm(forms.Form):
    """One report stage, generated from the question catalogue (kiber.catalogue report_forms.yaml)."""

    def __init__(self, *args: Any, stage: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stage = stage
        for q in catalogue.questions(stage):
            self.fields[q.key] = self._field(q)

    @staticmethod
    def _field(q: Any) -> forms.Field:
        label, help_text, required = catalogue.label(q), catalogue.help_text(q), q.required
        if q.type == "text":
            return forms.CharField(label=label, help_text=help_text, required=required, max_length=2000)
        if q.type == "textarea":
            return forms.CharField(
                label=label, help_text=help_text, required=required, widget=forms.Textarea(attrs={"rows": 3})
            )
        if q.type == "bool":
            return forms.BooleanField(label=label, help_text=help_text, required=False)
        if q.type == "integer":
            return forms.IntegerField(label=label, help_text=help_text, required=required, min_value=0)
        if q.type == "datetime":
            return _datetime_field(label, required, help_text or _("Rīgas laiks"))
        if q.options_from == "incident_types":
            choices = catalogue.type_choices()
        else:
            choices = [(o.value, catalogue.label(o)) for o in q.options or ()]
        if q.type == "choice":
            return forms.ChoiceField(
                label=label, help_text=help_text, required=required, choices=[("", "—"), *choices]
            )
        return forms.MultipleChoiceField(
            label=label, help_text=help_text, required=required, choices=choices, widget=forms.CheckboxSelectMultiple
        )

    def answers(self) -> dict[str, Any]:
        """Cleaned values as JSON answers for ``answers.clean`` (datetimes with their offset)."""
        result: dict[str, Any] = {}
        for key, value in self.cleaned_data.items():
            if isinstance(value, datetime):
                value = timezone.localtime(value).isoformat()
            result[key] = value
        return result


class VoluntaryForm(forms.Form):
    """p. 123: a non-significant incident, a near miss or a cyber threat, in free form."""

    description = forms.CharField(
        label=_("Apraksts brīvā formā"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000
    )


class FeedbackForm(VersionedForm):
    feedback = forms.CharField(label=_("Sākotnējā atgriezeniskā saite"), widget=forms.Textarea(attrs={"rows": 3}))


class IntermediateRequestForm(VersionedForm):
    note = forms.CharField(label=_("Kas jāprecizē"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    due_at = _datetime_field(_("Iesniegt līdz"), required=False)


class ReviewForm(forms.Form):
    status = forms.ChoiceField(label=_("Izskatīšanas statuss"), choices=Review.choices)
    note = forms.CharField(label=_("Piezīme"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class LinkForm(forms.Form):
    reference = forms.CharField(label=_("Saistītā incidenta numurs vai ID"), max_length=64)


class StatsForm(forms.Form):
    # Not "No": Django's own Latvian catalogue translates that English msgid to "Nē".
    start = forms.DateField(label=_("Periods no"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Periods līdz"), widget=forms.DateInput(attrs={"type": "date"}))


SIGNIFICANCE_LABELS = dict(Significance.choices)
