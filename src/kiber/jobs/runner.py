"""Runs a job by its dotted name. Names are resolved when the job runs, so this module imports no app."""

from __future__ import annotations

import importlib
from typing import Any


def run(name: str, *args: Any) -> None:
    module, _, function = name.rpartition(".")
    if not module:
        raise ValueError(f"a job is a dotted function name, not {name!r}")
    getattr(importlib.import_module(module), function)(*args)
