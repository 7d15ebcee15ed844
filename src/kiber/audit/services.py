"""Writing and verifying the audit log. ``record`` is the only writer."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from kiber.audit.models import AuditEntry, ChainHead
from kiber.inserts import insert

GENESIS = "0" * 64
HEAD_TABLE = ChainHead._meta.db_table


def canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def keyed_hash(purpose: str, data: bytes) -> str:
    """HMAC-SHA256 under the audit key (settings.AUDIT_KEY, never in the database), one subkey per purpose:
    whoever can write the database but does not hold the key cannot recompute a rewritten chain."""
    subkey = hmac.new(settings.AUDIT_KEY.encode(), purpose.encode(), hashlib.sha256).digest()
    return hmac.new(subkey, data, hashlib.sha256).hexdigest()


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
    return keyed_hash("entry", canonical(payload))


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
        insert(entries)
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


@dataclass(frozen=True)
class Checkpoint:
    """The chain heads at one moment, signed with the audit key; one JSON line of the checkpoint file."""

    line: int
    at: str
    heads: dict[str, tuple[int, str]]
    signed: bool


def verify(checkpoints: list[Checkpoint] | None = None) -> tuple[int, list[Problem]]:
    """Recompute every chain and compare it with the checkpoints; return the entries checked and every problem.

    A rewrite that recomputes the hashes and moves the heads needs the audit key; one made with the key
    still differs from a checkpoint taken before it.
    """
    problems: list[Problem] = []
    checked = 0
    previous: dict[str, tuple[int, str]] = {}
    expected: dict[tuple[str, int], list[tuple[str, str]]] = {}  # (chain, sequence) -> [(hash, checkpoint)]
    for checkpoint in checkpoints or []:
        if not checkpoint.signed:
            problems.append(Problem("checkpoint", checkpoint.line, 0, "checkpoint signature does not match"))
            continue
        for chain, (sequence, digest) in checkpoint.heads.items():
            if sequence:
                expected.setdefault((chain, sequence), []).append((digest, checkpoint.at))
    for entry in AuditEntry.objects.order_by("chain", "sequence").iterator(chunk_size=2000):
        checked += 1
        last_sequence, last_hash = previous.get(entry.chain, (0, GENESIS))
        if entry.sequence != last_sequence + 1:
            problems.append(Problem(entry.chain, entry.sequence, entry.pk, "missing entries before this one"))
        if entry.prev_hash != last_hash:
            problems.append(Problem(entry.chain, entry.sequence, entry.pk, "previous hash does not match"))
        if _digest(entry) != entry.hash:
            problems.append(Problem(entry.chain, entry.sequence, entry.pk, "entry was altered"))
        for digest, at in expected.pop((entry.chain, entry.sequence), []):
            if digest != entry.hash:
                problems.append(Problem(entry.chain, entry.sequence, entry.pk, f"differs from the checkpoint of {at}"))
        previous[entry.chain] = (entry.sequence, entry.hash)
    for (chain, sequence), seen in sorted(expected.items()):
        for _hash, at in seen:
            problems.append(Problem(chain, sequence, 0, f"missing, though in the checkpoint of {at}"))
    for head in ChainHead.objects.all():
        if previous.get(head.chain, (0, GENESIS)) != (head.sequence, head.hash):
            problems.append(Problem(head.chain, head.sequence, 0, "chain was truncated"))
    return checked, problems


def _checkpoint_signature(at: str, heads: dict[str, Any]) -> str:
    return keyed_hash("checkpoint", canonical({"at": at, "heads": heads}))


def write_checkpoint(path: Path) -> dict[str, Any]:
    """Append the present chain heads, signed, to ``path`` (kept outside the database) and return the record."""
    at = timezone.now().isoformat()
    heads = {head.chain: [head.sequence, head.hash] for head in ChainHead.objects.order_by("chain")}
    record = {"at": at, "heads": heads, "signature": _checkpoint_signature(at, heads)}
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return record


def take_checkpoint(path: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Verify the chains, then append a checkpoint; none is written while there are problems, since a
    checkpoint of a tampered chain would vouch for it."""
    _checked, problems = verify(read_checkpoints(path))
    if problems:
        return None, problems
    return write_checkpoint(path), []


def read_checkpoints(path: Path) -> list[Checkpoint]:
    """Every checkpoint in ``path`` (none if it does not exist); a line that is not a signed checkpoint is
    returned unsigned, so that verify reports it."""
    if not path.exists():
        return []
    checkpoints = []
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not text.strip():
            continue
        try:
            data = json.loads(text)
            at, heads, signature = str(data["at"]), data["heads"], str(data["signature"])
            parsed = {str(chain): (int(value[0]), str(value[1])) for chain, value in heads.items()}
        except (ValueError, KeyError, TypeError, IndexError, AttributeError):
            checkpoints.append(Checkpoint(number, "", {}, signed=False))
            continue
        signed = hmac.compare_digest(signature, _checkpoint_signature(at, heads))
        checkpoints.append(Checkpoint(number, at, parsed, signed))
    return checkpoints
