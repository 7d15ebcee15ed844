"""The next supervision duties of a user, for the role's home page: what, by when, on which basis."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kiber.registry.choices import Role
from kiber.registry.models import User
from kiber.supervision import obligation_services as duties
from kiber.supervision import selectors, transitions
from kiber.supervision.choices import NonComplianceStatus, PentestStatus
from kiber.supervision.models import AuditorChange, SensorEvent


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
        items += _pentests(user, today)
        items += _non_compliance(user, today)
    items += _sensors(user, today)
    if user.is_subject and user.organisation_id:
        items += [
            DueItem(t.what, t.due, t.basis, reverse("supervision:transitions"))
            for t in transitions.for_subject(user.organisation)
            if t.due >= today
        ]
    items += _scans(user)
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


def sections(user: User) -> list[tuple[str, str]]:
    """(label, url) of the supervision pages the user's role may open."""
    found = []
    subject = user.is_subject and user.organisation_id
    if subject or user.role in selectors.AUDIT_READERS or user.role == Role.AUDITOR:
        found.append((_("Atbilstības auditi"), reverse("supervision:audits")))
    if subject or user.role in selectors.AUDIT_READERS:
        found.append((_("Ielaušanās testi"), reverse("supervision:pentests")))
        found.append((_("Neatbilstības"), reverse("supervision:non_compliances")))
    if subject or user.role in (Role.NKC_SUPERVISOR, Role.SAB_OFFICER, Role.CSIRT_ANALYST):
        found.append((_("Drošības skenēšana"), reverse("supervision:scans")))
    if subject or user.role in (Role.SAB_OFFICER, Role.CSIRT_ANALYST):
        found.append((_("Agrās brīdināšanas sensori"), reverse("supervision:sensors")))
    if subject or user.role in (Role.NKC_SUPERVISOR, Role.SAB_OFFICER, Role.CSIRT_ANALYST, Role.PLATFORM_ADMIN):
        found.append((_("Pārejas termiņi (9. nodaļa)"), reverse("supervision:transitions")))
    found.append((_("Kiberdrošības auditoru saraksts"), reverse("supervision:public_register")))
    return found


def _pentests(user: User, today: date) -> list[DueItem]:
    """Ordered tests not yet done (by their due date) and CI owners' results due at SAB (p. 135)."""
    items = []
    if user.is_subject and user.organisation_id:
        # Without a test yet the rule's due date is the go-live, which the catalogue does not hold: the page shows it.
        for row in [r for r in duties.class_a_schedule([user.organisation_id]) if r["due"] is not None]:
            items.append(
                DueItem(
                    _("A klases sistēmas ielaušanās tests: %(system)s") % {"system": row["system"].name},
                    row["due"],
                    row["basis"],
                    reverse("supervision:pentests"),
                    overdue=bool(row["overdue"]),
                )
            )
    tests = selectors.pentests_for(user)
    for p in tests.exclude(status=PentestStatus.DONE).exclude(due_by=None):
        items.append(
            DueItem(
                _("Ielaušanās tests: %(system)s (%(subject)s)")
                % {"system": p.system.name, "subject": p.organisation.name},
                p.due_by,
                "22-TA-3183 132.3. p.",
                reverse("supervision:pentest", args=[p.pk]),
                overdue=p.due_by < today,
            )
        )
    for p in tests.filter(results_sent_to_sab_on=None).exclude(results_to_sab_due=None):
        items.append(
            DueItem(
                _("Testa rezultāti SAB: %(system)s (%(subject)s)")
                % {"system": p.system.name, "subject": p.organisation.name},
                p.results_to_sab_due,
                "22-TA-3183 135. p.",
                reverse("supervision:pentest", args=[p.pk]),
                overdue=p.results_to_sab_due < today,
            )
        )
    return items


def _non_compliance(user: User, today: date) -> list[DueItem]:
    items = []
    for n in selectors.non_compliances_for(user).filter(status=NonComplianceStatus.OPEN):
        overdue = n.remedy_by < today
        title = _("Novērst neatbilstību: %(subject)s") % {"subject": n.organisation.name}
        if overdue and not user.is_subject:
            title = _("Termiņš pagājis — ziņot (155.–157. p.): %(subject)s") % {"subject": n.organisation.name}
        items.append(
            DueItem(
                title,
                n.remedy_by,
                "22-TA-3183 155.–157. p.",
                reverse("supervision:non_compliance", args=[n.pk]),
                overdue=overdue,
            )
        )
    return items


def _sensors(user: User, today: date) -> list[DueItem]:
    """CERT.LV: notices still owed to subjects (p. 147); a subject or SAB: the sensor work it was told about."""
    events = SensorEvent.objects.filter(sensor__in=selectors.sensors_for(user)).select_related("sensor__organisation")
    items = []
    if selectors.is_csirt(user):
        for e in events.filter(subject_informed_on=None):
            items.append(
                DueItem(
                    _("Informēt subjektu par sensoru: %(subject)s") % {"subject": e.sensor.organisation.name},
                    e.subject_notice_due,
                    "22-TA-3183 147. p.",
                    reverse("supervision:sensor", args=[e.sensor_id]),
                    overdue=e.subject_notice_due < today,
                )
            )
        return items
    for e in events.exclude(subject_informed_on=None).filter(on__gte=today - timedelta(days=30)):
        items.append(
            DueItem(
                _("CERT.LV paziņojums: %(kind)s — %(location)s")
                % {"kind": e.get_kind_display(), "location": e.sensor.location},
                None,
                "22-TA-3183 147. p.",
                reverse("supervision:sensor", args=[e.sensor_id]),
            )
        )
    return items


def _scans(user: User) -> list[DueItem]:
    """Scans announced and not yet reported: the start moment (the notice went out 48 hours before, p. 139.3)."""
    scans = selectors.scans_for(user).filter(results_delivered_at=None)
    return [
        DueItem(
            _("Drošības skenēšana: %(subject)s") % {"subject": s.organisation.name},
            timezone.localtime(s.starts_at).date(),
            "22-TA-3183 139. p.",
            reverse("supervision:scan", args=[s.pk]),
        )
        for s in scans[:10]
    ]
