"""Where each report goes (22-TA-3183 p. 122–124) and over which channels.

Every report goes to the competent CSIRT (CERT.LV); a report of an ICT critical infrastructure owner
or an essential service provider also goes to SAB (p. 124). The in-platform inbox is always a channel;
e-mail and a signed webhook are added where configured. Configuration: ``settings.KIBER_INCIDENT_ROUTES``
if set, else the environment (``KIBER_CSIRT_EMAIL``, ``KIBER_CSIRT_WEBHOOK_URL``,
``KIBER_CSIRT_WEBHOOK_SECRET``, and the same with ``SAB``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.conf import settings

from kiber.incidents.choices import Channel, Recipient
from kiber.registry.models import Organisation

DEFAULT_EMAIL = {Recipient.CSIRT: "cert@cert.lv", Recipient.SAB: ""}


@dataclass(frozen=True)
class Route:
    recipient: str
    channel: str
    target: str = ""
    secret: str = ""


def recipients_for(organisation: Organisation) -> list[str]:
    """p. 122 (CSIRT) and p. 124 (also SAB for a CI owner or an essential provider)."""
    recipients = [Recipient.CSIRT.value]
    if organisation.is_ci_owner or organisation.is_essential:
        recipients.append(Recipient.SAB.value)
    return recipients


def _config(recipient: str) -> dict[str, str]:
    configured = getattr(settings, "KIBER_INCIDENT_ROUTES", None)
    if configured is not None:
        return dict(configured.get(recipient, {}))
    prefix = f"KIBER_{recipient.upper()}_"
    return {
        "email": os.environ.get(prefix + "EMAIL", DEFAULT_EMAIL.get(recipient, "")),
        "webhook_url": os.environ.get(prefix + "WEBHOOK_URL", ""),
        "webhook_secret": os.environ.get(prefix + "WEBHOOK_SECRET", ""),
    }


def routes_for(organisation: Organisation) -> list[Route]:
    routes: list[Route] = []
    for recipient in recipients_for(organisation):
        config = _config(recipient)
        routes.append(Route(recipient, Channel.INBOX.value))
        if config.get("email"):
            routes.append(Route(recipient, Channel.EMAIL.value, config["email"]))
        if config.get("webhook_url"):
            secret = config.get("webhook_secret", "")
            routes.append(Route(recipient, Channel.WEBHOOK.value, config["webhook_url"], secret))
    return routes


def webhook_secret(recipient: str) -> str:
    return _config(recipient).get("webhook_secret", "")
