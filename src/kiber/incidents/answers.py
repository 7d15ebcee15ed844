"""Answers to a report stage's questions: validation against the question catalogue and pre-filling.

One validator for the web form and the API, so both accept and refuse exactly the same answers.
Values are stored as JSON: text, bool, list of option values, ISO 8601 datetime with offset, integer.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import translation

from kiber.incidents import catalogue
from kiber.incidents.models import Incident
from kiber.registry.sectors import sector_name, subsector_name


class AnswerErrors(Exception):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def _option_values(question: Any) -> list[str]:
    if question.options_from == "incident_types":
        return catalogue.type_codes()
    return [o.value for o in question.options or ()]


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def clean(stage: str, raw: dict[str, Any]) -> dict[str, Any]:
    """Validate ``raw`` answers of ``stage``; raise AnswerErrors {question key: message}."""
    questions = {q.key: q for q in catalogue.questions(stage)}
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for key in raw:
        if key not in questions:
            errors[key] = "unknown question for this report stage"
    for key, q in questions.items():
        value = raw.get(key)
        if _empty(value):
            if q.required:
                errors[key] = "this answer is required"
            continue
        try:
            cleaned[key] = _coerce(q, value)
        except ValueError as exc:
            errors[key] = str(exc)
    if errors:
        raise AnswerErrors(errors)
    return cleaned


def _coerce(q: Any, value: Any) -> Any:
    if q.type in ("text", "textarea"):
        if not isinstance(value, str):
            raise ValueError("expected text")
        if len(value) > 20000:
            raise ValueError("text is too long (at most 20 000 characters)")
        return value.strip()
    if q.type == "bool":
        if not isinstance(value, bool):
            raise ValueError("expected true or false")
        return value
    if q.type == "integer":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError("expected a whole number ≥ 0")
        return value
    if q.type == "datetime":
        moment = value if isinstance(value, datetime) else _parse_datetime(value)
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("a date and time with a UTC offset is required, e.g. 2025-03-01T10:15:00+02:00")
        return moment.isoformat()
    options = _option_values(q)
    if q.type == "choice":
        if value not in options:
            raise ValueError(f"unknown value {value!r}; expected one of {', '.join(options)}")
        return value
    if q.type == "multichoice":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError("expected a list of values")
        unknown = [v for v in value if v not in options]
        if unknown:
            raise ValueError(f"unknown value(s) {', '.join(unknown)}; expected some of {', '.join(options)}")
        return list(dict.fromkeys(value))
    raise ValueError(f"unsupported question type {q.type}")


def _parse_datetime(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError("expected an ISO 8601 date and time with a UTC offset")
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("expected an ISO 8601 date and time with a UTC offset") from None


def criteria_options(criteria: list[str]) -> list[str]:
    """The rule's criteria ("CIR 2024/2690 Art.7(a)") as the catalogue's options (Art. 5–14 are Art. 3(1)(f))."""
    options: list[str] = []
    for name in criteria:
        article = name.split("Art.", 1)[-1]
        if article.startswith("3(1)("):
            options.append(f"cir_3_1_{article[5]}")
        elif article.startswith("4"):
            options.append("cir_4_recurring")
        else:
            options.append("cir_3_1_f")
    return list(dict.fromkeys(options))


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _sector_text(sector: str, subsector: str) -> str:
    """Sector and subsector by name, in Latvian whatever the UI language: the report goes to CERT.LV."""
    with translation.override("lv"):
        return " / ".join(x for x in (sector and sector_name(sector), subsector and subsector_name(subsector)) if x)


def from_incident(incident: Incident, user: Any) -> dict[str, Any]:
    """What the incident log, the registry and the significance assessment already say."""
    org = incident.organisation
    status = ["ci_owner"] if org.is_ci_owner else []
    if org.effective_category in ("essential", "important"):
        status.append(org.effective_category)
    facts = incident.significance_answers or {}
    systems = [*incident.systems.values_list("name", flat=True), *incident.affected_systems] if incident.pk else []
    latest = incident.reports.order_by("-submitted_at", "-id").first() if incident.pk else None
    values: dict[str, Any] = {
        "subject_name": org.name,
        "subject_registration_number": org.registration_number,
        "subject_status": status,
        "sector": _sector_text(org.sector, org.subsector),
        "contact_name": (user.get_full_name() or user.get_username()) if user else "",
        "contact_email": (user.email if user else "") or org.email,
        "contact_phone": (getattr(user, "phone", "") if user else "") or org.phone,
        "previous_report_reference": f"{incident.reference}/{latest.stage}/v{latest.version}" if latest else None,
        "detected_at": _iso(incident.detected_at),
        "significance_determined_at": _iso(incident.significance_at),
        "occurred_at": _iso(incident.occurred_at),
        "summary": incident.description,
        "incident_type_codes": list(incident.type_codes),
        "significance_criteria": criteria_options(incident.significance_result.get("criteria", [])),
        "suspected_malicious": "yes" if facts.get("suspected_malicious") else None,
        "handling_status": incident.resolution,
        "impact_assessment": incident.impact,
        "affected_services": "\n".join(systems),
        "affected_users_estimate": facts.get("users_affected_eu") or None,
        "service_disruption_minutes": int(facts["complete_unavailability_minutes"])
        if facts.get("complete_unavailability_minutes")
        else None,
        "financial_loss_estimate_eur": int(facts["direct_financial_loss_eur"])
        if facts.get("direct_financial_loss_eur")
        else None,
        "indicators_of_compromise": incident.indicators,
        "root_cause_description": incident.causes,
        "resolved_at": _iso(incident.resolved_at),
    }
    return {k: v for k, v in values.items() if not _empty(v)}


def prefill(incident: Incident, stage: str, user: Any = None) -> dict[str, Any]:
    """Initial answers of a stage's form: a correction starts from the stage's last version; otherwise
    the previous report's answers (questions marked ``prefill_from``), then the incident log."""
    own = previous = None
    if incident.pk:  # a new incident (not yet inserted) has no reports
        own = incident.reports.filter(stage=stage).order_by("-version").first()
        previous = own or incident.reports.exclude(stage="voluntary").order_by("-submitted_at", "-id").first()
    known = from_incident(incident, user)
    initial: dict[str, Any] = {}
    for q in catalogue.questions(stage):
        if previous is not None and q.key in previous.answers and (own is not None or q.prefill_from):
            initial[q.key] = previous.answers[q.key]
        elif q.key in known:
            initial[q.key] = known[q.key]
    if own is None and "previous_report_reference" in known:
        initial["previous_report_reference"] = known["previous_report_reference"]
    return initial
