"""The next supervision duties of a user, for the role's home page: what, by when, on which basis."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from kiber.registry.models import User
from kiber.supervision import selectors
from kiber.supervision.models import AuditorChange


@dataclass(frozen=True)
class DueItem:
    title: str
    due: date | None
    basis: str
    url: str
    overdue: bool = False


def due_items(user: User, today: date) -> list[DueItem]:
    items: list[DueItem] = []
    if selectors.is_committee(user):
        items += _committee(today)
    return sorted(items, key=lambda i: (i.due is None, i.due or today))


def _committee(today: date) -> list[DueItem]:
    items = []
    review_due = selectors.review_due(today)
    if review_due is not None:
        items.append(
            DueItem(_("Pārskatīt auditoru sarakstu"), review_due, "22-TA-3183 129. p.", reverse("supervision:auditors"))
        )
    for change in AuditorChange.objects.filter(handled_on__isnull=True).select_related("auditor"):
        items.append(
            DueItem(
                _("Izskatīt auditora ziņas par izmaiņām: %(name)s") % {"name": change.auditor.name},
                None,
                "22-TA-3183 127. p.",
                reverse("supervision:auditor", args=[change.auditor_id]),
            )
        )
    return items
