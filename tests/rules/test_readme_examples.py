"""Every rule is documented in the README with one example whose output is the rule's exact output."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from kiber.cli import rules_command
from kiber.rules.registry import all_rules

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
RULES_SECTION = README.split("\n## Rules\n", 1)[1].split("\n## ", 1)[0]
SECTIONS = {m.group(1): m.group(2) for m in re.finditer(r"^### (\S+)\n(.*?)(?=^### |\Z)", RULES_SECTION, re.S | re.M)}


def test_every_rule_is_documented() -> None:
    assert set(SECTIONS) == set(all_rules())


@pytest.mark.parametrize("name", sorted(all_rules()))
def test_readme_example_is_exact_output(name: str) -> None:
    text = SECTIONS[name]
    assert "Basis: " in text
    blocks = [json.loads(b) for b in re.findall(r"```json\n(.*?)```", text, re.S)]
    example_in = None if name == "sectors" else blocks[0]
    out = io.StringIO()
    status = rules_command([name], stdin=io.StringIO("" if example_in is None else json.dumps(example_in)), out=out)
    assert status == 0
    assert json.loads(out.getvalue()) == blocks[-1]
