"""Schemathesis against /api/v1 (issue 5): no operation answers 5xx, whatever it is sent.

Every operation of the served OpenAPI document (one test per app) is called in-process through
Django's WSGI handler with schema-conforming and schema-violating data (schemathesis 3's positive
and negative generators), as a subject admin whose organisation has data, as an NKC supervisor, as
an action-plan institution's user and anonymously. Path parameters are often replaced by real ids
(own and another subject's objects) or by odd values (beyond bigint, NUL), so that both the happy
paths and the 404s run. Bodies are also sent with content types and shapes the schema does not
describe. Each request runs in a savepoint that is rolled back, so examples do not see each other's
writes and a failure replays the same way; generation is derandomized.

Every operation is fuzzed or the test fails: a generator that yields no example (hypothesis'
``Unsatisfiable``, schemathesis' ``SkipTest``) is a failure naming the operation. Only the negative run of
an operation with nothing to make invalid (its sole inputs are string path parameters) is not attempted.
"""

from __future__ import annotations

import functools
import json
import logging
import traceback
from collections import Counter
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.constants import NOT_SET
from schemathesis.exceptions import SkipTest
from schemathesis.experimental import OPEN_API_3_1
from schemathesis.generation import DataGenerationMethod, GenerationConfig
from werkzeug.test import Client

from tests.api.seed import World, build_world

pytestmark = pytest.mark.django_db

SCHEMA_URL = "/api/openapi.json"
APPS = ["rules", "registry", "assets", "compliance", "incidents", "plans"]
# Examples per operation, caller and generator (positive, negative); plans are the member's domain.
EXAMPLES = {"subject_admin": 8, "nkc": 4, "plans_member": 3, "anonymous": 1}
PLANS_EXAMPLES = {**EXAMPLES, "plans_member": 10}
# Path values that break naive code: beyond PostgreSQL's bigint, negative, not a number, NUL.
ODD_PATH_VALUES: list[Any] = [0, -1, 2**63, 10**30, "abc", "\x00", "a\x00b", "ff" * 40]
# Bodies the schema does not describe: (content type, raw bytes).
ODD_BODIES: list[tuple[str, bytes]] = [
    ("application/json", b""),
    ("application/json", b"null"),
    ("application/json", b"[1, 2]"),
    ("application/json", b'"text"'),
    ("application/json", b"{"),
    ("application/json", b'{"a": "\xff\xfe"}'),
    ("application/json", b"[" * 5000 + b"]" * 5000),
    ("application/json", b'{"a": 1e999999}'),
    ("text/plain", b"plain text"),
    ("application/x-www-form-urlencoded", b"name=x&status=implemented"),
    ("multipart/form-data; boundary=zz", b'--zz\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--zz--\r\n'),
    ("application/xml", b"<a/>"),
]
DEEP: Any = functools.reduce(lambda inner, _: [inner], range(800), "x")


