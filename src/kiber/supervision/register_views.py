"""Pages of the auditor register: the Committee's workspace (p. 125–129) and the public list (p. 129)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kiber import versioning
from kiber.audit.services import record
from kiber.supervision import labels, public, selectors, services
from kiber.supervision.choices import REASONS_FOR_KIND, AuditorKind, AuditorStatus
from kiber.supervision.flow import show_errors
from kiber.supervision.forms import AuditorForm, CertificateForm, ChangeReportForm, NoteForm, RemoveForm
from kiber.supervision.history import history_rows
from kiber.supervision.models import Auditor, AuditorChange
from kiber.web import files
from kiber.xlsx import csv_bytes


def _committee_only(request: HttpRequest) -> None:
    if not selectors.is_committee(request.user):
        raise PermissionDenied


def _certificate(form: CertificateForm) -> services.NewCertificate:
    data = form.cleaned_data
    return services.NewCertificate(
        kind=data["certificate_kind"],
        other_name=data.get("certificate_other_name", ""),
        holder=data["certificate_holder"],
        number=data.get("certificate_number", ""),
        valid_until=data.get("certificate_valid_until"),
        upload=data["certificate_file"],
    )


# --------------------------------------------------------------------------------------- Committee


@login_required
def auditor_list(request: HttpRequest) -> HttpResponse:
    _committee_only(request)
    status = request.GET.get("status", "")
    auditors = Auditor.objects.prefetch_related("certificates").order_by("name")
    if status in AuditorStatus.values:
        auditors = auditors.filter(status=status)
    open_changes = AuditorChange.objects.filter(handled_on__isnull=True).select_related("auditor")
    context = {
        "auditors": auditors,
        "status": status,
        "statuses": AuditorStatus.choices,
        "open_changes": open_changes,
        "review_due": selectors.review_due(timezone.localdate()),
        "last_review": selectors.last_review(),
        "review_form": NoteForm(),
    }
    return render(request, "supervision/auditor_list.html", context)


@login_required
def auditor_create(request: HttpRequest) -> HttpResponse:
    _committee_only(request)
    form = AuditorForm(request.POST or None)
    certificate_form = CertificateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and certificate_form.is_valid():
        try:
            auditor = services.register_auditor(
                request.user, form.service_data(), _certificate(certificate_form), list(form.cleaned_data["users"])
            )
        except services.ServiceError as exc:
            show_errors(exc, form, certificate_form)
        else:
            messages.success(request, _("Auditors reģistrēts kiberdrošības auditoru sarakstā."))
            return redirect("supervision:auditor", pk=auditor.pk)
    return render(
        request,
        "supervision/auditor_form.html",
        {"form": form, "certificate_form": certificate_form, "auditor": None},
    )


@login_required
def auditor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _committee_only(request)
    auditor = selectors.get_auditor(request.user, pk)
    # The form gets its own copy: a model form writes the posted values into its instance while validating.
    form = AuditorForm(request.POST or None, instance=Auditor.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_auditor(request.user, auditor, form.service_data(), list(form.cleaned_data["users"]))
        except versioning.StaleVersion:
            versioning.form_conflict(form, request)
        except services.ServiceError as exc:
            show_errors(exc, form)
        else:
            messages.success(request, _("Auditora ziņas precizētas (127. p.)."))
            return redirect("supervision:auditor", pk=auditor.pk)
    return render(request, "supervision/auditor_form.html", {"form": form, "auditor": auditor})


@login_required
def auditor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    auditor = selectors.get_auditor(request.user, pk)
    committee = selectors.is_committee(request.user)
    eligibility = auditor.eligibility or {}
    context = {
        "auditor": auditor,
        "committee": committee,
        "certificates": auditor.certificates.all(),
        "changes": auditor.changes.select_related("reported_by", "handled_by"),
        "basis": labels.basis_text(eligibility.get("basis", [])) if eligibility else "",
        "reasons": labels.eligibility_lines(auditor),
        "legal": auditor.kind == AuditorKind.LEGAL,
        "change_form": ChangeReportForm(),
        "history": history_rows(auditor) if committee else [],
    }
    if committee and auditor.status == AuditorStatus.REGISTERED:
        remove_form = RemoveForm(initial={"version": auditor.version})
        allowed = REASONS_FOR_KIND[AuditorKind(auditor.kind)]
        remove_form.fields["reason"].choices = [(r.value, r.label) for r in allowed]
        context.update(remove_form=remove_form, certificate_form=CertificateForm(), note_form=NoteForm())
    return render(request, "supervision/auditor_detail.html", context)


@login_required
def auditor_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _committee_only(request)
    auditor = selectors.get_auditor(request.user, pk)
    form = RemoveForm(request.POST or None, initial={"version": auditor.version})
    form.fields["reason"].choices = [(r.value, r.label) for r in REASONS_FOR_KIND[AuditorKind(auditor.kind)]]
    if request.method == "POST" and form.is_valid():
        try:
            services.remove_auditor(
                request.user,
                auditor,
                form.cleaned_data["reason"],
                form.cleaned_data["note"],
                form.cleaned_data.get("version"),
            )
        except versioning.StaleVersion:
            versioning.form_conflict(form, request)
        except services.ServiceError as exc:
            show_errors(exc, form)
        else:
            messages.success(request, _("Auditors izslēgts no saraksta."))
            return redirect("supervision:auditor", pk=auditor.pk)
    return render(
        request,
        "supervision/simple_form.html",
        {
            "form": form,
            "title": _("Izslēgt auditoru no saraksta"),
            "subtitle": auditor.name,
            "submit": _("Izslēgt"),
            "back_url": reverse("supervision:auditor", args=[auditor.pk]),
        },
    )


@login_required
def certificate_add(request: HttpRequest, pk: int) -> HttpResponse:
    _committee_only(request)
    auditor = selectors.get_auditor(request.user, pk)
    form = CertificateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_certificate(request.user, auditor, _certificate(form))
        except services.ServiceError as exc:
            show_errors(exc, form)
        else:
            messages.success(request, _("Sertifikāta kopija pievienota."))
            return redirect("supervision:auditor", pk=auditor.pk)
    return render(
        request,
        "supervision/simple_form.html",
        {
            "form": form,
            "title": _("Pievienot sertifikātu"),
            "subtitle": auditor.name,
            "submit": _("Pievienot"),
            "back_url": reverse("supervision:auditor", args=[auditor.pk]),
            "multipart": True,
        },
    )


@login_required
def certificate_download(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = selectors.get_certificate(request.user, pk)
    record(request.user, "read", certificate, changes={"auditor": certificate.auditor_id})
    return files.download(certificate.file, certificate.original_name)


@login_required
def change_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The auditor's own account (or the Committee) reports a change in the application data (p. 127)."""
    auditor = selectors.get_auditor(request.user, pk)
    form = ChangeReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.report_change(
                request.user, auditor, form.cleaned_data["changed_on"], form.cleaned_data["description"]
            )
        except services.ServiceError as exc:
            show_errors(exc, form)
        else:
            if change.late:
                messages.warning(request, _("Izmaiņas paziņotas vēlāk nekā mēneša laikā (127. p.)."))
            else:
                messages.success(request, _("Ziņas par izmaiņām nosūtītas komitejai."))
            return redirect("supervision:auditor", pk=auditor.pk)
    return render(
        request,
        "supervision/simple_form.html",
        {
            "form": form,
            "title": _("Ziņot par izmaiņām (127. p.)"),
            "subtitle": auditor.name,
            "submit": _("Ziņot"),
            "back_url": reverse("supervision:auditor", args=[auditor.pk]),
        },
    )


