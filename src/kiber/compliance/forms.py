"""Forms of the compliance pages (validation of business rules is in ``services``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kiber.compliance.models import AnswerStatus, Decision
from kiber.compliance.services import MAX_FREQUENCY_YEARS
from kiber.versioning import VersionedForm


class AnswerForm(VersionedForm):
    """One item's answer; ``version`` is the answer's version the editor saw (0: not answered yet)."""

    status = forms.ChoiceField(label=_("Atbilde"), choices=AnswerStatus.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Komentārs"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    justification = forms.CharField(
        label=_("Pamatojums neattiecināmībai"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Obligāts, ja prasība nav attiecināma; uzraugs to redz."),
    )
    gap_owner = forms.CharField(label=_("Atbildīgais par novēršanu"), required=False, max_length=200)
    target_date = forms.DateField(
        label=_("Novēršanas termiņš"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Pierādījuma fails"),
        help_text=_("PDF, PNG, JPG, DOCX, XLSX, ODT, ODS, TXT, CSV vai LOG; līdz 10 MB."),
    )
    description = forms.CharField(label=_("Apraksts"), required=False, max_length=255)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Lēmums"), choices=Decision.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Komentārs subjektam"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class FrequencyForm(VersionedForm):
    """NKC's decision on another self-assessment frequency (p. 151.2); empty years restores the rule's."""

    years = forms.IntegerField(
        label=_("Pašnovērtējuma biežums, gadi"),
        min_value=1,
        max_value=MAX_FREQUENCY_YEARS,
        required=False,
        help_text=_("Tukšs: pēc noteikumiem (reizi trijos gados, 151.2. p.)."),
    )
    reason = forms.CharField(label=_("Pamatojums"), widget=forms.Textarea(attrs={"rows": 3}))
