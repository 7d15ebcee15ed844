"""Shared conventions of every rule: strict input models, the error contract, Riga time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

RIGA = ZoneInfo("Europe/Riga")


class RuleInput(BaseModel):
    """Base of every rule input: unknown fields are an error (a typo must not become a default)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class RuleOutput(BaseModel):
    """Base of every rule output; ``basis`` names the provisions that decided the result."""

    model_config = ConfigDict(frozen=True)

    basis: list[str]


def riga(moment: datetime) -> datetime:
    """The same instant expressed in Europe/Riga local time (outputs are always in Riga time)."""
    return moment.astimezone(RIGA)


InputT = TypeVar("InputT", bound=RuleInput)
OutputT = TypeVar("OutputT", bound=RuleOutput)


@dataclass(frozen=True)
class Rule(Generic[InputT, OutputT]):
    """A named rule: its input model (None for a listing such as ``sectors``) and its function."""

    name: str
    summary: str
    input_model: type[InputT] | None
    output_model: type[OutputT]
    fn: Callable[..., OutputT]

    def run(self, payload: Any) -> OutputT:
        if self.input_model is None:
            return self.fn()
        return self.fn(self.input_model.model_validate(payload))


class RuleInputError(Exception):
    """Bad input: exit status 2 on the CLI, HTTP 422 on the API, with the offending field paths."""

    def __init__(self, message: str, fields: list[str]) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields

    def as_json(self) -> dict[str, Any]:
        return {"error": {"message": self.message, "fields": self.fields}}
