"""Re-seal the audit chains with keyed hashes (issue 10, finding 6).

Each chain is first checked under the old, unkeyed SHA-256; only a chain that verifies is re-sealed with
HMAC-SHA256 under settings.AUDIT_KEY, so the upgrade never vouches for a rewritten chain. The payload is
frozen here as it was written.
"""

import hashlib
import hmac
import json

from django.conf import settings
from django.db import migrations

GENESIS = "0" * 64


def _payload(entry) -> bytes:
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
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def _keyed(data: bytes) -> str:
    subkey = hmac.new(settings.AUDIT_KEY.encode(), b"entry", hashlib.sha256).digest()
    return hmac.new(subkey, data, hashlib.sha256).hexdigest()


def reseal(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    ChainHead = apps.get_model("audit", "ChainHead")
    for head in ChainHead.objects.order_by("chain"):
        old_last, new_last, sequence = GENESIS, GENESIS, 0
        batch = []
        for entry in AuditEntry.objects.filter(chain=head.chain).order_by("sequence").iterator(chunk_size=2000):
            if (
                entry.sequence != sequence + 1
                or entry.prev_hash != old_last
                or hashlib.sha256(_payload(entry)).hexdigest() != entry.hash
            ):
                raise RuntimeError(
                    f"audit chain {head.chain} does not verify at entry {entry.sequence}: not re-sealing a "
                    "tampered chain; investigate with `kiber audit verify` on the previous release"
                )
            old_last, sequence = entry.hash, entry.sequence
            entry.prev_hash = new_last
            entry.hash = new_last = _keyed(_payload(entry))
            batch.append(entry)
            if len(batch) >= 2000:
                AuditEntry.objects.bulk_update(batch, ["prev_hash", "hash"])
                batch = []
        AuditEntry.objects.bulk_update(batch, ["prev_hash", "hash"])
        if (head.sequence, head.hash) != (sequence, old_last):
            raise RuntimeError(f"audit chain {head.chain} was truncated: not re-sealing it")
        head.hash = new_last
        head.save(update_fields=["hash"])


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_initial"),
    ]

    operations = [
        migrations.RunPython(reseal, migrations.RunPython.noop, elidable=False),
    ]
