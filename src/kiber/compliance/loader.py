"""Load the requirement catalogue (YAML) into the database: create or upgrade, idempotently.

- A new item is created with version 1.
- An item whose texts (lead and text, Latvian and English) are unchanged keeps its version: answers
  to it stay current.
- An item whose text changed gets version + 1 (the old text stays in ``RequirementVersion``);
  answers given to the previous version are shown as outdated and must be answered again before
  the next submission (``Answer.is_outdated``). Nothing is deleted.
- Metadata (titles, applicability, evidence kinds, references) is refreshed without a new version.
- An item that is no longer in the catalogue is marked inactive (never deleted: answers refer to it).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from kiber.audit.services import record
from kiber.catalogue.loader import RequirementCatalogue, RequirementItem, load_requirements
from kiber.compliance.models import Requirement, RequirementVersion

TEXT_FIELDS = ("lead_lv", "lead_en", "text_lv", "text_en")


@dataclass
class LoadResult:
    catalogue: str
    catalogue_version: str
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    withdrawn: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.catalogue} {self.catalogue_version}: {len(self.created)} created, {len(self.changed)} new text "
            f"versions, {self.unchanged} unchanged, {len(self.withdrawn)} withdrawn"
        )


def text_digest(texts: dict[str, str]) -> str:
    canonical = "\x1f".join(texts[name] for name in TEXT_FIELDS)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _fields(item: RequirementItem, catalogue: RequirementCatalogue, order: int) -> dict[str, Any]:
    section = item.section
    applies = item.applies_to
    return {
        "catalogue": catalogue.catalogue,
        "point": item.point,
        "sort_key": order,
        "chapter_number": item.chapter.number,
        "chapter_title_lv": item.chapter.title_lv,
        "chapter_title_en": item.chapter.title_en,
        "section_number": section.number if section else str(item.chapter.number),
        "section_title_lv": section.title_lv if section else item.chapter.title_lv,
        "section_title_en": section.title_en if section else item.chapter.title_en,
        "norm_type": item.norm_type,
        "tiers": list(applies.tiers),
        "classes": list(applies.classes or ()),
        "class_basis": applies.class_basis or "",
        "per_system": applies.per_system,
        "conditions": [{"key": c.key, "tiers": list(c.tiers) if c.tiers else None} for c in applies.conditions],
        "evidence": list(item.evidence),
        "references": list(item.references),
        "note_en": item.note_en or "",
        "catalogue_version": catalogue.version,
        "active": True,
    }


def _texts(item: RequirementItem) -> dict[str, str]:
    return {
        "lead_lv": item.lead_lv or "",
        "lead_en": item.lead_en or "",
        "text_lv": item.text_lv,
        "text_en": item.text_en,
    }


@transaction.atomic
def load_catalogue(catalogue: RequirementCatalogue | None = None, actor: Any = None) -> LoadResult:
    """Create or upgrade the requirements of ``catalogue`` (default: 22-TA-3183) in the database."""
    catalogue = catalogue or load_requirements()
    result = LoadResult(catalogue.catalogue, catalogue.version)
    existing = {r.ref: r for r in Requirement.objects.filter(catalogue=catalogue.catalogue)}
    for order, item in enumerate(catalogue.items, start=1):
        fields, texts = _fields(item, catalogue, order), _texts(item)
        digest = text_digest(texts)
        requirement = existing.pop(item.id, None)
        if requirement is None:
            requirement = Requirement.objects.create(ref=item.id, version=1, text_sha256=digest, **fields, **texts)
            RequirementVersion.objects.create(
                requirement=requirement, version=1, text_sha256=digest,
                catalogue_version=catalogue.version, **texts,
            )
            result.created.append(item.id)
            continue
        text_changed = requirement.text_sha256 != digest
        metadata_changed = any(getattr(requirement, name) != value for name, value in fields.items())
        if text_changed:
            requirement.version += 1
            requirement.text_sha256 = digest
            for name, value in texts.items():
                setattr(requirement, name, value)
            RequirementVersion.objects.create(
                requirement=requirement, version=requirement.version, text_sha256=digest,
                catalogue_version=catalogue.version, **texts,
            )
            result.changed.append(item.id)
        else:
            result.unchanged += 1
        if text_changed or metadata_changed:
            for name, value in fields.items():
                setattr(requirement, name, value)
            requirement.save()
    for ref, requirement in existing.items():
        if requirement.active:
            requirement.active = False
            requirement.save(update_fields=["active", "updated_at"])
            result.withdrawn.append(ref)
    if result.created or result.changed or result.withdrawn:
        anchor = Requirement.objects.filter(catalogue=catalogue.catalogue).order_by("sort_key").first()
        if anchor is not None:
            record(
                actor, "load", anchor,
                changes={
                    "catalogue": catalogue.catalogue, "catalogue_version": catalogue.version,
                    "created": len(result.created), "new_text_versions": result.changed, "withdrawn": result.withdrawn,
                },
            )
    return result
