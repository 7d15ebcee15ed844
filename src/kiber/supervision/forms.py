"""Forms of the auditor register. People lists (p. 93.1.2–93.1.4) are typed one per line: ``Name; LV, EE``."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kiber.assets.models import InformationSystem
from kiber.registry.choices import Role
from kiber.registry.models import Organisation, User
from kiber.rules.country_groups import ISO_3166_ALPHA2
from kiber.supervision.choices import (
    GUARANTEES,
    AuditorKind,
    AuditorStatus,
    CertificateKind,
    Ground,
    PentestTrigger,
    RemovalReason,
    ScanPerformer,
    SensorEventKind,
)
from kiber.supervision.models import Audit, AuditFinding, Auditor, NonCompliance, Pentest
from kiber.versioning import VersionedForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _codes(text: str, what: str) -> list[str]:
    codes = [c.strip().upper() for c in re.split(r"[,\s]+", text) if c.strip()]
    unknown = [c for c in codes if c not in ISO_3166_ALPHA2]
    if unknown:
        raise forms.ValidationError(
            gettext("%(what)s: nezināms valsts kods %(codes)s (ISO 3166-1, piem., LV, EE, DE).")
            % {"what": what, "codes": ", ".join(unknown)}
        )
    return codes


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def people_text(people: list[dict[str, Any]]) -> str:
    return "\n".join(f"{p['name']}; {', '.join(p['citizenships'])}" for p in people)


def shareholders_text(holders: list[dict[str, Any]]) -> str:
    rows = []
    for h in holders:
        if h["kind"] == AuditorKind.LEGAL:
            rows.append(f"{h['name']}; J; {h['registration_country']}")
        else:
            rows.append(f"{h['name']}; F; {', '.join(h['citizenships'])}")
    return "\n".join(rows)


class AuditorForm(VersionedForm, forms.ModelForm):
    """The Annex 14 data (fields from p. 125 and p. 93) and the accounts of the auditor's people."""

    citizenships = forms.CharField(
        label=_("Pilsonība (fiziskai personai)"), required=False, help_text=_("Valstu kodi, piem., LV, EE.")
    )
    board_members = forms.CharField(
        label=_("Valdes un padomes locekļi (93.1.2.)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Katrs savā rindā: vārds, uzvārds; pilsonības valstu kodi. Piem.: Jānis Bērziņš; LV"),
    )
    beneficial_owners = forms.CharField(
        label=_("Patiesie labuma guvēji (93.1.3.)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Katrs savā rindā: vārds, uzvārds; pilsonības valstu kodi."),
    )
    shareholders = forms.CharField(
        label=_("Dalībnieki un kapitāla daļu turētāji (93.1.4.)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Katrs savā rindā: nosaukums; J (juridiska persona) vai F (fiziska); valsts kods."),
    )
    users = forms.ModelMultipleChoiceField(
        label=_("Auditora lietotāju konti"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Konti ar lomu „Auditors”; tie redz auditus, kuros auditors norādīts, un ziņo par izmaiņām."),
    )

    class Meta:
        model = Auditor
        fields = [
            "kind",
            "name",
            "registration_number",
            "registration_country",
            "citizenships",
            "address",
            "email",
            "phone",
            "website",
            "contact_person",
            "board_members",
            "beneficial_owners",
            "shareholders",
            "technical_capability",
            "application_signed_on",
        ]
        widgets = {"application_signed_on": DATE, "technical_capability": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["users"].queryset = User.objects.filter(role=Role.AUDITOR, is_active=True).order_by("username")
        self.fields["technical_capability"].required = True
        self.fields["technical_capability"].help_text = _(
            "Kā auditors nosaka tīklu, informācijas sistēmu, IKT resursu un procedūru atbilstību (125.3.)."
        )
        self.fields["registration_country"].help_text = _("Juridiskai personai: valsts kods, piem., LV.")
        if self.instance.pk:
            self.initial.update(
                citizenships=", ".join(self.instance.citizenships),
                board_members=people_text(self.instance.board_members),
                beneficial_owners=people_text(self.instance.beneficial_owners),
                shareholders=shareholders_text(self.instance.shareholders),
                users=list(self.instance.users.all()),
            )

    def clean_registration_country(self) -> str:
        text = self.cleaned_data.get("registration_country", "")
        codes = _codes(text, gettext("Reģistrācijas valsts")) if text else []
        if len(codes) > 1:
            raise forms.ValidationError(gettext("Norādiet vienu valsti."))
        return codes[0] if codes else ""

    def clean_citizenships(self) -> list[str]:
        return _codes(self.cleaned_data.get("citizenships", ""), gettext("Pilsonība"))

    def _people(self, name: str) -> list[dict[str, Any]]:
        people = []
        for number, line in enumerate(_lines(self.cleaned_data.get(name, "")), start=1):
            person, _sep, countries = line.partition(";")
            if not person.strip() or not countries.strip():
                raise forms.ValidationError(
                    gettext("%(n)s. rinda: rakstiet „vārds, uzvārds; valstu kodi”.") % {"n": number}
                )
            people.append({"name": person.strip(), "citizenships": _codes(countries, f"{number}.")})
        return people

    def clean_board_members(self) -> list[dict[str, Any]]:
        return self._people("board_members")

    def clean_beneficial_owners(self) -> list[dict[str, Any]]:
        return self._people("beneficial_owners")

    def clean_shareholders(self) -> list[dict[str, Any]]:
        holders = []
        for number, line in enumerate(_lines(self.cleaned_data.get("shareholders", "")), start=1):
            parts = [p.strip() for p in line.split(";")]
            if len(parts) != 3 or parts[1].upper() not in ("J", "F") or not parts[0]:
                raise forms.ValidationError(
                    gettext("%(n)s. rinda: rakstiet „nosaukums; J vai F; valsts kods”.") % {"n": number}
                )
            codes = _codes(parts[2], f"{number}.")
            if parts[1].upper() == "J":
                if len(codes) != 1:
                    raise forms.ValidationError(
                        gettext("%(n)s. rinda: juridiskai personai viena valsts.") % {"n": number}
                    )
                holders.append({"name": parts[0], "kind": AuditorKind.LEGAL.value, "registration_country": codes[0]})
            else:
                holders.append({"name": parts[0], "kind": AuditorKind.NATURAL.value, "citizenships": codes})
        return holders

    def service_data(self) -> dict[str, Any]:
        data = {k: self.cleaned_data[k] for k in self.Meta.fields}
        data["version"] = self.cleaned_data.get("version")
        if data["kind"] == AuditorKind.NATURAL:  # p. 93.2: only citizenship counts for a natural person
            data.update(registration_country="", board_members=[], beneficial_owners=[], shareholders=[])
        else:
            data["citizenships"] = []
        return data


class CertificateForm(forms.Form):
    certificate_kind = forms.ChoiceField(label=_("Sertifikāts (125.2.)"), choices=CertificateKind.choices)
    certificate_other_name = forms.CharField(label=_("Cita sertifikāta nosaukums"), required=False, max_length=100)
    certificate_holder = forms.CharField(label=_("Sertifikāta turētājs"), max_length=200)
    certificate_number = forms.CharField(label=_("Sertifikāta numurs"), required=False, max_length=100)
    certificate_valid_until = forms.DateField(label=_("Derīgs līdz"), required=False, widget=DATE)
    certificate_file = forms.FileField(
        label=_("Sertifikāta kopija (126.2.)"), help_text=_("PDF, PNG vai JPG; līdz 10 MB.")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("certificate_kind") == CertificateKind.OTHER and not data.get("certificate_other_name", "").strip():
            self.add_error("certificate_other_name", gettext("Norādiet sertifikāta nosaukumu."))
        return data


class RemoveForm(VersionedForm):
    reason = forms.ChoiceField(
        label=_("Izslēgšanas pamats (128. p.)"), choices=RemovalReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Lēmuma pamatojums"), widget=forms.Textarea(attrs={"rows": 3}))


class ChangeReportForm(forms.Form):
    changed_on = forms.DateField(label=_("Kad ziņas mainījās"), widget=DATE)
    description = forms.CharField(label=_("Kas mainījās"), widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Piezīme"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AuditForm(VersionedForm, forms.ModelForm):
    """An audit as the subject records it: auditor from the register, audited systems, the p. 130 checklist."""

    systems = forms.ModelMultipleChoiceField(
        label=_("Auditējamās informācijas sistēmas"),
        queryset=InformationSystem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Audit
        fields = [
            "auditor",
            "scope",
            "contract_signed_on",
            "guarantee_130_1",
            "guarantee_130_2",
            "guarantee_130_3",
            "guarantee_130_4",
            "auditor_last_involved_on",
            "sab_opinion_on",
            "sab_opinion_reference",
            "status",
            "starts_on",
            "completed_on",
        ]
        widgets = {
            "scope": forms.Textarea(attrs={"rows": 2}),
            "contract_signed_on": DATE,
            "auditor_last_involved_on": DATE,
            "sab_opinion_on": DATE,
            "starts_on": DATE,
            "completed_on": DATE,
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        registered = Auditor.objects.filter(status=AuditorStatus.REGISTERED)
        if self.instance.pk:  # an audit keeps its auditor even if the auditor was removed later
            registered = registered | Auditor.objects.filter(pk=self.instance.auditor_id)
        self.fields["auditor"].queryset = registered.order_by("name")
        self.fields["auditor"].label = _("Auditors (no kiberdrošības auditoru saraksta)")
        self.fields["systems"].queryset = InformationSystem.objects.filter(organisation=organisation)
        for field, point, label in GUARANTEES:
            self.fields[field].label = f"{label} ({point}.)"
        self.fields["auditor_last_involved_on"].help_text = _(
            "Tukšs, ja auditors nekad nav piedalījies. Ja tas bijis pēdējo trīs gadu laikā pirms līguma, audits nav "
            "neatkarīgs (130.3. p.)."
        )
        if organisation.is_ci_owner:
            self.fields["sab_opinion_on"].help_text = _("IKT kritiskās infrastruktūras īpašniekam obligāts (131. p.).")
        else:
            del self.fields["sab_opinion_on"], self.fields["sab_opinion_reference"]
        if self.instance.pk:
            self.initial["systems"] = list(self.instance.systems.all())

    def service_data(self) -> dict[str, Any]:
        data = {k: self.cleaned_data.get(k) for k in self.Meta.fields}
        data["sab_opinion_reference"] = data.get("sab_opinion_reference") or ""
        data["version"] = self.cleaned_data.get("version")
        return data


class FindingForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = AuditFinding
        fields = ["title", "severity", "requirement", "action", "owner", "due_on", "status", "done_on", "note"]
        widgets = {
            "action": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 2}),
            "due_on": DATE,
            "done_on": DATE,
        }

    def service_data(self) -> dict[str, Any]:
        return {**{k: self.cleaned_data.get(k) for k in self.Meta.fields}, "version": self.cleaned_data.get("version")}


class ReportForm(forms.Form):
    report = forms.FileField(label=_("Audita ziņojums"), help_text=_("PDF, DOCX vai ODT; līdz 20 MB."))


class SystemChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        klass = f" · {obj.security_class}" if obj.security_class else ""
        return f"{obj.organisation.name} — {obj.name}{klass}"


class PentestOrderForm(forms.Form):
    """NKC or SAB orders a test (p. 132.3) and records why (p. 140)."""

    system = SystemChoice(label=_("Informācijas sistēma"), queryset=InformationSystem.objects.none())
    grounds = forms.MultipleChoiceField(
        label=_("Apsvērumi (140. p., vismaz viens)"),
        choices=Ground.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = forms.CharField(label=_("Pieprasījuma pamatojums"), widget=forms.Textarea(attrs={"rows": 2}))
    due_by = forms.DateField(label=_("Veikt līdz"), required=False, widget=DATE)

    def __init__(self, *args: Any, systems: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = systems


class PentestForm(VersionedForm, forms.ModelForm):
    """Who tests and the results (p. 133–135), as the subject records them."""

    class Meta:
        model = Pentest
        fields = [
            "tester",
            "tester_name",
            "tester_certificate",
            "tester_experience_years",
            "tester_last_involved_on",
            "sab_opinion_on",
            "status",
            "performed_on",
            "results_on",
            "results_summary",
            "results_sent_to_sab_on",
        ]
        widgets = {
            "tester_last_involved_on": DATE,
            "sab_opinion_on": DATE,
            "performed_on": DATE,
            "results_on": DATE,
            "results_sent_to_sab_on": DATE,
            "results_summary": forms.Textarea(attrs={"rows": 3}),
        }

    def service_data(self) -> dict[str, Any]:
        return {**{k: self.cleaned_data.get(k) for k in self.Meta.fields}, "version": self.cleaned_data.get("version")}


class PentestCreateForm(PentestForm):
    system = forms.ModelChoiceField(label=_("Informācijas sistēma"), queryset=InformationSystem.objects.none())
    trigger = forms.ChoiceField(
        label=_("Pamats (132. p.)"), choices=[c for c in PentestTrigger.choices if c[0] != PentestTrigger.ORDERED]
    )
    field_order = ["system", "trigger"]

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = InformationSystem.objects.filter(organisation=organisation)


class NonComplianceForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(label=_("Subjekts"), queryset=Organisation.objects.none())

    class Meta:
        model = NonCompliance
        fields = [
            "source",
            "source_reference",
            "requirement",
            "description",
            "found_on",
            "remedy_by",
            "public_body_type",
        ]
        widgets = {"found_on": DATE, "remedy_by": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    field_order = ["organisation"]

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["public_body_type"].help_text = _(
            "Nosaka, kam ziņo, ja neatbilstība netiek novērsta (155.–157. p.)."
        )


class DatedNoteForm(VersionedForm):
    on = forms.DateField(label=_("Datums"), widget=DATE)
    note = forms.CharField(label=_("Piezīme"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ScanForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Subjekts"), queryset=Organisation.objects.none())
    grounds = forms.MultipleChoiceField(
        label=_("Apsvērumi (140. p.)"), choices=Ground.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    performer = forms.ChoiceField(label=_("Veicējs (137., 141. p.)"), choices=ScanPerformer.choices)
    performer_name = forms.CharField(label=_("Veicēja nosaukums"), required=False, max_length=200)
    whole_infrastructure = forms.BooleanField(
        label=_("Visa IKT infrastruktūra (138. p.)"), required=False, initial=True
    )
    scope = forms.CharField(
        label=_("Apjoms, ja ne visa infrastruktūra"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    starts_at = forms.DateTimeField(
        label=_("Sākums"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    duration_hours = forms.IntegerField(label=_("Ilgums, stundas"), min_value=1, max_value=720)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class ScanResultsForm(forms.Form):
    results_summary = forms.CharField(label=_("Rezultātu kopsavilkums"), widget=forms.Textarea(attrs={"rows": 3}))
    recommendations = forms.CharField(label=_("Ieteikumi"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SensorForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Subjekts"), queryset=Organisation.objects.none())
    location = forms.CharField(label=_("Atrašanās vieta infrastruktūrā"), max_length=255)
    operator = forms.CharField(label=_("Izvieto un uztur (143. p.)"), initial="CERT.LV", max_length=200)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class SensorEventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Darbība"), choices=SensorEventKind.choices)
    on = forms.DateField(label=_("Datums"), widget=DATE)
    note = forms.CharField(label=_("Piezīme"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    inform_now = forms.BooleanField(
        label=_("Informēt subjektu tūlīt (paziņojums platformā, 147. p.)"), required=False, initial=True
    )


class SitingForm(forms.Form):
    csirt_soc_present = forms.BooleanField(
        label=_("Subjektā ir CERT.LV drošības operāciju centrs (150. p.)"), required=False
    )
    considerations = forms.MultipleChoiceField(
        label=_("Apsvērumi (145. p.)"), choices=Ground.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    note = forms.CharField(label=_("Piezīme"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
