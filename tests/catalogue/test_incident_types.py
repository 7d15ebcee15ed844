"""Annex 6 incident type codes against the seed."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from kiber.catalogue.loader import IncidentTypeCatalogue, load_incident_types
from tests.catalogue.seed import SEED, norm

EXPECTED_CODES = ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "99"]


def _annex6_rows() -> dict[str, str]:
    """Code -> Latvian name, parsed from the Annex 6 table of the seed ("NN <name>" lines)."""
    lines = [norm(line) for line in SEED.read_text(encoding="utf-8").splitlines()]
    start = lines.index("Kods Kiberincidenta vai gandrīz notikuša kiberincidenta veids")
    end = lines.index("7.", start)
    rows: dict[str, str] = {}
    for line in lines[start + 1 : end]:
        m = re.match(r"^(\d{2}) (.+)$", line)
        assert m, line
        rows[m[1]] = m[2]
    return rows


def test_codes_are_exactly_annex6() -> None:
    cat = load_incident_types()
    assert [t.code for t in cat.types] == EXPECTED_CODES
    assert list(_annex6_rows()) == EXPECTED_CODES


@pytest.mark.parametrize("code", EXPECTED_CODES)
def test_latvian_names_match_seed(code: str) -> None:
    assert load_incident_types().get(code).name_lv == _annex6_rows()[code]


def test_title_matches_seed() -> None:
    cat = load_incident_types()
    assert cat.annex == 6
    lines = [norm(line) for line in SEED.read_text(encoding="utf-8").splitlines()]
    idx = lines.index(cat.title_lv)
    assert lines[idx - 6 : idx - 4] == ["6.", "pielikums"]


def test_english_names_present_and_exercise_flag() -> None:
    cat = load_incident_types()
    assert all(t.name_en for t in cat.types)
    assert [t.code for t in cat.types if t.is_exercise] == ["99"]


def test_rejects_unknown_keys_and_duplicates() -> None:
    data = load_incident_types().model_dump()
    data["types"][0]["colour"] = "red"
    with pytest.raises(ValidationError):
        IncidentTypeCatalogue.model_validate(data)
    data = load_incident_types().model_dump()
    data["types"][1]["code"] = "01"
    with pytest.raises(ValidationError):
        IncidentTypeCatalogue.model_validate(data)
    data = load_incident_types().model_dump()
    data["types"][0]["code"] = "1"
    with pytest.raises(ValidationError):
        IncidentTypeCatalogue.model_validate(data)
