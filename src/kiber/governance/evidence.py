"""Which governance records evidence a self-assessment item (issue 13: the answers point at the records).

``links(user, organisation)`` builds, once per page, the records per requirement point of p. 23–46 and
85–105; ``for_point`` picks those of one item (a point like ``30.2`` matches the ``30`` entry).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from kiber.governance import selectors
from kiber.governance.choices import DocumentPart
from kiber.registry.models import Organisation, User

# Points answered by the documents of one part of the documentation set (p. 23–46).
_DOCUMENT_POINTS = {
    DocumentPart.POLICY: ("23.1", "25", "26", "27", "28.1", "29", "30"),
    DocumentPart.CATALOGUE: ("23.2", "25", "26", "27", "28.2", "32"),
    DocumentPart.PLAN: ("23.3", "25", "26", "27", "28.1", "40", "41", "42", "43", "44"),
    DocumentPart.INCIDENT_LOG: ("23.4", "25", "26", "27", "28.2"),
}
_RISK_POINTS = ("42.1", "42.2", "42.3", "43.1")
_CONTINUITY_POINTS = ("42.4", "43.2", "43.3", "44", "45", "46")
_OUTSOURCING_POINTS = tuple(str(p) for p in range(85, 106))


def _query(organisation: Organisation, user: User) -> str:
    return "" if user.is_subject else f"?organisation={organisation.pk}"


def links(user: User, organisation: Organisation) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}

    def add(points: tuple[str, ...], label: str, url: str) -> None:
        for point in points:
            found.setdefault(point, []).append({"label": label, "url": url})

    for document in selectors.current_documents(user, organisation).order_by("title"):
        add(
            _DOCUMENT_POINTS.get(document.part, ()),
            f"{document.title} v{document.edition}",
            document.get_absolute_url(),
        )
    query = _query(organisation, user)
    if selectors.methodology(organisation) is not None and user.is_authenticated:
        count = selectors.risks(user, organisation).count()
        add(_RISK_POINTS, _("Kiberrisku reģistrs (%(n)s)") % {"n": count}, reverse("governance:risks") + query)
    if selectors.continuity(user, organisation).exists():
        add(_CONTINUITY_POINTS, _("Darbības nepārtrauktības raksturlielumi"), reverse("governance:continuity") + query)
    if selectors.sees_outsourcing(user, organisation):
        count = selectors.contracts(user, organisation).count()
        if count:
            add(
                _OUTSOURCING_POINTS,
                _("Ārpakalpojumu līgumu reģistrs (%(n)s)") % {"n": count},
                reverse("governance:contracts") + query,
            )
    return found


def for_point(found: dict[str, list[dict[str, Any]]], point: str) -> list[dict[str, Any]]:
    """The records for ``point`` and for the points it falls under (``42.2`` → ``42.2`` and ``42``)."""
    parts = point.split(".")
    keys = [".".join(parts[:n]) for n in range(len(parts), 0, -1)]
    seen: dict[str, dict[str, Any]] = {}
    for key in keys:
        for link in found.get(key, []):
            seen.setdefault(link["url"], link)
    return list(seen.values())
