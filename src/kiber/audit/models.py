"""Append-only, hash-chained audit log (architecture principle 4).

The chain is kept per organisation (``chain`` = the organisation's id, or ``platform``), so a
write in one organisation never waits for another's: ``ChainHead`` is the only row locked.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    chain = models.CharField(max_length=32)  # indexed by the (chain, sequence) constraint
    sequence = models.PositiveBigIntegerField()
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    actor_label = models.CharField(max_length=150)
    action = models.CharField(_("Darbība"), max_length=32)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    object_label = models.CharField(max_length=255, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["chain", "sequence"]
        constraints = [models.UniqueConstraint(fields=["chain", "sequence"], name="audit_chain_sequence")]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.chain}#{self.sequence} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise PermissionError("audit entries are append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit entries are append-only")


class ChainHead(models.Model):
    """The last sequence and hash of one chain; locked row-wise while appending."""

    chain = models.CharField(max_length=32, primary_key=True)
    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"{self.chain}@{self.sequence}"
