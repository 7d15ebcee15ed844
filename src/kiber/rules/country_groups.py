"""Country groups used by the rules, as ISO 3166-1 alpha-2 codes (data, not logic).

Sources and dates (check when the memberships change):

- ``NATO``: the 32 member states after Sweden's accession (7 March 2024).
- ``EU``: the 27 member states after the United Kingdom's withdrawal (31 January 2020). Greece is
  ``GR`` (ISO), not the EU's own abbreviation ``EL``.
- ``EFTA``: Iceland, Liechtenstein, Norway, Switzerland ("EBTA" in the draft).
- ``IP4``: NATO's four Indo-Pacific partners named in the draft's p. 93.1.1 ("NATO Indijas un Klusā
  okeāna reģiona sadarbības valstis") without listing them: Australia, Japan, the Republic of Korea
  and New Zealand (NATO's own list of its Indo-Pacific partners).
- ``RESTRICTED_P85``: p. 85.1 names the Russian Federation and the Republic of Belarus and "a state
  the European Parliament or the Saeima has recognised as a state supporting terrorism". Both have
  recognised only Russia (Saeima statement of 11 August 2022; European Parliament resolution of
  23 November 2022), so ``TERRORISM_SUPPORTING_STATES`` is ``{"RU"}``; add a code there if either
  body recognises another state.

An unknown code (not an officially assigned ISO 3166-1 alpha-2 code, e.g. ``UK`` or ``EL``) is an
input error; codes are read case-insensitively and stored upper-case.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator

ISO_3166_ALPHA2: frozenset[str] = frozenset(
    (
        "AD",
        "AE",
        "AF",
        "AG",
        "AI",
        "AL",
        "AM",
        "AO",
        "AQ",
        "AR",
        "AS",
        "AT",
        "AU",
        "AW",
        "AX",
        "AZ",
        "BA",
        "BB",
        "BD",
        "BE",
        "BF",
        "BG",
        "BH",
        "BI",
        "BJ",
        "BL",
        "BM",
        "BN",
        "BO",
        "BQ",
        "BR",
        "BS",
        "BT",
        "BV",
        "BW",
        "BY",
        "BZ",
        "CA",
        "CC",
        "CD",
        "CF",
        "CG",
        "CH",
        "CI",
        "CK",
        "CL",
        "CM",
        "CN",
        "CO",
        "CR",
        "CU",
        "CV",
        "CW",
        "CX",
        "CY",
        "CZ",
        "DE",
        "DJ",
        "DK",
        "DM",
        "DO",
        "DZ",
        "EC",
        "EE",
        "EG",
        "EH",
        "ER",
        "ES",
        "ET",
        "FI",
        "FJ",
        "FK",
        "FM",
        "FO",
        "FR",
        "GA",
        "GB",
        "GD",
        "GE",
        "GF",
        "GG",
        "GH",
        "GI",
        "GL",
        "GM",
        "GN",
        "GP",
        "GQ",
        "GR",
        "GS",
        "GT",
        "GU",
        "GW",
        "GY",
        "HK",
        "HM",
        "HN",
        "HR",
        "HT",
        "HU",
        "ID",
        "IE",
        "IL",
        "IM",
        "IN",
        "IO",
        "IQ",
        "IR",
        "IS",
        "IT",
        "JE",
        "JM",
        "JO",
        "JP",
        "KE",
        "KG",
        "KH",
        "KI",
        "KM",
        "KN",
        "KP",
        "KR",
        "KW",
        "KY",
        "KZ",
        "LA",
        "LB",
        "LC",
        "LI",
        "LK",
        "LR",
        "LS",
        "LT",
        "LU",
        "LV",
        "LY",
        "MA",
        "MC",
        "MD",
        "ME",
        "MF",
        "MG",
        "MH",
        "MK",
        "ML",
        "MM",
        "MN",
        "MO",
        "MP",
        "MQ",
        "MR",
        "MS",
        "MT",
        "MU",
        "MV",
        "MW",
        "MX",
        "MY",
        "MZ",
        "NA",
        "NC",
        "NE",
        "NF",
        "NG",
        "NI",
        "NL",
        "NO",
        "NP",
        "NR",
        "NU",
        "NZ",
        "OM",
        "PA",
        "PE",
        "PF",
        "PG",
        "PH",
        "PK",
        "PL",
        "PM",
        "PN",
        "PR",
        "PS",
        "PT",
        "PW",
        "PY",
        "QA",
        "RE",
        "RO",
        "RS",
        "RU",
        "RW",
        "SA",
        "SB",
        "SC",
        "SD",
        "SE",
        "SG",
        "SH",
        "SI",
        "SJ",
        "SK",
        "SL",
        "SM",
        "SN",
        "SO",
        "SR",
        "SS",
        "ST",
        "SV",
        "SX",
        "SY",
        "SZ",
        "TC",
        "TD",
        "TF",
        "TG",
        "TH",
        "TJ",
        "TK",
        "TL",
        "TM",
        "TN",
        "TO",
        "TR",
        "TT",
        "TV",
        "TW",
        "TZ",
        "UA",
        "UG",
        "UM",
        "US",
        "UY",
        "UZ",
        "VA",
        "VC",
        "VE",
        "VG",
        "VI",
        "VN",
        "VU",
        "WF",
        "WS",
        "YE",
        "YT",
        "ZA",
        "ZM",
        "ZW",
    )
)
"""Every officially assigned ISO 3166-1 alpha-2 code (249)."""

NATO: frozenset[str] = frozenset(
    "AL BE BG CA HR CZ DK EE FI FR DE GR HU IS IT LV LT LU ME NL MK NO PL PT RO SK SI ES SE TR GB US".split()
)
EU: frozenset[str] = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()
)
EFTA: frozenset[str] = frozenset({"IS", "LI", "NO", "CH"})
IP4: frozenset[str] = frozenset({"AU", "JP", "KR", "NZ"})

NATO_EU_EFTA: frozenset[str] = NATO | EU | EFTA
"""Citizenship accepted for an essential or important service provider's manager (p. 13.1, 14.1)."""

NATO_EU_EFTA_IP4: frozenset[str] = NATO_EU_EFTA | IP4
"""Registration and citizenship accepted for critical-infrastructure outsourcing (p. 93, 100.2)."""

TERRORISM_SUPPORTING_STATES: frozenset[str] = frozenset({"RU"})
RESTRICTED_P85: frozenset[str] = frozenset({"RU", "BY"}) | TERRORISM_SUPPORTING_STATES
"""States of p. 85.1: no outsourcing contract with their companies, citizens or manufacturers."""

_HINTS = {"UK": "GB", "EL": "GR"}


def _country_code(value: Any) -> Any:
    if not isinstance(value, str):
        raise ValueError("expected an ISO 3166-1 alpha-2 country code")
    code = value.strip().upper()
    if code not in ISO_3166_ALPHA2:
        hint = f" (did you mean {_HINTS[code]!r}?)" if code in _HINTS else ""
        raise ValueError(f"unknown ISO 3166-1 alpha-2 country code {value!r}{hint}")
    return code


CountryCode = Annotated[str, BeforeValidator(_country_code)]
"""An ISO 3166-1 alpha-2 code, validated and upper-cased; anything else is an input error."""
