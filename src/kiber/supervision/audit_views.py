"""Pages of compliance audits (p. 130–131): the subject records, NKC/SAB follow, the named auditor reads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kiber.audit.services import record
from kiber.supervision import audit_services, labels, selectors
from kiber.supervision.choices import GUARANTEES, ActionStatus, FindingSeverity
from kiber.supervision.flow import save_form
from kiber.supervision.forms import AuditForm, FindingForm, ReportForm
from kiber.supervision.history import history_rows
from kiber.supervision.models import Audit, AuditFinding
from kiber.web import files


def _editor_only(request: HttpRequest, audit: Audit | None = None) -> None:
    if not selectors.can_edit_audit(request.user, audit):
        raise PermissionDenied


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    audits = (
        selectors.audits_for(request.user)
        .annotate(open_findings=Count("findings", filter=~Q(findings__status=ActionStatus.DONE)))
        .order_by("-contract_signed_on", "-id")
    )
    if request.user.role in selectors.AUDIT_READERS and request.GET.get("q"):
        audits = audits.filter(organisation__name__icontains=request.GET["q"])
    findings = selectors.open_findings(request.user).order_by("due_on")[:50]
    return render(
        request,
        "supervision/audit_list.html",
        {
            "audits": audits,
            "findings": findings,
            "today": timezone.localdate(),
            "can_create": selectors.can_edit_audit(request.user),
            "is_reader": request.user.role in selectors.AUDIT_READERS,
            "q": request.GET.get("q", ""),
        },
    )


@login_required
def audit_create(request: HttpRequest) -> HttpResponse:
    _editor_only(request)
    organisation = request.user.organisation
    form = AuditForm(request.POST or None, organisation=organisation)
    response = save_form(
        request,
        form,
        lambda: audit_services.create_audit(
            request.user, organisation, form.service_data(), list(form.cleaned_data["systems"])
        ),
        _("Audits reģistrēts."),
        lambda audit: reverse("supervision:audit", args=[audit.pk]),
    )
    return response or render(
        request, "supervision/audit_form.html", {"form": form, "audit": None, "organisation": organisation}
    )


@login_required
def audit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    audit = selectors.get_audit(request.user, pk)
    _editor_only(request, audit)
    form = AuditForm(request.POST or None, instance=Audit.objects.get(pk=pk), organisation=audit.organisation)
    response = save_form(
        request,
        form,
        lambda: audit_services.update_audit(
            request.user, audit, form.service_data(), list(form.cleaned_data["systems"])
        ),
        _("Audita ziņas saglabātas."),
        lambda saved: reverse("supervision:audit", args=[saved.pk]),
    )
    return response or render(
        request, "supervision/audit_form.html", {"form": form, "audit": audit, "organisation": audit.organisation}
    )


@login_required
def audit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    audit = selectors.get_audit(request.user, pk)
    editor = selectors.can_edit_audit(request.user, audit)
    checks = {c["check"]: c for c in audit.checks}
    guarantees = [(label, point, getattr(audit, field)) for field, point, label in GUARANTEES]
    return render(
        request,
        "supervision/audit_detail.html",
        {
            "audit": audit,
            "editor": editor,
            "guarantees": guarantees,
            "independence": checks.get("independence_3_years"),
            "sab_check": checks.get("sab_opinion_before_contract"),
            "basis": labels.basis_text([c["basis"] for c in audit.checks]),
            "findings": audit.findings.all(),
            "today": timezone.localdate(),
            "report_form": ReportForm() if editor else None,
            "history": history_rows(audit),
        },
    )


@login_required
def audit_report_upload(request: HttpRequest, pk: int) -> HttpResponse:
    audit = selectors.get_audit(request.user, pk)
    _editor_only(request, audit)
    form = ReportForm(request.POST or None, request.FILES or None)
    response = save_form(
        request,
        form,
        lambda: audit_services.attach_report(request.user, audit, form.cleaned_data["report"]),
        _("Audita ziņojums pievienots."),
        lambda saved: reverse("supervision:audit", args=[saved.pk]),
    )
    return response or render(
        request,
        "supervision/simple_form.html",
        {
            "form": form,
            "title": _("Pievienot audita ziņojumu"),
            "subtitle": str(audit),
            "submit": _("Pievienot"),
            "back_url": reverse("supervision:audit", args=[audit.pk]),
            "multipart": True,
        },
    )


@login_required
def audit_report(request: HttpRequest, pk: int) -> HttpResponse:
    audit = selectors.get_audit(request.user, pk)
    if not audit.report:
        raise Http404
    record(request.user, "read", audit, organisation_id=audit.organisation_id, changes={"report": audit.report_name})
    return files.download(audit.report, audit.report_name)


@login_required
def finding_create(request: HttpRequest, pk: int) -> HttpResponse:
    audit = selectors.get_audit(request.user, pk)
    _editor_only(request, audit)
    form = FindingForm(request.POST or None, initial={"severity": FindingSeverity.MEDIUM})
    response = save_form(
        request,
        form,
        lambda: audit_services.add_finding(request.user, audit, form.service_data()),
        _("Konstatējums un novēršanas pasākums pievienots."),
        lambda saved: reverse("supervision:audit", args=[audit.pk]),
    )
    return response or render(
        request,
        "supervision/simple_form.html",
        {
            "form": form,
            "title": _("Pievienot konstatējumu"),
            "subtitle": str(audit),
            "submit": _("Pievienot"),
            "back_url": reverse("supervision:audit", args=[audit.pk]),
        },
    )


@login_required
def finding_edit(request: HttpRequest, pk: int) -> HttpResponse:
    finding = selectors.get_finding(request.user, pk)
    _editor_only(request, finding.audit)
    form = FindingForm(request.POST or None, instance=AuditFinding.objects.get(pk=pk))
    response = save_form(
        request,
        form,
        lambda: audit_services.update_finding(request.user, finding, form.service_data()),
        _("Pasākums saglabāts."),
        lambda saved: reverse("supervision:audit", args=[finding.audit_id]),
    )
    return response or render(
        request,
        "supervision/simple_form.html",
        {
            "form": form,
            "title": _("Labot konstatējumu"),
            "subtitle": str(finding.audit),
            "submit": _("Saglabāt"),
            "back_url": reverse("supervision:audit", args=[finding.audit_id]),
        },
    )
