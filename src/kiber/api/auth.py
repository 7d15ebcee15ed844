"""API authentication: bearer tokens for machine clients, the session for the browser."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import Throttled
from ninja.security import HttpBearer, SessionAuth

from kiber.registry.models import ApiToken
from kiber.web.proxies import client_address

# ``last_used_at`` is shown to the token's owner to the minute; writing it on every request would add
# a row update (and row-lock contention between a client's concurrent requests) to every API call.
LAST_USED_RESOLUTION = timedelta(seconds=60)


def _failures_key(request: HttpRequest) -> str:
    return f"api-auth-failures:{client_address(request)}"


def _refuse_if_throttled(request: HttpRequest) -> None:
    """429 once an address has presented too many unknown tokens within the window (issue 10, finding 12).

    Keyed on the client's address (behind the trusted proxies), counted in the cache: the counter
    expires one window after the first failure, so a client that stops guessing gets back in.
    """
    if (cache.get(_failures_key(request)) or 0) >= settings.KIBER_API_AUTH_FAILURE_LIMIT:
        raise Throttled(wait=settings.KIBER_API_AUTH_FAILURE_WINDOW)


def _count_failure(request: HttpRequest) -> None:
    key = _failures_key(request)
    cache.add(key, 0, timeout=settings.KIBER_API_AUTH_FAILURE_WINDOW)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr: this failure opens a new window
        cache.set(key, 1, timeout=settings.KIBER_API_AUTH_FAILURE_WINDOW)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        _refuse_if_throttled(request)
        found = (
            ApiToken.objects.select_related("user", "user__organisation")
            .filter(
                key_hash=ApiToken.hash_key(token),
                revoked_at__isnull=True,
                user__is_active=True,
                role=F("user__role"),  # issued under the user's present role
            )
            .first()
        )
        if found is None:
            _count_failure(request)
            return None
        if found.user.needs_second_factor and not found.user.has_second_factor:
            return None  # the token must not be a way around the second factor its role requires
        now = timezone.now()
        stale = now - LAST_USED_RESOLUTION
        if found.last_used_at is None or found.last_used_at < stale:
            # Conditional, so concurrent requests of one token write it once per interval.
            ApiToken.objects.filter(Q(last_used_at__isnull=True) | Q(last_used_at__lt=stale), pk=found.pk).update(
                last_used_at=now
            )
        request.user = found.user
        return found.user


class VerifiedSessionAuth(SessionAuth):
    """The browser session, provided a role that needs a second factor has passed it and the password is
    the user's own."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None and user.needs_second_factor and not user.is_verified():
            return None
        if user is not None and user.must_change_password:  # NKC's one-time password is not the user's own
            return None
        return user


AUTH = [TokenAuth(), VerifiedSessionAuth()]
