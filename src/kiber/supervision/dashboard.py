"""The next supervision duties of a user, for the role's home page: what, by when, on which basis."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from kiber.registry.choices import Role
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
    if user.role == Role.AUDITOR:
        items += _auditor(user)
    if user.is_subject or user.role in selectors.AUDIT_READERS:
        items += _findings(user, today)
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


def _auditor(user: User) -> list[DueItem]:
    """The audits naming the auditor's firm (p. 130), open ones first."""
    return [
        DueItem(
            _("Audits: %(subject)s (%(status)s)") % {"subject": a.organisation.name, "status": a.get_status_display()},
            a.completed_on or a.starts_on,
            "22-TA-3183 130. p.",
            reverse("supervision:audit", args=[a.pk]),
        )
        for a in selectors.audits_for(user).exclude(status="completed")
    ]


def _findings(user: User, today: date) -> list[DueItem]:
    """Open actions of audit findings: the subject's own; for NKC and SAB only the overdue ones of their subjects."""
    findings = selectors.open_findings(user)
    supervisor = not user.is_subject
    if supervisor:
        findings = findings.filter(due_on__lt=today)
    items = []
    for f in findings.order_by("due_on")[:20]:
        title = _("Audita pasākums: %(title)s") % {"title": f.title}
        if supervisor:
            title = f"{f.audit.organisation.name}: {title}"
        items.append(
            DueItem(
                title,
                f.due_on,
                "22-TA-3183 130. p.",
                reverse("supervision:audit", args=[f.audit_id]),
                overdue=f.due_on < today,
            )
        )
    return items
