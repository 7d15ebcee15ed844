"""The governance section's tabs and small badges, shared by every page of the app."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kiber.governance import selectors

register = template.Library()

TABS = (
    ("governance:documents", _("Dokumenti"), False),
    ("governance:providers", _("Sniedzēji"), True),
    ("governance:contracts", _("Ārpakalpojumu līgumi"), True),
    ("governance:opinions", _("SAB atzinumi"), True),
    ("governance:risks", _("Riski"), False),
    ("governance:continuity", _("Nepārtrauktība"), False),
)


@register.inclusion_tag("governance/_tabs.html", takes_context=True)
def governance_tabs(context: Any, organisation: Any = None) -> dict[str, Any]:
    """Links to the registers of ``organisation`` (supervisors: with ``?organisation=``); outsourcing hidden
    where the reader may not see it (NKC and a CI owner)."""
    request = context["request"]
    user = request.user
    if not hasattr(organisation, "pk"):  # a page without one: a subject's own, a supervisor's none
        organisation = user.organisation if user.is_subject else None
    query = f"?organisation={organisation.pk}" if organisation is not None and not user.is_subject else ""
    tabs = []
    if organisation is not None:
        url = reverse("governance:overview", kwargs={"organisation_pk": organisation.pk})
        home = reverse("governance:home")
        tabs.append({"url": url, "label": _("Pārskats"), "active": request.path in (url, home)})
    for name, label, outsourcing in TABS:
        if outsourcing and organisation is not None and not selectors.sees_outsourcing(user, organisation):
            continue
        url = reverse(name)
        tabs.append({"url": url + query, "label": label, "active": request.path.startswith(url)})
    if organisation is not None and organisation.is_ci_owner and selectors.sees_outsourcing(user, organisation):
        url = reverse("governance:state_threat")
        tabs.append(
            {"url": url + query, "label": _("Valsts apdraudējuma plāns"), "active": request.path.startswith(url)}
        )
    return {"tabs": tabs, "organisation": organisation, "is_subject": user.is_subject}


@register.inclusion_tag("governance/_decision.html")
def decision_badge(decision: str, label: str) -> dict[str, str]:
    css = {"allowed": "ok", "sab_opinion_required": "warn", "forbidden": "bad"}.get(decision, "")
    return {"css": css, "label": label}


@register.inclusion_tag("governance/_sab.html")
def sab_badge(status: str | None, document: Any) -> dict[str, Any]:
    return {"status": status, "document": document}


@register.inclusion_tag("governance/_evidence.html", takes_context=True)
def governance_evidence(context: Any, point: str, organisation: Any) -> dict[str, Any]:
    """The governance records that evidence a self-assessment item; built once per page render."""
    from kiber.governance import evidence

    cache = context.render_context.setdefault("governance_evidence", {})
    if organisation.pk not in cache:
        cache[organisation.pk] = evidence.links(context["request"].user, organisation)
    return {"links": evidence.for_point(cache[organisation.pk], str(point))}
