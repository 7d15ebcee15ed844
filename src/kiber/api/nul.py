"""Reject NUL characters in API input before it reaches the database.

PostgreSQL cannot store U+0000 in text (the query fails, a 500); SQLite stores it silently. No
field of the API has a use for it, so any path parameter, query parameter or JSON string (value or
key) containing one is bad input: 422 in Ninja's error shape with the field's path, nothing done.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

MESSAGE = "must not contain the NUL character (U+0000)"


def _paths(value: Any) -> list[list[str | int]]:
    """Paths of the strings (and keys) holding U+0000; iterative, as the JSON may nest deeply."""
    found: list[list[str | int]] = []
    stack: list[tuple[Any, list[str | int]]] = [(value, [])]
    while stack:
        item, path = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                found.append(path)
        elif isinstance(item, dict):
            # A key holding U+0000 is reported at its own path (as if its value were such a string).
            stack.extend(("\x00" if "\x00" in key else child, [*path, key]) for key, child in reversed(item.items()))
        elif isinstance(item, list):
            stack.extend((child, [*path, index]) for index, child in reversed(list(enumerate(item))))
    return found


def _body_param(run: Callable[..., Any]) -> list[str | int]:
    """Ninja reports body errors under the body parameter's name (``["body", "payload", ...]``)."""
    for model in getattr(getattr(run, "__self__", None), "models", []):
        if model.__ninja_param_source__ == "body" and getattr(model, "__read_from_single_attr__", None):
            return [model.__read_from_single_attr__]
    return []


def nul_errors(request: HttpRequest, path_params: dict[str, Any], body_param: list[str | int]) -> list[dict[str, Any]]:
    locs: list[list[str | int]] = [["path", name] for name, value in path_params.items() if "\x00" in str(value)]
    for key in request.GET:
        if "\x00" in key or any("\x00" in v for v in request.GET.getlist(key)):
            locs.append(["query", key])
    # A JSON text can only carry U+0000 as the escape \u0000 (a raw control character is invalid JSON,
    # which Ninja answers itself), so the body is parsed only when the escape is there.
    if request.content_type != "multipart/form-data" and b"\\u0000" in request.body:
        try:
            data = json.loads(request.body)
        except (ValueError, RecursionError):  # Ninja answers unparsable bodies itself
            data = None
        locs += [["body", *body_param, *path] for path in _paths(data)]
    return [{"type": "value_error", "loc": loc, "msg": MESSAGE} for loc in locs]


def reject_nul(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Ninja ``view`` decorator: answers 422 when any input carries a NUL character."""
    body_param = _body_param(run)

    @wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **path_params: Any) -> HttpResponse:
        errors = nul_errors(request, path_params, body_param)
        if errors:
            return JsonResponse({"detail": errors}, status=422)
        return run(request, *args, **path_params)

    return wrapper
