"""API authentication: bearer tokens for machine clients, the session for the browser."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Field, Model, Q
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import Throttled
from ninja.security import HttpBearer, SessionAuth

from kiber.registry.models import ApiToken, Organisation, User
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


class TokenLookup:
    """A token's id and ``last_used_at``, its user and the user's organisation, in one SELECT built once.

    The same conditions as ``ApiToken.objects.select_related("user", "user__organisation").filter(...)``
    (the hash, not revoked, an active user, issued under the user's present role), without building and
    compiling that query on every API call, which cost about three times the CPU of running it (issue 11).
    The rows become model instances through the same converters the ORM applies.
    """

    def __init__(self) -> None:
        self._built: dict[str, tuple[str, list[tuple[type[Model], list[Field], list[list[Any]]]]]] = {}

    def _build(self) -> tuple[str, list[tuple[type[Model], list[Field], list[list[Any]]]]]:
        qn = connection.ops.quote_name
        parts: list[tuple[type[Model], list[Field], list[list[Any]]]] = []
        columns = []
        for model, alias in ((ApiToken, "t"), (User, "u"), (Organisation, "o")):
            fields = list(model._meta.concrete_fields)
            if model is ApiToken:
                fields = [model._meta.pk, model._meta.get_field("last_used_at")]
            converters = []
            for f in fields:
                col = f.get_col(alias)
                functions = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
                converters.append([(convert, col) for convert in functions])
                columns.append(f"{alias}.{qn(f.column)}")
            parts.append((model, fields, converters))
        user_fk = qn(ApiToken._meta.get_field("user").column)
        org_fk = qn(User._meta.get_field("organisation").column)
        sql = (
            f"SELECT {', '.join(columns)} FROM {qn(ApiToken._meta.db_table)} t "
            f"JOIN {qn(User._meta.db_table)} u ON u.{qn('id')} = t.{user_fk} "
            f"LEFT JOIN {qn(Organisation._meta.db_table)} o ON o.{qn('id')} = u.{org_fk} "
            f"WHERE t.{qn('key_hash')} = %s AND t.{qn('revoked_at')} IS NULL AND u.{qn('is_active')} = %s "
            f"AND t.{qn('role')} = u.{qn('role')}"
        )
        return sql, parts

    def __call__(self, key_hash: str) -> tuple[ApiToken, User] | None:
        if connection.vendor not in self._built:
            self._built[connection.vendor] = self._build()
        sql, parts = self._built[connection.vendor]
        with connection.cursor() as cursor:
            cursor.execute(sql, [key_hash, True])
            row = cursor.fetchone()
        if row is None:
            return None
        instances: list[Model | None] = []
        start = 0
        for model, fields, converters in parts:
            values = list(row[start : start + len(fields)])
            start += len(fields)
            if values[0] is None:  # no organisation (a supervisor)
                instances.append(None)
                continue
            for i, functions in enumerate(converters):
                for convert, col in functions:
                    values[i] = convert(values[i], col, connection)
            instances.append(model.from_db(connection.alias, [f.attname for f in fields], values))
        token, user, organisation = instances
        if organisation is not None:
            User._meta.get_field("organisation").set_cached_value(user, organisation)
        return token, user  # type: ignore[return-value]


find_token = TokenLookup()


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        _refuse_if_throttled(request)
        found = find_token(ApiToken.hash_key(token))
        if found is None:
            _count_failure(request)
            return None
        api_token, user = found
        if user.needs_second_factor and not user.has_second_factor:
            return None  # the token must not be a way around the second factor its role requires
        now = timezone.now()
        stale = now - LAST_USED_RESOLUTION
        if api_token.last_used_at is None or api_token.last_used_at < stale:
            # Conditional, so concurrent requests of one token write it once per interval.
            ApiToken.objects.filter(Q(last_used_at__isnull=True) | Q(last_used_at__lt=stale), pk=api_token.pk).update(
                last_used_at=now
            )
        request.user = user
        return user


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
