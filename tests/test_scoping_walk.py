"""Acceptance: every page and every API endpoint, requested by a user of another organisation, is denied.

Organisation A gets data: each app may add a ``tests/<app>/scoping_factories.py`` with
``populate(organisation, admin)``; then every row of any model with a foreign key to Organisation (or
to a model that has one) pointing at A is collected. The walk enumerates every URL pattern of the
project (Django's resolver, which includes the Ninja API under /api/), substitutes the ids of A's
objects for the path arguments, and requests each URL with GET, POST, PATCH, PUT and DELETE as the
subject administrator of organisation B (session; bearer token on /api/). A response passes when
it is 401/403/404/405, or when it shows none of A's markers (name, registration number, the unique
strings in A's records) — so list pages pass only if they leave A out. Nothing of A may change: no
audit entry by B lands in A's chain and A's registration data stays as it was.

Coverage is complete or the walk fails: every URL pattern (web and API) outside ``SKIPPED_NAMESPACES`` /
``SKIPPED_NAMES`` must be named and requested at least once, and every OpenAPI path walked. Path
parameters get their values from ``PARAMETER_FILLERS`` (by parameter name; any name ending in ``pk`` or
``_id`` takes the ids of A's objects, or their UUIDs for a ``<uuid:...>``). A new URL with a parameter of
another name needs a filler there — the failure message says which — and values the pattern's converter
refuses, or a URL that does not reverse, fail the walk instead of being skipped.
"""

from __future__ import annotations

import importlib
import itertools
import re
from collections.abc import Callable

import pytest
from django.apps import apps
from django.db import models
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from kiber.api.urls import api
from kiber.audit.models import AuditEntry
from kiber.incidents.choices import Stage
from kiber.registry.choices import Role
from kiber.registry.models import ApiToken, Organisation
from kiber.rules.registry import all_rules
from tests.support import sign_in

pytestmark = pytest.mark.django_db

# Namespaces and names not walked, with the reason.
SKIPPED_NAMESPACES = {"admin"}  # Django admin: staff only; B is not staff (test_admin_refuses_subject_users)
SKIPPED_NAMES = {"web:logout", "set_language"}  # would end or alter B's session, hold no subject data
METHODS = ("get", "post", "patch", "put", "delete")
DENIED = {401, 403, 404, 405}
MAX_COMBINATIONS = 60
APPS_WITH_FACTORIES = ("registry", "assets", "compliance", "incidents", "plans", "supervision", "governance")


