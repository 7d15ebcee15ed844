"""Exports: report PDF (WeasyPrint), incident JSON, STIX 2.1 bundle, MISP event, XLSX.

Heavy libraries are imported inside the functions that use them. Exports honour TLP: the marking
travels with the data (STIX marking definitions, MISP tags and distribution), and TLP:RED content is
never put into a shareable format (STIX/MISP carry the incident without description and indicators).
"""

from __future__ import annotations

import ipaddress
import json
import re
import uuid
from datetime import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from kiber import xlsx as workbook
from kiber.incidents import catalogue
from kiber.incidents.choices import Tlp
from kiber.incidents.models import Incident, Report

STIX_NAMESPACE = uuid.UUID("6d1c3c2e-8a1f-4b57-9f0e-6f3b0c1c2a11")
MISP_DISTRIBUTION = {Tlp.CLEAR: 3, Tlp.GREEN: 1, Tlp.AMBER: 0, Tlp.AMBER_STRICT: 0, Tlp.RED: 0}


def report_pdf(report: Report) -> bytes:
    """The PDF of one frozen version, rendered from its snapshot (never from live data)."""
    from weasyprint import HTML

    with translation.override("lv"):
        html = render_to_string("incidents/report_pdf.html", {"report": report, **report_context(report)})
    return HTML(string=html).write_pdf()


def report_context(report: Report) -> dict[str, Any]:
    """Questions with their answers, in catalogue order (for the PDF and the report page)."""
    rows = []
    answers = report.snapshot.get("answers", {})
    if report.stage == "voluntary":
        rows.append({"label": "Apraksts", "value": answers.get("description", "")})
    else:
        for q in catalogue.questions(report.stage):
            if q.key in answers:
                rows.append({"label": catalogue.label(q), "value": display_value(q, answers[q.key])})
        known = {q.key for q in catalogue.questions(report.stage)}
        rows += [{"label": k, "value": v} for k, v in answers.items() if k not in known]
    return {"rows": rows, "snapshot": report.snapshot}


def display_value(question: Any, value: Any) -> str:
    if isinstance(value, bool):
        return "Jā" if value else "Nē"
    if question.type == "datetime" and isinstance(value, str):
        try:
            return timezone.localtime(datetime.fromisoformat(value)).strftime("%d.%m.%Y %H:%M %Z")
        except ValueError:
            return value
    labels: dict[str, str] = {}
    if question.options_from == "incident_types":
        labels = dict(catalogue.type_choices())
    elif question.options:
        labels = {o.value: catalogue.label(o) for o in question.options}
    if isinstance(value, list):
        return "; ".join(labels.get(v, str(v)) for v in value)
    return labels.get(value, str(value)) if isinstance(value, str) else str(value)


def incident_json(incident: Incident) -> dict[str, Any]:
    """The incident with every submitted version (snapshots and hashes) and the review trail."""
    return {
        "format": "kiber.incident/1",
        "id": str(incident.public_id),
        "reference": incident.reference,
        "organisation": {"name": incident.organisation.name,
                         "registration_number": incident.organisation.registration_number},
        "kind": incident.kind,
        "title": incident.title,
        "detected_at": incident.detected_at.isoformat(),
        "occurred_at": incident.occurred_at.isoformat() if incident.occurred_at else None,
        "logged_at": incident.created_at.isoformat(),
        "logged_within_24h": incident.logged_in_time,
        "type_codes": incident.type_codes,
        "description": incident.description,
        "causes": incident.causes,
        "indicators": incident.indicators,
        "impact": incident.impact,
        "systems": sorted(incident.systems.values_list("name", flat=True)),
        "affected_systems": incident.affected_systems,
        "resolution": incident.resolution,
        "resolved_at": incident.resolved_at.isoformat() if incident.resolved_at else None,
        "tlp": incident.tlp,
        "significance": incident.significance,
        "significance_result": incident.significance_result,
        "significance_decided_at": incident.significance_at.isoformat() if incident.significance_at else None,
        "cross_border": incident.cross_border,
        "reports": [
            {
                "stage": r.stage,
                "version": r.version,
                "submitted_at": r.submitted_at.isoformat(),
                "sha256": r.sha256,
                "snapshot": r.snapshot,
                "reviews": [{"status": v.status, "note": v.note, "at": v.at.isoformat()} for v in r.reviews.all()],
                "deliveries": [
                    {"recipient": d.recipient, "channel": d.channel, "status": d.status, "attempts": d.attempts}
                    for d in r.deliveries.all()
                ],
            }
            for r in incident.reports.prefetch_related("reviews", "deliveries")
        ],
    }


# ----------------------------------------------------------------------------------------- indicators

_SHA256 = re.compile(r"^[A-Fa-f0-9]{64}$")
_MD5 = re.compile(r"^[A-Fa-f0-9]{32}$")
_DOMAIN = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,63}$")


def parse_indicators(text: str) -> list[tuple[str, str]]:
    """Lines of the IoC field as (type, value): ipv4, ipv6, domain, url, sha256, md5, email."""
    found: list[tuple[str, str]] = []
    for raw in re.split(r"[\n,;]+", text or ""):
        value = raw.strip().strip("'\"")
        if not value:
            continue
        try:
            address = ipaddress.ip_address(value)
            found.append(("ipv4" if address.version == 4 else "ipv6", value))
            continue
        except ValueError:
            pass
        if value.startswith(("http://", "https://")):
            found.append(("url", value))
        elif _SHA256.match(value):
            found.append(("sha256", value.lower()))
        elif _MD5.match(value):
            found.append(("md5", value.lower()))
        elif "@" in value and _DOMAIN.match(value.split("@", 1)[1]):
            found.append(("email", value))
        elif _DOMAIN.match(value):
            found.append(("domain", value.lower()))
    return found


