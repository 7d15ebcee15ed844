"""Forms of the reporting workflow."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kiber.plans.choices import Progress, Status
from kiber.versioning import VersionedForm


class ProgressForm(VersionedForm):
    progress = forms.ChoiceField(label=_("Izpilde"), choices=Progress.choices, widget=forms.RadioSelect)
    work_ongoing = forms.BooleanField(label=_("Darbības izpildei tiek veiktas"), required=False)
    relevant = forms.BooleanField(label=_("Uzdevums joprojām ir aktuāls"), required=False, initial=True)
    continues = forms.BooleanField(label=_("Uzdevums tiks īstenots arī turpmāk"), required=False)
    description = forms.CharField(label=_("Apraksts par uzdevuma vai pasākuma izpildi"),
                                  widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=20000)
    challenges = forms.CharField(label=_("Izpildes gaitā konstatētie izaicinājumi"),
                                 widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=20000)

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if data.get("progress") == Progress.DONE and not data.get("description", "").strip():
            self.add_error("description", _("Aprakstiet, kā uzdevums izpildīts."))
        if data.get("relevant") is False and not data.get("description", "").strip():
            self.add_error("description", _("Pamatojiet, kāpēc uzdevums zaudējis aktualitāti."))
        return data


class OverrideForm(VersionedForm):
    status = forms.ChoiceField(label=_("Statuss"), choices=[("", _("— aprēķinātais (bez izmaiņām) —")),
                                                            *Status.choices], required=False)
    reason = forms.CharField(label=_("Pamatojums"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                             max_length=2000)

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if data.get("status") and not data.get("reason", "").strip():
            self.add_error("reason", _("Norādiet pamatojumu."))
        return data


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Nosaukums"), max_length=200)
    as_of = forms.DateField(label=_("Informācija uz datumu"), widget=forms.DateInput(attrs={"type": "date"}))
