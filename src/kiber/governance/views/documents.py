"""The management documentation set: list with filters, detail, approve, correct, new version, SAB delivery."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kiber.governance import selectors
from kiber.governance.choices import POLICY_CONTENT, DocumentPart
from kiber.governance.forms import DocumentForm
from kiber.governance.models import ManagementDocument
from kiber.governance.services import documents as services
from kiber.governance.views.common import back_to, list_organisation, own_organisation, require_edit, save_form
from kiber.registry.choices import Role
from kiber.web import files

FILTERS = ("organisation", "part", "status", "history")


def rows(documents: list[ManagementDocument]) -> list[dict[str, object]]:
    today = timezone.localdate()
    return [
        {
            "document": d,
            "review_overdue": d.review_due is not None and d.review_due < today and not hasattr(d, "next_version"),
            "sab": services.sab_status(d, today),
        }
        for d in documents
    ]


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    organisation = list_organisation(request)
    queryset = selectors.documents(request.user, organisation)
    if request.GET.get("history") != "1":
        queryset = queryset.filter(next_version__isnull=True)
    part = request.GET.get("part", "")
    if part in DocumentPart.values:
        queryset = queryset.filter(part=part)
    found = rows(list(queryset.order_by("organisation__name", "part", "title")))
    status = request.GET.get("status", "")
    if status == "review_overdue":
        found = [r for r in found if r["review_overdue"]]
    elif status in ("overdue", "open", "met", "late"):
        found = [r for r in found if r["sab"] == status]
    context = {
        "rows": found,
        "organisation": organisation,
        "organisations": None if request.user.is_subject else selectors.organisations(request.user),
        "filters": {k: request.GET.get(k, "") for k in FILTERS},
        "parts": DocumentPart.choices,
        "can_edit": organisation is not None and selectors.can_edit(request.user, organisation.pk),
        "missing_parts": _missing_parts(found) if organisation is not None else [],
    }
    return render(request, "governance/documents.html", context)


def _missing_parts(found: list[dict[str, object]]) -> list[str]:
    present = {r["document"].part for r in found}  # type: ignore[attr-defined]
    return [str(label) for value, label in DocumentPart.choices if value not in present]


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document(request.user, pk)
    if request.user.role == Role.SAB_OFFICER and document.sab_delivered_at:
        services.sab_received(request.user, document)
    history = []
    older = document.previous
    while older is not None:
        history.append(older)
        older = older.previous
    context = {
        "document": document,
        "organisation": document.organisation,
        "can_edit": selectors.can_edit(request.user, document.organisation_id),
        "is_current": not hasattr(document, "next_version"),
        "newer": getattr(document, "next_version", None),
        "history": history,
        "sab": services.sab_status(document),
        "policy_content": [(point, label, point in document.content_points) for point, label in POLICY_CONTENT],
        "today": timezone.localdate(),
    }
    return render(request, "governance/document_detail.html", context)


@login_required
def document_new(request: HttpRequest) -> HttpResponse:
    organisation = own_organisation(request)
    require_edit(request, organisation.pk)
    initial = {"part": request.GET.get("part")} if request.GET.get("part") in DocumentPart.values else {}
    form = DocumentForm(request.POST or None, request.FILES or None, initial=initial)
    return save_form(
        request,
        form,
        lambda data: services.create_document(request.user, organisation, data, data.get("file")),
        back_to("governance:document"),
        {
            "title": _("Jauns pārvaldības dokuments"),
            "back": "governance:documents",
            "multipart": True,
            "intro": _(
                "Dokumentu kopumu veido politika, katalogs, plāns un incidentu žurnāls (23. p.); katru daļu "
                "var veidot kā vienu vai vairākus dokumentus (24. p.)."
            ),
        },
        _("Dokuments reģistrēts."),
    )


@login_required
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document(request.user, pk)
    require_edit(request, document.organisation_id)
    form = DocumentForm(request.POST or None, request.FILES or None, instance=document)
    fresh = ManagementDocument.objects.get(pk=document.pk)
    return save_form(
        request,
        form,
        lambda data: services.update_document(request.user, fresh, data, data.get("file")),
        back_to("governance:document"),
        {"title": _("Labot dokumenta ierakstu"), "back_object": document, "multipart": True},
        _("Dokumenta ieraksts saglabāts."),
    )


@login_required
def document_version(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve a new version: the form starts from the current one; the file is the new version's."""
    previous = selectors.document(request.user, pk)
    require_edit(request, previous.organisation_id)
    if hasattr(previous, "next_version"):
        raise Http404
    initial = {
        "title": previous.title,
        "approved_by": previous.approved_by,
        "copy_location": previous.copy_location,
        "content_points": previous.content_points,
        "approved_on": timezone.localdate(),
    }
    form = DocumentForm(request.POST or None, request.FILES or None, initial=initial, new_version=True)
    return save_form(
        request,
        form,
        lambda data: services.new_version(request.user, previous, data, data.get("file")),
        back_to("governance:document"),
        {
            "title": _("Apstiprināt jaunu versiju: %(title)s") % {"title": previous.title},
            "back_object": previous,
            "multipart": True,
        },
        _("Jaunā versija reģistrēta."),
    )


@login_required
def document_file(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document(request.user, pk)
    if not document.file:
        raise Http404
    return files.download(document.file, document.file_name or f"dokuments-{document.pk}")


@login_required
@require_POST
def document_deliver(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document(request.user, pk)
    require_edit(request, document.organisation_id)
    try:
        services.deliver_to_sab(request.user, ManagementDocument.objects.get(pk=document.pk))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Dokuments iesniegts Satversmes aizsardzības birojam (28.1. p.)."))
    return redirect("governance:document", pk=document.pk)
