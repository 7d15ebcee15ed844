"""``POST /api/v1/rules/<name>``: the rules engine over HTTP, with the same JSON as the CLI."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from ninja import Router

from kiber.rules.base import RuleInputError
from kiber.rules.registry import all_rules, evaluate_text

router = Router(tags=["rules"])


def _respond(name: str, text: str) -> JsonResponse:
    try:
        return JsonResponse(evaluate_text(name, text), json_dumps_params={"ensure_ascii": False})
    except RuleInputError as exc:
        status = 404 if exc.fields == ["rule"] else 422
        return JsonResponse(exc.as_json(), status=status, json_dumps_params={"ensure_ascii": False})


@router.get("/sectors", summary="NIS2 Annex I/II sectors and subsectors with Latvian and English names")
def sectors(request: HttpRequest) -> JsonResponse:
    return _respond("sectors", "")


@router.get("/", summary="List the rules")
def list_rules(request: HttpRequest) -> dict[str, str]:
    return {name: rule.summary for name, rule in all_rules().items()}


@router.post(
    "/{name}",
    summary="Evaluate a rule (see the rules contract); 422 with field paths on bad input",
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object"}}}}},
)
def evaluate(request: HttpRequest, name: str) -> JsonResponse:
    try:
        text = request.body.decode("utf-8")
    except UnicodeDecodeError:
        return JsonResponse(RuleInputError("body is not UTF-8", []).as_json(), status=422)
    return _respond(name, text)