STIX_PATTERN = {
    "ipv4": "[ipv4-addr:value = '{}']",
    "ipv6": "[ipv6-addr:value = '{}']",
    "domain": "[domain-name:value = '{}']",
    "url": "[url:value = '{}']",
    "sha256": "[file:hashes.'SHA-256' = '{}']",
    "md5": "[file:hashes.MD5 = '{}']",
    "email": "[email-addr:value = '{}']",
}
MISP_TYPE = {"ipv4": "ip-dst", "ipv6": "ip-dst", "domain": "domain", "url": "url", "sha256": "sha256",
             "md5": "md5", "email": "email-src"}


def _shareable(incident: Incident) -> bool:
    return incident.tlp != Tlp.RED


def stix_bundle(incident: Incident) -> dict[str, Any]:
    """STIX 2.1: the subject's identity, the incident, its indicators; TLP marking on every object."""
    import stix2

    marking = {
        Tlp.CLEAR: stix2.TLP_WHITE,
        Tlp.GREEN: stix2.TLP_GREEN,
        Tlp.AMBER: stix2.TLP_AMBER,
        Tlp.AMBER_STRICT: stix2.TLP_AMBER,
        Tlp.RED: stix2.TLP_RED,
    }[Tlp(incident.tlp)]
    org = incident.organisation
    created = incident.created_at
    identity = stix2.Identity(
        id=f"identity--{uuid.uuid5(STIX_NAMESPACE, 'org:' + org.registration_number)}",
        name=org.name,
        identity_class="organization",
        sectors=[org.sector] if org.sector else None,
        object_marking_refs=[marking],
    )
    shareable = _shareable(incident)
    stix_incident = stix2.Incident(
        id=f"incident--{incident.public_id}",
        name=f"{incident.reference} {incident.title}",
        description=incident.description if shareable else "TLP:RED — withheld",
        created=created,
        modified=incident.updated_at,
        created_by_ref=identity.id,
        object_marking_refs=[marking],
        labels=[f"annex6:{code}" for code in incident.type_codes],
        allow_custom=True,
        x_kiber_significance=incident.significance,
        x_kiber_criteria=incident.significance_result.get("criteria", []),
        x_kiber_tlp=Tlp(incident.tlp).label,
    )
    objects: list[Any] = [identity, stix_incident]
    if shareable:
        for kind, value in parse_indicators(incident.indicators):
            indicator = stix2.Indicator(
                id=f"indicator--{uuid.uuid5(STIX_NAMESPACE, f'{incident.public_id}:{kind}:{value}')}",
                name=value,
                pattern=STIX_PATTERN[kind].format(value.replace("'", "\\'")),
                pattern_type="stix",
                valid_from=incident.detected_at,
                created=created,
                modified=created,
                created_by_ref=identity.id,
                object_marking_refs=[marking],
            )
            relation = stix2.Relationship(
                id=f"relationship--{uuid.uuid5(STIX_NAMESPACE, 'rel:' + indicator.id)}",
                relationship_type="indicates",
                source_ref=indicator.id,
                target_ref=stix_incident.id,
                created=created,
                modified=created,
                object_marking_refs=[marking],
            )
            objects += [indicator, relation]
    bundle = stix2.Bundle(objects=objects, id=f"bundle--{uuid.uuid5(STIX_NAMESPACE, str(incident.public_id))}",
                          allow_custom=True)
    return json.loads(bundle.serialize())


def misp_event(incident: Incident) -> dict[str, Any]:
    """A MISP event (the JSON MISP imports): TLP as tag and distribution; no IoCs under TLP:RED."""
    tlp = Tlp(incident.tlp)
    attributes = []
    if _shareable(incident):
        for kind, value in parse_indicators(incident.indicators):
            attributes.append({
                "uuid": str(uuid.uuid5(STIX_NAMESPACE, f"misp:{incident.public_id}:{kind}:{value}")),
                "type": MISP_TYPE[kind],
                "category": "Network activity" if kind in ("ipv4", "ipv6", "domain", "url") else "Payload delivery",
                "value": value,
                "to_ids": True,
                "distribution": 5,
            })
    return {
        "Event": {
            "uuid": str(incident.public_id),
            "info": f"{incident.reference} {incident.title}",
            "date": timezone.localtime(incident.detected_at).date().isoformat(),
            "timestamp": str(int(incident.updated_at.timestamp())),
            "threat_level_id": "1" if incident.significance == "significant" else "3",
            "analysis": "2" if incident.resolution == "resolved" else "1",
            "distribution": str(MISP_DISTRIBUTION[tlp]),
            "Orgc": {"name": incident.organisation.name},
            "Tag": [{"name": tlp.label.lower()}] + [{"name": f'kiber:annex6="{c}"'} for c in incident.type_codes],
            "Attribute": attributes,
        }
    }


# ----------------------------------------------------------------------------------------------- XLSX


def xlsx(sheets: list[tuple[str, list[str], list[list[Any]]]]) -> bytes:
    """Sheets of (title, header, rows) through the platform's one XLSX writer (formulas neutralised)."""
    book = workbook.workbook()
    for title, header, rows in sheets:
        widths = [max(12, min(50, len(str(name)) + 4)) for name in header]
        sheet = workbook.sheet(book, title, header, widths)
        workbook.rows(sheet, ([_cell(v) for v in row] for row in rows))
    return workbook.to_bytes(book)


def _cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value
