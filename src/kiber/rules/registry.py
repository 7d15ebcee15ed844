"""Discovers every rule module's ``RULES`` and evaluates rules from JSON, with the error contract."""

from __future__ import annotations

import importlib
import json
import pkgutil
from functools import cache
from typing import Any

from pydantic import ValidationError

import kiber.rules as rules_package
from kiber.rules.base import Rule, RuleInputError


@cache
def all_rules() -> dict[str, Rule[Any, Any]]:
    found: dict[str, Rule[Any, Any]] = {}
    for module_info in pkgutil.iter_modules(rules_package.__path__):
        module = importlib.import_module(f"kiber.rules.{module_info.name}")
        for rule in getattr(module, "RULES", ()):
            if rule.name in found:
                raise RuntimeError(f"rule {rule.name!r} defined twice")
            found[rule.name] = rule
    return dict(sorted(found.items()))


def get_rule(name: str) -> Rule[Any, Any]:
    try:
        return all_rules()[name]
    except KeyError:
        known = ", ".join(all_rules())
        raise RuleInputError(f"unknown rule {name!r}; known rules: {known}", ["rule"]) from None


def _field_path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "$"


def validation_error(exc: ValidationError) -> RuleInputError:
    """Turn a Pydantic error into the contract's error: one message, every offending field path."""
    errors = exc.errors()
    fields = list(dict.fromkeys(_field_path(err["loc"]) for err in errors))
    message = "; ".join(f"{_field_path(err['loc'])}: {err['msg']}" for err in errors)
    return RuleInputError(message, fields)


def evaluate(name: str, payload: Any) -> dict[str, Any]:
    """Evaluate rule ``name`` on an already-decoded JSON value and return the output as JSON data."""
    rule = get_rule(name)
    if rule.input_model is not None and not isinstance(payload, dict):
        raise RuleInputError("input must be a JSON object", ["$"])
    try:
        result = rule.run(payload)
    except ValidationError as exc:
        raise validation_error(exc) from None
    output: dict[str, Any] = result.model_dump(mode="json", by_alias=True)
    return output


def evaluate_text(name: str, text: str) -> dict[str, Any]:
    """Evaluate rule ``name`` on JSON text (CLI and batch)."""
    rule = get_rule(name)
    if rule.input_model is None and not text.strip():
        return evaluate(name, None)
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RuleInputError(f"malformed JSON: {exc}", []) from None
    except RecursionError:
        raise RuleInputError("malformed JSON: nested too deeply", []) from None
    return evaluate(name, payload)
