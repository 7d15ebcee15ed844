"""The catalogue loader: idempotent, versioned, keeps answers to unchanged texts."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from kiber.catalogue.loader import load_requirements
from kiber.compliance import services
from kiber.compliance.loader import load_catalogue
from kiber.compliance.models import Requirement, RequirementVersion
from tests.compliance.conftest import class_a_system


def _changed_catalogue(point: str, new_text: str, drop: str | None = None):
    original = load_requirements()
    items = []
    for item in original.items:
        if item.point == drop:
            continue
        if item.point == point:
            item = item.model_copy(update={"text_lv": new_text})
        items.append(item)
    return original.model_copy(update={"items": tuple(items), "version": "1.0.1"})


@pytest.mark.django_db
def test_load_creates_every_item_once_and_is_idempotent():
    first = load_catalogue()
    assert len(first.created) == len(load_requirements().items) == Requirement.objects.count()
    second = load_catalogue()
    assert second.created == [] and second.changed == [] and second.unchanged == Requirement.objects.count()
    assert RequirementVersion.objects.count() == Requirement.objects.count()
    mfa = Requirement.objects.get(ref="22-TA-3183:53.1")
    assert mfa.per_system and mfa.classes == ["A"] and mfa.section_number == "3.7" and mfa.version == 1
    assert mfa.text_lv == load_requirements().get("53.1").text_lv


@pytest.mark.django_db
def test_management_command(capsys):
    call_command("load_requirements")
    call_command("load_requirements")
    assert "0 created" in capsys.readouterr().out


@pytest.mark.django_db
def test_upgrade_keeps_answers_to_unchanged_texts(catalogue, organisation, subject_admin):
    system = class_a_system(organisation)
    assessment = services.start_assessment(subject_admin, organisation)
    mfa = Requirement.objects.get(ref="22-TA-3183:53.1")
    logs = Requirement.objects.get(ref="22-TA-3183:58.1")
    services.save_answer(subject_admin, assessment, mfa, system, {"status": "implemented"})
    services.save_answer(subject_admin, assessment, logs, system, {"status": "implemented"})

    result = load_catalogue(_changed_catalogue("53.1", "Jauns teksts par daudzfaktoru autentifikāciju;", drop="11.2"))
    assert result.changed == ["22-TA-3183:53.1"] and result.withdrawn == ["22-TA-3183:11.2"]
    mfa.refresh_from_db()
    assert mfa.version == 2 and mfa.text_lv.startswith("Jauns teksts")
    assert list(mfa.versions.values_list("version", flat=True)) == [1, 2]
    assert not Requirement.objects.get(ref="22-TA-3183:11.2").active

    rows = {row.key: row for row in services.working_items(assessment)}
    assert rows[f"22-TA-3183:58.1#{system.pk}"].answered  # unchanged text: the answer survives
    changed = rows[f"22-TA-3183:53.1#{system.pk}"]
    assert changed.answer is not None and changed.answer.is_outdated and not changed.answered
    assert "22-TA-3183:11.2" not in rows

    again = load_catalogue(_changed_catalogue("53.1", "Jauns teksts par daudzfaktoru autentifikāciju;", drop="11.2"))
    assert again.changed == [] and again.created == [] and again.withdrawn == []
