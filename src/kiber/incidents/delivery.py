"""Delivery connectors: in-platform inbox (recorded at submission), e-mail, signed webhook.

A failed attempt is logged (``DeliveryAttempt``), the delivery stays visible as ``failed`` with its
next attempt time, and is retried with growing intervals forever — never dropped.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import datetime, timedelta

import httpx
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from kiber.incidents import routing
from kiber.incidents.choices import Channel, DeliveryStatus
from kiber.incidents.models import Delivery, DeliveryAttempt

BACKOFF_MINUTES = [1, 5, 15, 60, 180, 360]  # then every 6 hours
SIGNATURE_HEADER = "X-Kiber-Signature"
TIMESTAMP_HEADER = "X-Kiber-Timestamp"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over ``timestamp + "." + body``, hex: ``sha256=<hex>``."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={mac}"


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def payload(delivery: Delivery) -> bytes:
    report = delivery.report
    data = {"sha256": report.sha256, "recipient": delivery.recipient, "snapshot": report.snapshot}
    return json.dumps(data, sort_keys=True, ensure_ascii=False).encode()


def _send_email(delivery: Delivery) -> str:
    report = delivery.report
    snap = report.snapshot
    subject = f"[Kiber] {snap['incident']['reference']} {report.get_stage_display()} v{report.version} — " \
              f"{snap['organisation']['name']}"
    body = json.dumps(snap, indent=2, ensure_ascii=False)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [delivery.target])
    message.attach(f"{report.stage}-v{report.version}.json", payload(delivery), "application/json")
    if report.pdf:
        with report.pdf.open("rb") as fh:
            message.attach(report.pdf.name.rsplit("/", 1)[-1], fh.read(), "application/pdf")
    message.send(fail_silently=False)
    return "sent"


def _send_webhook(delivery: Delivery) -> str:
    body = payload(delivery)
    timestamp = str(int(time.time()))
    headers = {"Content-Type": "application/json", TIMESTAMP_HEADER: timestamp,
               "X-Kiber-Delivery": str(delivery.pk)}
    secret = routing.webhook_secret(delivery.recipient)
    if secret:
        headers[SIGNATURE_HEADER] = sign(secret, timestamp, body)
    response = httpx.post(delivery.target, content=body, headers=headers, timeout=10.0)
    if response.status_code >= 300:
        raise RuntimeError(f"HTTP {response.status_code}")
    return f"HTTP {response.status_code}"


def attempt(delivery: Delivery, now: datetime | None = None) -> bool:
    """One attempt; the outcome is recorded whatever happens."""
    now = now or timezone.now()
    try:
        if delivery.channel == Channel.EMAIL:
            detail = _send_email(delivery)
        elif delivery.channel == Channel.WEBHOOK:
            detail = _send_webhook(delivery)
        else:
            detail = "in-platform inbox"
        ok = True
    except Exception as exc:  # any failure of a connector is recorded and retried
        ok, detail = False, f"{type(exc).__name__}: {exc}"[:2000]
    attempts = delivery.attempts + 1
    if ok:
        fields = dict(status=DeliveryStatus.DELIVERED, delivered_at=now, next_attempt_at=None, last_error="")
    else:
        wait = BACKOFF_MINUTES[min(attempts - 1, len(BACKOFF_MINUTES) - 1)]
        fields = dict(status=DeliveryStatus.FAILED, last_error=detail, next_attempt_at=now + timedelta(minutes=wait))
    Delivery.objects.filter(pk=delivery.pk).update(attempts=attempts, **fields)
    DeliveryAttempt.objects.create(delivery=delivery, ok=ok, detail=detail)
    return ok


def process_due(now: datetime | None = None, report_id: int | None = None, limit: int = 200) -> tuple[int, int]:
    """Attempt every pending or failed delivery that is due; returns (delivered, failed)."""
    now = now or timezone.now()
    due = Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED]) & Q(next_attempt_at__lte=now)
    if report_id is not None:
        due &= Q(report_id=report_id)
    delivered = failed = 0
    with transaction.atomic():
        rows = Delivery.objects.filter(due).select_related("report", "report__incident").order_by("next_attempt_at")
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True, of=("self",))
        for delivery in list(rows[:limit]):
            if attempt(delivery, now):
                delivered += 1
            else:
                failed += 1
    return delivered, failed


def retry_now(delivery: Delivery) -> bool:
    """A supervisor's "retry now" on a failed delivery."""
    return attempt(Delivery.objects.select_related("report").get(pk=delivery.pk))
