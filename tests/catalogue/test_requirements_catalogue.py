"""The 22-TA-3183 requirement catalogue against its Latvian source text.

Run without Django: ``.venv/bin/pytest -p no:django tests/catalogue``.
"""

from __future__ import annotations

import hashlib
import re

import pytest
from pydantic import ValidationError

from kiber.catalogue.loader import (
    Applicability,
    RequirementCatalogue,
    RequirementItem,
    load_requirements,
    normalise_text,
)
from tests.catalogue.seed import SEED, SHARED_SEED, norm, points_in_chapters, seed_points

# Points of chapters 3-5 (p. 11-117) that deliberately have NO catalogue item, with the reason.
# Every other point number of those chapters must be in the catalogue.
_LEAD_IN = "lead-in only: the duty is stated by its sub-points (used as their lead_lv)"
_AUTHORITY = "duty of an authority (NCC/SAB), not of the subject"
_EXCEPTION = "exception to another point's duty; states no duty itself (cited in references/note_en)"
# fmt: off
EXCLUDED: dict[str, str] = {
    # --- lead-ins whose sentence is incomplete without the sub-points
    "11": _LEAD_IN, "12": _LEAD_IN, "13": _LEAD_IN, "14": _LEAD_IN, "23": _LEAD_IN, "28": _LEAD_IN,
    "30": _LEAD_IN, "41": _LEAD_IN, "42": _LEAD_IN, "43": _LEAD_IN, "46": _LEAD_IN, "49": _LEAD_IN,
    "51": _LEAD_IN, "52": _LEAD_IN, "53": _LEAD_IN, "55": _LEAD_IN, "56": _LEAD_IN, "59": _LEAD_IN,
    "67": _LEAD_IN, "70": _LEAD_IN, "71": _LEAD_IN, "72": _LEAD_IN, "73": _LEAD_IN, "76": _LEAD_IN,
    "77.1": _LEAD_IN, "82": _LEAD_IN, "84": _LEAD_IN, "85": _LEAD_IN, "86": _LEAD_IN, "86.3": _LEAD_IN,
    "87": _LEAD_IN, "87.3": _LEAD_IN, "93": _LEAD_IN, "93.1": _LEAD_IN, "95": _LEAD_IN, "100": _LEAD_IN,
    "103": _LEAD_IN, "112": _LEAD_IN,
    # --- duties of the Constitution Protection Bureau / National Cybersecurity Centre
    "15": _AUTHORITY,  # SAB checks the CI manager candidate
    "17": _AUTHORITY,  # SAB's one-month check deadline
    "39": _AUTHORITY,  # NCC+SAB security-class guidelines
    "83": _AUTHORITY,  # NCC+SAB encryption guidelines
    "96": _AUTHORITY, "96.1": _AUTHORITY, "96.1.1": _AUTHORITY, "96.1.2": _AUTHORITY,  # SAB vetting criteria
    "96.1.3": _AUTHORITY, "96.1.4": _AUTHORITY, "96.1.5": _AUTHORITY, "96.2": _AUTHORITY,
    "96.2.1": _AUTHORITY, "96.2.2": _AUTHORITY, "96.2.3": _AUTHORITY, "96.2.4": _AUTHORITY,
    "96.2.5": _AUTHORITY, "96.2.6": _AUTHORITY, "96.2.7": _AUTHORITY,
    "107": _AUTHORITY, "107.1": _AUTHORITY, "107.2": _AUTHORITY, "107.3": _AUTHORITY,  # SAB identifies CI
    "107.3.1": _AUTHORITY, "107.3.2": _AUTHORITY, "107.3.3": _AUTHORITY,
    "109": _AUTHORITY,  # SAB performs the p. 108 check per p. 96
    "110": _AUTHORITY,  # SAB may give recommendations
    # --- permissions and definitions
    "24": "permission (\"var veidot\"): each document may be one or several documents",
    "34": "definition of information-system class A/B/C (the duty to classify is p. 33)",
    "34.1": "definition of class A information system", "34.2": "definition of class B information system",
    "34.3": "definition of class C information system",
    # --- exceptions
    "21": _EXCEPTION,  # to p. 20 (five-ESP limit)
    "94": _EXCEPTION, "94.1": _EXCEPTION, "94.2": _EXCEPTION,  # to p. 93
    "102": _EXCEPTION, "102.1": _EXCEPTION, "102.2": _EXCEPTION,  # to p. 100
}
# fmt: on

ID_RE = re.compile(r"^22-TA-3183:[1-9]\d*(\.[1-9]\d*)*$")
ALL_TIERS = {"ci_owner", "essential", "important"}


@pytest.fixture(scope="module")
def catalogue() -> RequirementCatalogue:
    return load_requirements()


def _items() -> list[RequirementItem]:
    return list(load_requirements().items)


def test_vendored_seed_is_the_source(catalogue: RequirementCatalogue) -> None:
    digest = hashlib.sha256(SEED.read_bytes()).hexdigest()
    assert catalogue.source.sha256 == digest
    if SHARED_SEED.exists():
        assert hashlib.sha256(SHARED_SEED.read_bytes()).hexdigest() == digest


def test_seed_parser_sees_chapters_3_to_5() -> None:
    numbers = points_in_chapters(3, 4, 5)
    assert numbers[0] == "11" and numbers[-1] == "117"
    top_level = [n for n in numbers if "." not in n]
    assert top_level == [str(n) for n in range(11, 118)]


def test_every_duty_point_is_catalogued(catalogue: RequirementCatalogue) -> None:
    seed = set(points_in_chapters(3, 4, 5))
    catalogued = {i.point for i in catalogue.items}
    assert set(EXCLUDED) <= seed, set(EXCLUDED) - seed
    assert not catalogued & set(EXCLUDED), catalogued & set(EXCLUDED)
    assert catalogued - seed == set(), "items not in chapters 3-5 of the seed"
    assert seed - set(EXCLUDED) - catalogued == set(), "duty points missing from the catalogue"


def test_items_follow_seed_order(catalogue: RequirementCatalogue) -> None:
    order = {n: i for i, n in enumerate(seed_points())}
    positions = [order[i.point] for i in catalogue.items]
    assert positions == sorted(positions)


@pytest.mark.parametrize("item", _items(), ids=lambda i: i.point)
def test_text_lv_is_the_seed_text(item: RequirementItem) -> None:
    seed = seed_points()
    assert item.text_lv == seed[item.point].text
    if item.lead_points:
        assert item.lead_lv == " ".join(seed[p].text for p in item.lead_points)


@pytest.mark.parametrize("item", _items(), ids=lambda i: i.point)
def test_chapter_and_section_match_seed(item: RequirementItem) -> None:
    sp = seed_points()[item.point]
    assert (item.chapter.number, item.chapter.title_lv) == (sp.chapter, sp.chapter_title)
    if sp.section is None:
        assert item.section is None
    else:
        assert item.section is not None
        assert (item.section.number, item.section.title_lv) == (sp.section, sp.section_title)


def test_normalisation_rule() -> None:
    assert norm("a \n\u00a0 b\t c  ") == "a b c"
    assert normalise_text("  x\u00a0\u00a0y\n") == "x y"


def test_ids_unique_and_stable(catalogue: RequirementCatalogue) -> None:
    ids = [i.id for i in catalogue.items]
    assert len(ids) == len(set(ids))
    for item in catalogue.items:
        assert ID_RE.match(item.id), item.id
        assert item.id == f"22-TA-3183:{item.point}"


def test_applicability_values_valid(catalogue: RequirementCatalogue) -> None:
    for item in catalogue.items:
        at = item.applies_to
        assert set(at.tiers) <= ALL_TIERS
        assert at.classes is None or set(at.classes) <= {"A", "B", "C"}
        for cond in at.conditions:
            assert cond.key in catalogue.conditions
        assert item.evidence


# Duty bearer named at the start of the point (or of its outermost lead-in) -> expected tiers.
_BEARERS = [
    ("IKT kritiskās infrastruktūras īpašnieks vai tiesiskais valdītājs un būtisko", {"ci_owner", "essential"}),
    ("IKT kritiskās infrastruktūras īpašniek", {"ci_owner"}),
    ("Būtisko pakalpojum", {"essential"}),
    ("Svarīgo pakalpojumu sniedzējs", {"important"}),
    ("Subjekt", ALL_TIERS),
]


@pytest.mark.parametrize("item", _items(), ids=lambda i: i.point)
def test_tiers_match_named_duty_bearer(item: RequirementItem) -> None:
    opening = seed_points()[item.lead_points[0]].text if item.lead_points else item.text_lv
    for prefix, tiers in _BEARERS:
        if opening.startswith(prefix):
            assert set(item.applies_to.tiers) == tiers, (item.point, opening[:60])
            return


_CLASS_RE = re.compile(r"\b([ABC])(?:,? (?:un|vai) ([ABC]))? (?:konfidencialitātes )?klases")
# Items that mention IS classes but are not class-scoped per system, and why.
_CLASS_MENTION_NOT_SCOPE = {
    "35": "deems every CI-set system class A (classification rule)",
    "41.1": "class A is a condition on the subject (has_class_a_system), not a per-system scope",
    "41.2": "absence of class A is a condition on the subject (no_class_a_system)",
    "75": "manager's control duty is subject-wide; only the check frequency is per class",
}


@pytest.mark.parametrize("item", _items(), ids=lambda i: i.point)
def test_classes_match_text(item: RequirementItem) -> None:
    seed = seed_points()
    found = _CLASS_RE.findall(item.text_lv)
    if not found:
        for lead in reversed(item.lead_points):
            found = _CLASS_RE.findall(seed[lead].text)
            if found:
                break
    mentioned = {c for pair in found for c in pair if c}
    if item.point in _CLASS_MENTION_NOT_SCOPE:
        assert item.applies_to.classes is None
        return
    if mentioned:
        assert item.applies_to.classes is not None and set(item.applies_to.classes) == mentioned, item.point
        expected_basis = (
            "confidentiality"
            if "konfidencialitātes klases" in (item.text_lv + " " + (item.lead_lv or ""))
            else "system"
        )
        assert item.applies_to.class_basis == expected_basis
    else:
        assert item.applies_to.classes is None, item.point


@pytest.mark.parametrize(
    ("point", "tiers", "classes", "per_system"),
    [
        ("53.1", {"ci_owner", "essential", "important"}, ("A",), True),
        ("53.3", {"ci_owner", "essential", "important"}, ("B",), True),
        ("58.3", {"ci_owner", "essential", "important"}, ("C",), True),
        ("56.8", {"ci_owner", "essential"}, None, False),
        ("57", {"important"}, None, False),
        ("12.1", {"ci_owner"}, None, False),
        ("13.1", {"essential"}, None, False),
        ("14.1", {"important"}, None, False),
        ("82.2", {"ci_owner", "essential", "important"}, ("A",), True),
        ("100.1", {"essential"}, ("A",), True),
        ("68", {"ci_owner", "essential", "important"}, None, True),
    ],
)
def test_known_applicability(
    catalogue: RequirementCatalogue, point: str, tiers: set[str], classes: tuple[str, ...] | None, per_system: bool
) -> None:
    at = catalogue.get(point).applies_to
    assert set(at.tiers) == tiers
    assert at.classes == classes
    assert at.per_system is per_system


def test_tier_scoped_condition_review_interval(catalogue: RequirementCatalogue) -> None:
    annual = catalogue.get("41.1").applies_to
    assert annual.applies(["ci_owner"])  # every CI owner, A-class or not
    assert not annual.applies(["essential"])
    assert annual.applies(["essential"], ["has_class_a_system"])
    assert not annual.applies(["important"], ["has_class_a_system"])
    biennial = catalogue.get("41.2").applies_to
    assert biennial.applies(["essential"], ["no_class_a_system"])
    assert biennial.applies(["important"])


def test_not_ci_owner_condition(catalogue: RequirementCatalogue) -> None:
    item = catalogue.get("13.1")
    assert item.applies_to.applies(["essential"], ["not_ci_owner"])
    assert not item.applies_to.applies(["essential", "ci_owner"])
    points = {i.point for i in catalogue.for_subject(["essential", "ci_owner"])}
    assert "12.1" in points and "13.1" not in points


def test_per_system_items_include_core_controls(catalogue: RequirementCatalogue) -> None:
    per_system = {i.point for i in catalogue.items if i.applies_to.per_system}
    for point in ("53.1", "53.2", "53.3", "58.1", "60", "64", "68", "71.1", "82.1", "82.2"):
        assert point in per_system


def test_lead_and_sub_point_shape(catalogue: RequirementCatalogue) -> None:
    for item in catalogue.items:
        if "." in item.point:
            assert item.lead_lv and item.lead_en, item.point
        else:
            assert item.lead_lv is None and item.lead_en is None


def test_loader_rejects_unknown_keys(catalogue: RequirementCatalogue) -> None:
    data = catalogue.items[0].model_dump()
    data["surprise"] = 1
    with pytest.raises(ValidationError):
        RequirementItem.model_validate(data)
    applies = catalogue.items[0].applies_to.model_dump()
    applies["tier"] = ["ci_owner"]
    with pytest.raises(ValidationError):
        Applicability.model_validate(applies)


def test_loader_rejects_bad_values(catalogue: RequirementCatalogue) -> None:
    data = catalogue.get("53.1").model_dump()
    data["applies_to"]["tiers"] = ["operator"]
    with pytest.raises(ValidationError):
        RequirementItem.model_validate(data)
    data = catalogue.get("53.1").model_dump()
    data["applies_to"]["class_basis"] = None
    with pytest.raises(ValidationError):
        RequirementItem.model_validate(data)
    whole = catalogue.model_dump()
    whole["items"][1]["id"] = whole["items"][0]["id"]
    with pytest.raises(ValidationError):
        RequirementCatalogue.model_validate(whole)


def test_loader_is_cached() -> None:
    assert load_requirements() is load_requirements()
