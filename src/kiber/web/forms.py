"""Sign-in forms: password first, then the TOTP code."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class OtpForm(forms.Form):
    token = forms.RegexField(
        label=_("Vienreizējais kods"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("Ievadiet 6 ciparu kodu no autentifikācijas lietotnes.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )
