"""Writing and verifying the audit log. ``record`` is the only writer."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from kiber.audit.models import AuditEntry, ChainHead

GENESIS = "0" * 64
HEAD_TABLE = ChainHead._meta.db_table


def _digest(entry: AuditEntry) -> str:
    payload = {
        "chain": entry.chain,
        "sequence": entry.sequence,
        "at": entry.at.isoformat(),
        "actor": entry.actor_label,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_label": entry.object_label,
        "changes": entry.changes,
        "prev_hash": entry.prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def for_update() -> str:
    """The row-lock clause for plain SQL (SQLite has none: it serialises writers itself)."""
    return " FOR UPDATE" if connection.features.has_select_for_update else ""


def chain_for(organisation_id: int | None) -> str:
    return str(organisation_id) if organisation_id else "platform"


def record(
    actor: Any,
    action: str,
    obj: models.Model,
    *,
    organisation_id: int | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry (``create``, ``update``, ``submit``, ``read``, ...) to the organisation's chain."""
    return record_many(actor, [(action, obj, changes)], organisation_id=organisation_id)[0]


def record_many(
    actor: Any,
    items: list[tuple[str, models.Model, dict[str, Any] | None]],
    *,
    organisation_id: int | None = None,
) -> list[AuditEntry]:
    """Append several entries (action, object, changes), in order, under one lock of the chain's head."""
    chain = chain_for(organisation_id)
    # No savepoint: an error here dooms the caller's transaction anyway, and it costs two round trips.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        # Plain SQL for the lock and the move of the head: this runs for every write of the platform, and
        # building these two statements through the ORM costs more CPU than PostgreSQL spends on them.
        lock = f"SELECT sequence, hash FROM {HEAD_TABLE} WHERE chain = %s{for_update()}"
        cursor.execute(lock, [chain])
        row = cursor.fetchone()
        if row is None:
            ChainHead.objects.bulk_create([ChainHead(chain=chain)], ignore_conflicts=True)
            cursor.execute(lock, [chain])
            row = cursor.fetchone()
        authenticated = actor is not None and getattr(actor, "is_authenticated", False)
        now = timezone.now()
        sequence, prev_hash = row
        entries = []
        for action, obj, changes in items:
            sequence += 1
            entry = AuditEntry(
                chain=chain,
                sequence=sequence,
                at=now,
                actor=actor if authenticated else None,
                actor_label=actor.get_username() if authenticated else "system",
                action=action,
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                object_label=str(obj)[:255],
                changes=json.loads(json.dumps(changes or {}, default=str)),
                prev_hash=prev_hash,
            )
            entry.hash = prev_hash = _digest(entry)
            entries.append(entry)
        AuditEntry.objects.bulk_create(entries)
        cursor.execute(
            f"UPDATE {HEAD_TABLE} SET sequence = %s, hash = %s WHERE chain = %s", [sequence, prev_hash, chain]
        )
    return entries


def model_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Field -> [old, new] for every field whose value differs."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def history(obj: models.Model) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by("at", "id")


@dataclass(frozen=True)
class Problem:
    chain: str
    sequence: int
    entry_id: int
    reason: str


def verify() -> tuple[int, list[Problem]]:
    """Recompute every chain; return the number of entries checked and every problem found."""
    problems: list[Problem] = []
    checked = 0
    previous: dict[str, tuple[int, str]] = {}
    for entry in AuditEntry.objects.order_by("chain", "sequence").iterator(chunk_size=2000):
        checked += 1
        last_sequence, last_hash = previous.get(entry.chain, (0, GENESIS))
        if entry.sequence != last_sequence + 1:
            problems.append(Problem(entry.chain, entry.sequence, entry.pk, "missing entries before this one"))
        if entry.prev_hash != last_hash:
            problems.append(Problem(entry.chain, entry.sequence, entry.pk, "previous hash does not match"))
        if _digest(entry) != entry.hash:
            problems.append(Problem(entry.chain, entry.sequence, entry.pk, "entry was altered"))
        previous[entry.chain] = (entry.sequence, entry.hash)
    for head in ChainHead.objects.all():
        if previous.get(head.chain, (0, GENESIS)) != (head.sequence, head.hash):
            problems.append(Problem(head.chain, head.sequence, 0, "chain was truncated"))
    return checked, problems
