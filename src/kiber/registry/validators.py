"""Format checks of Latvian identifiers and network ranges, shared by forms, API and services."""

from __future__ import annotations

import ipaddress
import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

REGISTRATION_NUMBER = re.compile(r"^\d{11}$")
PERSONAL_CODE = re.compile(r"^(\d{6})-?(\d{5})$")


def validate_registration_number(value: str) -> None:
    """A Latvian registration number (Uzņēmumu reģistrs / tiešās pārvaldes iestāde) has 11 digits."""
    if not REGISTRATION_NUMBER.match(value or ""):
        raise ValidationError(
            _("Reģistrācijas numuram jābūt 11 cipariem (piemēram, 40003000001)."), code="registration_number"
        )


def normalise_personal_code(value: str) -> str:
    """``DDMMYY-CNNNN`` or the newer ``32NNNN-NNNNN``; returned with the hyphen."""
    value = (value or "").strip()
    match = PERSONAL_CODE.match(value)
    if not match:
        raise ValidationError(
            _("Personas kodam jābūt formā 010180-10000 (11 cipari, defise pēc sestā)."), code="personal_code"
        )
    return f"{match.group(1)}-{match.group(2)}"


def birth_date_from_personal_code(code: str) -> date | None:
    """The birth date encoded in an old-format personal code; None for the anonymous ``32...`` codes."""
    digits = code.replace("-", "")
    if digits.startswith("32"):
        return None
    century = {"0": 1800, "1": 1900, "2": 2000}.get(digits[6])
    if century is None:
        return None
    try:
        return date(century + int(digits[4:6]), int(digits[2:4]), int(digits[0:2]))
    except ValueError:
        return None


def parse_ip_ranges(text: str) -> list[str]:
    """One CIDR range per line (or comma-separated); every entry must be a valid IPv4/IPv6 network."""
    ranges: list[str] = []
    bad: list[str] = []
    for item in re.split(r"[\s,;]+", text or ""):
        if not item:
            continue
        try:
            ranges.append(str(ipaddress.ip_network(item, strict=True)))
        except ValueError:
            bad.append(item)
    if bad:
        raise ValidationError(
            _("Nederīgi IP adrešu apgabali (CIDR, piemēram, 195.13.128.0/20): %(bad)s"),
            code="cidr",
            params={"bad": ", ".join(bad)},
        )
    return ranges
