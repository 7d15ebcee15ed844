"""Demo: the requirement catalogue and self-assessments of some registry demo subjects (``kiber demo``).

Runs after the registry demo (subjects, users) and the assets demo (systems and classes). Everything
goes through ``kiber.compliance.services`` so scores, snapshots, PDFs, deliveries and audit are real.

- AS Daugavas Banka (CI owner): an assessment in progress, about two thirds answered.
- AS Rīgas Komercbanka: v1 submitted, NKC asked for a revision, v2 resubmitted (awaiting review; diff shown).
- AS Latvijas Sadales Tīkli (CI owner): submitted and accepted.
- VSIA Rīgas Universitātes Slimnīca (CI owner): submitted, awaiting review.
- AS Rīgas Ūdens: an assessment just opened.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from kiber.compliance import services
from kiber.compliance.applicability import subject_tiers
from kiber.compliance.loader import load_catalogue
from kiber.compliance.models import Assessment, Decision
from kiber.registry.models import Organisation, User

SUBJECTS = {
    "banka": "40003510001",
    "kombanka": "40003510002",
    "elektrotikli": "40003520003",
    "slimnica": "40003550006",
    "udens": "40003620017",
}
OWNERS = ["Ilze Ozola (kiberdrošības pārvaldniece)", "IT nodaļas vadītājs", "Drošības operāciju centrs"]
NA_REASON = "Šādi apstākļi pie mums nepastāv: ārpakalpojumus un jaunu sistēmu izstrādi šobrīd neveicam."


def _pick(key: str, weights: tuple[int, int, int]) -> str:
    """A deterministic status for a demo answer (implemented / partial / not implemented)."""
    roll = int(hashlib.sha256(key.encode()).hexdigest()[:4], 16) % sum(weights)
    if roll < weights[0]:
        return "implemented"
    if roll < weights[0] + weights[1]:
        return "partial"
    return "not_implemented"


def _answer_all(
    actor: User, assessment: Assessment, share: float = 1.0, weights: tuple[int, int, int] = (7, 2, 1), salt: str = ""
) -> int:
    rows = services.working_items(assessment)
    limit = int(len(rows) * share)
    count = 0
    for index, row in enumerate(rows):
        if index >= limit:
            break
        item = row.item
        if item.circumstances:
            data: dict[str, Any] = {"status": "not_applicable", "justification": NA_REASON}
        else:
            status = _pick(salt + row.key, weights)
            data = {"status": status, "comment": "Apstiprināts ar rīkojumu; pārskatīts pēdējā iekšējā auditā."
                    if status == "implemented" else "Ieviešana notiek pēc rīcības plāna."}
            if status != "implemented":
                data.update(gap_owner=OWNERS[index % len(OWNERS)], target_date=date(2026, 12, 31 - index % 20))
        answer = services.save_answer(actor, assessment, item.requirement, item.system, data)
        if index % 9 == 0 and data["status"] == "implemented":
            services.add_evidence(
                actor, answer,
                SimpleUploadedFile(f"pieradijums-{item.requirement.point}.txt",
                                   f"Pierādījums {item.requirement.point}. punktam\n".encode(), "text/plain"),
                "Iekšējās kārtības izraksts",
            )
        count += 1
    return count


def _organisation(slug: str) -> Organisation:
    number = SUBJECTS[slug]
    try:
        return Organisation.objects.get(registration_number=number)
    except Organisation.DoesNotExist:
        raise RuntimeError(
            f"compliance demo: registry demo subject {slug} ({number}) is missing; run the registry demo first"
        ) from None


def _admin(organisation: Organisation) -> User:
    admin = User.objects.filter(organisation=organisation, role__in=["subject_admin", "cyber_manager"]).first()
    if admin is None:
        raise RuntimeError(f"compliance demo: no administrator for {organisation}")
    return admin


def load(out: Any) -> None:
    result = load_catalogue()
    out.write(f"compliance: {result.summary()}\n")
    reviewer = User.objects.filter(role="nkc_supervisor", supervised_sectors=[]).first()
    if reviewer is None:
        raise RuntimeError("compliance demo: the registry demo's NKC supervisor is missing")
    for organisation in Organisation.objects.all():
        if subject_tiers(organisation):
            services.refresh_schedule(organisation)

    bank = _organisation("banka")
    admin = _admin(bank)
    draft = services.start_assessment(admin, bank)
    answered = _answer_all(admin, draft, share=0.65)
    out.write(f"compliance: {bank.name} — assessment {draft.year} in progress ({answered} answers)\n")

    kombanka = _organisation("kombanka")
    admin = _admin(kombanka)
    assessment = services.start_assessment(admin, kombanka)
    _answer_all(admin, assessment, weights=(5, 3, 2))
    first = services.submit_assessment(admin, assessment)
    rows = [r for r in services.working_items(assessment) if r.answer and r.answer.is_gap][:2]
    services.review_version(
        reviewer, first, Decision.REVISION, "Lūdzam precizēt nepilnību novēršanas plānu un pievienot pierādījumus.",
        {row.key: "Norādiet konkrētu atbildīgo personu un pievienojiet rīcības plāna izrakstu." for row in rows},
    )
    for row in rows:
        services.save_answer(admin, assessment, row.item.requirement, row.item.system, {
            "status": "partial", "comment": "Rīcības plāns apstiprināts valdē.", "gap_owner": "Valdes loceklis IT jomā",
            "target_date": date(2026, 11, 30),
        })
    services.submit_assessment(admin, assessment)
    out.write(f"compliance: {kombanka.name} — v1 revision required, v2 awaiting review\n")

    for slug, decision in (("elektrotikli", Decision.ACCEPTED), ("slimnica", None)):
        organisation = _organisation(slug)
        admin = _admin(organisation)
        assessment = services.start_assessment(admin, organisation)
        _answer_all(admin, assessment, weights=(8, 1, 1) if decision else (4, 4, 2), salt=slug)
        version = services.submit_assessment(admin, assessment)
        if decision:
            services.review_version(reviewer, version, decision, "Pašnovērtējums pieņemts.")
        out.write(f"compliance: {organisation.name} — submitted{' and accepted' if decision else ''}\n")

    water = _organisation("udens")
    services.start_assessment(_admin(water), water)
    out.write(f"compliance: {water.name} — assessment opened\n")