@pytest.fixture
def wsgi_app(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KIBER_JOBS_BACKEND = "inline"
    settings.KIBER_INCIDENT_ROUTES = {"csirt": {"email": "cert@cert.lv"}, "sab": {"email": "sab@example.lv"}}
    # Layout of a PDF takes seconds and is tested elsewhere; its HTML is still rendered.
    monkeypatch.setattr("weasyprint.HTML.write_pdf", lambda self, *a, **k: b"%PDF-1.7\n%%EOF\n")
    # 4xx answers come by the hundred; server errors are still logged.
    request_logger = logging.getLogger("django.request")
    level = request_logger.level
    request_logger.setLevel(logging.ERROR)
    # The real handler would close the test's connection (and so its transaction) after each request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    # Django Ninja serves OpenAPI 3.1 (Pydantic v2 JSON Schema); schemathesis 3 has it as an experiment.
    OPEN_API_3_1.enable()
    try:
        yield WSGIHandler()
    finally:
        OPEN_API_3_1.disable()
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
        request_logger.setLevel(level)


@pytest.fixture
def server_errors():
    """Tracebacks of exceptions the handler turned into 500s, for the failure message."""
    seen: list[str] = []

    def remember(sender: Any, request: Any = None, **kwargs: Any) -> None:
        seen.append(traceback.format_exc(limit=-4))

    signals.got_request_exception.connect(remember)
    yield seen
    signals.got_request_exception.disconnect(remember)


def _operations(app: str, wsgi_app: Any) -> list[Any]:
    schema = schemathesis.from_wsgi(
        SCHEMA_URL, wsgi_app, generation_config=GenerationConfig(with_security_parameters=False)
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    return [op for op in operations if op.path.startswith(f"/api/v1/{app}/")]


def _headers(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


def _fuzz(
    operation: Any, token: str | None, path_values: dict[str, list[Any]], examples: int, statuses: Counter[int]
) -> list[str]:
    """Run the operation ``examples`` times per generator; return the failures, count the statuses."""
    failures: list[str] = []
    # Negating a path string yields strings again, which schemathesis 3 then filters out for ever:
    # those stay valid in the negative run (their odd values come from ODD_PATH_VALUES).
    strings = {
        p.name: path_values.get(p.name, ["x"])[0]
        for p in operation.path_parameters
        if p.definition.get("schema", {}).get("type") == "string"
    }
    methods = [DataGenerationMethod.positive]
    if _negatable(operation, strings):
        methods.append(DataGenerationMethod.negative)
    for method in methods:
        fixed = strings if method == DataGenerationMethod.negative and strings else NOT_SET
        requests_before = statuses.total()
        strategy = operation.as_strategy(data_generation_method=method, path_parameters=fixed)

        @settings(
            max_examples=examples,
            derandomize=True,
            deadline=None,
            database=None,
            print_blob=False,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy, data=st.data())
        def run(case: Any, data: Any) -> None:
            for name in list(case.path_parameters or {}):
                # Half the time a real object (own or another subject's), a quarter an odd value.
                kind = data.draw(st.sampled_from(["real", "real", "odd", "generated"]), label=f"{name} from")
                choices = {"real": path_values.get(name), "odd": ODD_PATH_VALUES}.get(kind)
                if choices:
                    case.path_parameters[name] = data.draw(st.sampled_from(choices), label=name)
            with transaction.atomic():
                response = case.call_wsgi(headers=_headers(token))
                transaction.set_rollback(True)
            statuses[response.status_code] += 1
            case.validate_response(response, checks=(not_a_server_error,))

        try:
            run()
        except (SkipTest, Unsatisfiable) as exc:
            failures.append(f"{operation.verbose_name} [{method.value}]: not fuzzed, no example generated ({exc!r})")
        except Exception as exc:  # noqa: BLE001 - collected, so that one run reports every failing operation
            failures.append(f"{operation.verbose_name} [{method.value}]: {exc}")
        else:
            if statuses.total() == requests_before:
                failures.append(f"{operation.verbose_name} [{method.value}]: not fuzzed, no request made")
    return failures


def _negatable(operation: Any, fixed_strings: dict[str, Any]) -> bool:
    """Whether the operation has an input the negative generator can make invalid.

    Only an operation whose sole inputs are string path parameters (kept valid, see ``_fuzz``) has none;
    for every other one, a negative run that generates nothing is a failure, not a skip.
    """
    if operation.body or len(operation.query) or len(operation.headers) or len(operation.cookies):
        return True
    return any(p.name not in fixed_strings for p in operation.path_parameters)


def _odd_bodies(operation: Any, wsgi_app: Any, token: str | None, path_values: dict[str, list[Any]]) -> list[str]:
    if not operation.body:
        return []
    path = operation.path
    for parameter in operation.path_parameters:
        path = path.replace(f"{{{parameter.name}}}", str(path_values.get(parameter.name, [1])[0]))
    client = Client(wsgi_app)
    failures = []
    # Free-form fields (answers, facts) take any JSON: nested deep enough to strain later recursion.
    schema = operation.definition.resolved["requestBody"]["content"]["application/json"]["schema"]
    deep = {name: {"k": DEEP} for name in schema.get("properties", {})}
    odd = [*ODD_BODIES, ("application/json", json.dumps(deep).encode())]
    for content_type, data in odd:
        with transaction.atomic():
            response = client.open(
                path, method=operation.method.upper(), data=data, content_type=content_type, headers=_headers(token)
            )
            transaction.set_rollback(True)
        if response.status_code >= 500:
            failures.append(f"{operation.verbose_name} with {content_type} {data[:40]!r}: {response.status_code}")
    return failures


def _callers(app: str, world: World) -> dict[str, tuple[str | None, int]]:
    examples = PLANS_EXAMPLES if app == "plans" else EXAMPLES
    tokens: dict[str, str | None] = {**world.tokens, "anonymous": None}
    return {name: (tokens[name], n) for name, n in examples.items() if name in tokens}


@pytest.mark.parametrize("app", APPS)
def test_no_server_errors(app, wsgi_app, server_errors):
    world = build_world(app)
    operations = _operations(app, wsgi_app)
    assert operations, f"no operations of {app} in the served schema"
    failures: list[str] = []
    statuses: Counter[int] = Counter()
    for operation in operations:
        for caller, (token, examples) in _callers(app, world).items():
            found = _fuzz(operation, token, world.path_values, examples, statuses)
            failures += [f"as {caller}: {f}" for f in found]
        failures += _odd_bodies(operation, wsgi_app, world.tokens["subject_admin"], world.path_values)
    tracebacks = "\n".join(dict.fromkeys(server_errors))
    assert not failures, "\n\n".join(failures) + "\n\nServer tracebacks:\n" + tracebacks
    # The run reached the operations' logic, not only authentication and validation.
    assert any(status < 300 for status in statuses), statuses
    assert statuses[422] and (statuses[401] or app == "rules"), statuses
