"""API authentication: bearer tokens for machine clients, the session for the browser."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from kiber.registry.models import ApiToken

# ``last_used_at`` is shown to the token's owner to the minute; writing it on every request would add
# a row update (and row-lock contention between a client's concurrent requests) to every API call.
LAST_USED_RESOLUTION = timedelta(seconds=60)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("user", "user__organisation")
            .filter(key_hash=ApiToken.hash_key(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
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
    """The browser session, provided a role that needs a second factor has passed it."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None and user.needs_second_factor and not user.is_verified():
            return None
        return user


AUTH = [TokenAuth(), VerifiedSessionAuth()]
