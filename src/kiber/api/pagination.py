"""Limit/offset pagination whose parameters a database can take.

Ninja's ``LimitOffsetPagination`` accepts any integer: ``?limit=9223372036854775808`` reaches the SQL
``LIMIT`` and the database fails (500). Here both are bounded, so such a request is a 422 with the
parameter's path like any other bad input.
"""

from __future__ import annotations

from ninja import Field, Schema
from ninja.conf import settings
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 1000
MAX_OFFSET = 2**31 - 1


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(min(settings.PAGINATION_PER_PAGE, MAX_LIMIT), ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)