@login_required
@require_POST
def change_handle(request: HttpRequest, pk: int) -> HttpResponse:
    _committee_only(request)
    change = get_object_or_404(AuditorChange, pk=pk)
    form = NoteForm(request.POST)
    form.is_valid()
    try:
        services.handle_change(request.user, change, form.cleaned_data.get("note", ""))
    except services.ServiceError as exc:
        messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
    else:
        messages.success(request, _("Izmaiņas atzīmētas kā izskatītas."))
    return redirect("supervision:auditor", pk=change.auditor_id)


@login_required
@require_POST
def register_review(request: HttpRequest) -> HttpResponse:
    _committee_only(request)
    form = NoteForm(request.POST)
    form.is_valid()
    with transaction.atomic():
        services.record_review(request.user, form.cleaned_data.get("note", ""))
    messages.success(request, _("Auditoru saraksta ikgadējā pārskatīšana reģistrēta (129. p.)."))
    return redirect("supervision:auditors")


# --------------------------------------------------------------------------------------- public (no sign-in)


def public_register(request: HttpRequest) -> HttpResponse:
    auditors = list(selectors.public_auditors())
    review = selectors.last_review()
    return render(
        request,
        "supervision/public_register.html",
        {
            "entries": [
                public.entry(a) | {"kind_label": AuditorKind(a.kind).label, "registered_date": a.registered_on}
                for a in auditors
            ],
            "last_review": review,
        },
    )


def public_register_json(request: HttpRequest) -> HttpResponse:
    review = selectors.last_review()
    data = public.as_json(list(selectors.public_auditors()), review.reviewed_on if review else None)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"  # public data: other sites (NKC's) may embed the list
    return response


def public_register_csv(request: HttpRequest) -> HttpResponse:
    return files.download(csv_bytes(public.csv_rows(list(selectors.public_auditors()))), "kiberdrosibas-auditori.csv")
