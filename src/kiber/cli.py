"""The ``kiber`` command: ``kiber rules <name> [FILE|-] [--batch]``; anything else goes to manage.py."""

from __future__ import annotations

import json
import os
import sys
from typing import TextIO

USAGE = """usage: kiber rules <name> [FILE|-] [--batch]   evaluate a rule (JSON in, JSON out)
       kiber rules                            list the rules
       kiber demo                             load the demo data (prints demo passwords once)
       kiber audit verify                     verify the audit log's hash chain and checkpoints
       kiber audit checkpoint [--path FILE]   append a signed checkpoint of the chain heads
       kiber serve | worker | beat            run a production process (gunicorn, Celery worker, Celery beat)
       kiber <manage.py command> ...          any Django management command"""


def _print(data: object, out: TextIO) -> None:
    out.write(json.dumps(data, ensure_ascii=False) + "\n")


def rules_command(args: list[str], stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> int:
    """Run ``kiber rules``; returns the exit status (0 ok, 2 bad input)."""
    from kiber.rules.base import RuleInputError
    from kiber.rules.registry import all_rules, evaluate_text

    batch = "--batch" in args
    args = [a for a in args if a != "--batch"]
    if not args:
        _print({name: rule.summary for name, rule in all_rules().items()}, out)
        return 0
    name, source = args[0], (args[1] if len(args) > 1 else "-")
    if len(args) > 2:
        _print(RuleInputError("too many arguments", []).as_json(), out)
        return 2
    try:
        if source == "-":
            text = stdin.read()
        else:
            with open(source, encoding="utf-8") as handle:
                text = handle.read()
    except OSError as exc:
        _print(RuleInputError(f"cannot read {source}: {exc.strerror}", []).as_json(), out)
        return 2
    if batch:
        return _batch(name, text, out)
    try:
        _print(evaluate_text(name, text), out)
    except RuleInputError as exc:
        _print(exc.as_json(), out)
        return 2
    return 0


def _batch(name: str, text: str, out: TextIO) -> int:
    """JSON Lines in, JSON Lines out: one result or error per line; status 2 if any line failed."""
    from kiber.rules.base import RuleInputError
    from kiber.rules.registry import evaluate_text

    status = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            _print(evaluate_text(name, line), out)
        except RuleInputError as exc:
            _print(exc.as_json(), out)
            status = 2
    return status


def process_command(name: str, args: list[str]) -> list[str]:
    """The command line of a production process: web (gunicorn), background worker or scheduler (Celery)."""
    from django.conf import settings

    python = [sys.executable, "-m"]
    if name == "serve":
        return [*python, "gunicorn", "--config", "python:kiber.gunicorn_conf", *args, "kiber.wsgi"]
    if name == "worker":
        return [*python, "celery", "--app", "kiber.celery", "worker", "--loglevel", "INFO", *args]
    schedule = str(settings.VAR_DIR / "celerybeat-schedule")
    return [*python, "celery", "--app", "kiber.celery", "beat", "--loglevel", "INFO", "--schedule", schedule, *args]


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "rules":
        return rules_command(argv[1:])
    if argv and argv[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kiber.settings")
    if argv and argv[0] in ("serve", "worker", "beat"):
        command = process_command(argv[0], argv[1:])
        os.execv(command[0], command)
    from django.core.management import execute_from_command_line

    if argv[:1] == ["audit"] and argv[1:2] in (["verify"], ["checkpoint"]):
        argv = [f"audit_{argv[1]}", *argv[2:]]
    execute_from_command_line(["kiber", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
