"""The client's address behind a known number of reverse proxies (issue 10, finding 12).

Each proxy appends the address it received the request from to ``X-Forwarded-For``; anything to the
left of what our own proxies appended was written by the client and may be forged. With
``KIBER_TRUSTED_PROXIES = n`` the client is therefore the n-th address from the right, and with 0
(the embedded default: no proxy) the header is ignored and the socket's address is the client.
Everything keyed on the client's address (axes' lockout, the API's failed-authentication limit)
asks this function, so one setting decides it everywhere.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.KIBER_TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        # Fewer hops than configured: the request did not come through all our proxies; the socket's
        # address is the only one nobody else wrote.
        return remote
    return forwarded[-proxies]