def url_patterns(resolver=None, namespace: str = ""):
    """(full name or None, pattern, argument converters) for every pattern, walking includes."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace])) if entry.namespace else namespace
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            yield from url_patterns(entry, inner)
        elif isinstance(entry, URLPattern):
            name = (f"{namespace}:{entry.name}" if namespace else entry.name) if entry.name else None
            converters = getattr(entry.pattern, "converters", {}) or {}
            groups = list(entry.pattern.regex.groupindex)
            yield name, entry, {g: converters.get(g) for g in groups}


def organisation_paths(model) -> list[str]:
    """Lookups from ``model`` to its Organisation: a direct foreign key, or through one other model."""
    paths = []
    for field in model._meta.get_fields():
        if not (isinstance(field, (models.ForeignKey, models.OneToOneField)) and field.concrete):
            continue
        if field.related_model is Organisation:
            paths.append(field.name)
        else:
            for inner in field.related_model._meta.get_fields():
                if isinstance(inner, (models.ForeignKey, models.OneToOneField)) and inner.related_model is Organisation:
                    if inner.concrete and field.related_model is not model:
                        paths.append(f"{field.name}__{inner.name}")
    return paths


def owned_objects(organisation) -> list[models.Model]:
    found: list[models.Model] = [organisation]
    for model in apps.get_models():
        for path in organisation_paths(model):
            found.extend(model._default_manager.filter(**{path: organisation}))
    return found


def _ids(objects: list[models.Model]) -> list[str]:
    return sorted({str(obj.pk) for obj in objects}, key=lambda v: (len(v), v))


def _uuids(objects: list[models.Model]) -> list[str]:
    values = [str(getattr(o, f.name)) for o in objects for f in o._meta.fields if isinstance(f, models.UUIDField)]
    return values or ["00000000-0000-0000-0000-000000000000"]


def _ids_and_registration_number(objects: list[models.Model]) -> list[str]:
    return [*_ids(objects), objects[0].registration_number]


# Values for path parameters, by parameter name (``objects``: A's objects, A itself first). To walk a URL
# with a new parameter name, add it here with values that reach the view's logic (A's ids, a real format).
PARAMETER_FILLERS: dict[str, Callable[[list[models.Model]], list[str]]] = {
    "fmt": lambda objects: ["xlsx", "csv", "pdf", "ics"],
    "stage": lambda objects: list(Stage.values),
    "name": lambda objects: sorted(all_rules()),
    "code": _ids_and_registration_number,  # plan codes (slugs); A owns no plan
    "number": lambda objects: ["1", "2", "1.1"],  # version numbers, task numbers
    "token": lambda objects: ["0" * 32, objects[0].registration_number],  # calendar secret, password reset
    "uidb64": lambda objects: ["MQ", "x"],  # password reset: a base64 user id
}


def argument_values(name: str, converter, objects) -> list[str]:
    """The values to walk for one path parameter; an AssertionError says how to add what is missing."""
    if name in PARAMETER_FILLERS:
        values = PARAMETER_FILLERS[name](objects)
    elif name == "pk" or name.endswith(("_pk", "_id")):
        values = _uuids(objects) if type(converter).__name__ == "UUIDConverter" else _ids(objects)
    else:
        raise AssertionError(
            f"no values for the path parameter {name!r}: add a filler to PARAMETER_FILLERS in {__name__}"
        )
    regex = re.compile(converter.regex if converter is not None else "[^/]+")
    accepted = [v for v in values if regex.fullmatch(v)]
    assert accepted, (
        f"none of the values {values} fits the <{type(converter).__name__}:{name}> parameter: "
        f"give the filler for {name!r} in PARAMETER_FILLERS values of that form"
    )
    return accepted


@pytest.fixture
def world(settings, tmp_path, make_organisation, make_user):
    settings.MEDIA_ROOT = tmp_path / "media"
    other = make_organisation(name="SIA Beta Subjekts", registration_number="40003999902", sector="health")
    a = make_organisation(
        name="AS Alfa Slepenā Banka", registration_number="40003999901", email="info@alfa-slepens.lv", is_ci_owner=True
    )
    a_admin = make_user(Role.SUBJECT_ADMIN, a, email="admin@alfa-slepens.lv")
    for app in APPS_WITH_FACTORIES:
        try:
            module = importlib.import_module(f"tests.{app}.scoping_factories")
        except ModuleNotFoundError as exc:
            if exc.name != f"tests.{app}.scoping_factories":
                raise
            continue
        module.populate(a, a_admin)
    b_admin = make_user(Role.SUBJECT_ADMIN, other)
    return a, b_admin


def markers(organisation) -> list[str]:
    return [organisation.name, organisation.registration_number, "alfa-slepens", "Slepenais", "Slepenā Persona"]


def test_every_page_and_endpoint_denies_another_organisation(client, world):
    a, b_admin = world
    objects = owned_objects(a)
    assert len(objects) > 5, "organisation A should own data from the factories"
    sign_in(client, b_admin)
    _, key = ApiToken.issue(b_admin, "walk")
    before = {f.name: getattr(a, f.name) for f in Organisation._meta.fields if f.name != "updated_at"}
    forbidden = markers(a)
    failures: list[str] = []
    walked_api_paths: set[str] = set()
    walked_names: set[str] = set()
    expected_names: set[str] = set()
    requests = 0
    for name, pattern, arguments in url_patterns():
        assert name is not None, f"URL pattern {pattern.pattern} has no name: name it, so the walk can reverse it"
        if name in SKIPPED_NAMES:
            continue
        expected_names.add(name)
        value_lists = [argument_values(arg, conv, objects) for arg, conv in arguments.items()]
        for values in itertools.islice(itertools.product(*value_lists), MAX_COMBINATIONS):
            try:
                url = reverse(name, kwargs=dict(zip(arguments, values, strict=True)))
            except NoReverseMatch as exc:
                failures.append(f"{name} {values}: does not reverse ({exc}); fix its PARAMETER_FILLERS values")
                continue
            walked_names.add(name)
            is_api = url.startswith("/api/")
            if is_api:
                walked_api_paths.add(url)
            headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if is_api else {}
            for method in METHODS:
                if method != "get" and not arguments and not is_api and method != "post":
                    continue
                kwargs = {"content_type": "application/json", "data": "{}"} if is_api and method != "get" else {}
                response = getattr(client, method)(url, **kwargs, **headers)
                requests += 1
                status = response.status_code
                if status >= 500:
                    failures.append(f"{method.upper()} {url} ({name}): server error {status}")
                    continue
                if status in DENIED:
                    continue
                body = b"".join(response.streaming_content) if response.streaming else response.content
                text = body.decode("utf-8", "replace")
                leaked = [m for m in forbidden if m in text]
                if leaked:
                    failures.append(f"{method.upper()} {url} ({name}): {status} shows A's data {leaked}")
    assert not failures, f"{len(failures)} of {requests} requests leaked or failed:\n" + "\n".join(failures)
    a.refresh_from_db()
    assert {f: getattr(a, f) for f in before} == before
    assert not AuditEntry.objects.filter(chain=str(a.pk), actor=b_admin).exists()
    # Every web and API URL pattern was requested, and every API operation of the OpenAPI schema.
    assert expected_names - walked_names == set(), "URL patterns not walked"
    schema_paths = {re.sub(r"\{[^}]+\}", "{}", p) for p in api.get_openapi_schema()["paths"]}
    missing = {p for p in schema_paths if not any(_same_shape(p, w) for w in walked_api_paths)}
    assert not missing, f"API paths not walked: {sorted(missing)}"


def _same_shape(schema_path: str, walked: str) -> bool:
    a, b = schema_path.rstrip("/").split("/"), walked.rstrip("/").split("/")
    return len(a) == len(b) and all(x == y or x == "{}" for x, y in zip(a, b, strict=True))


def test_admin_refuses_subject_users(client, world):
    a, b_admin = world
    sign_in(client, b_admin)
    response = client.get(f"/admin/registry/organisation/{a.pk}/change/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_parameter_without_fitting_values_fails_the_walk_and_says_how_to_add_them():
    with pytest.raises(AssertionError, match="add a filler to PARAMETER_FILLERS"):
        argument_values("nobody_knows", None, [])
    with pytest.raises(AssertionError, match="fits the <IntConverter:fmt> parameter"):
        argument_values("fmt", IntConverter(), [])
