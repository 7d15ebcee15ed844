"""Pages of penetration tests (p. 132–135) and non-compliance escalation (p. 155–157)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kiber import versioning
from kiber.audit.services import record
from kiber.registry.choices import Role
from kiber.registry.scoping import visible_organisations
from kiber.supervision import labels, selectors
from kiber.supervision import obligation_services as duties
from kiber.supervision.choices import Ground, NonComplianceStatus
from kiber.supervision.flow import save_form
from kiber.supervision.forms import (
    DatedNoteForm,
    NonComplianceForm,
    PentestCreateForm,
    PentestForm,
    PentestOrderForm,
)
from kiber.supervision.history import history_rows
from kiber.supervision.models import Pentest
from kiber.supervision.services import ServiceError
from kiber.web import files


def _authority(request: HttpRequest) -> str:
    authority = selectors.authority(request.user)
    if authority is None:
        raise PermissionDenied
    return authority


def _subject_editor(request: HttpRequest, organisation_id: int | None = None) -> None:
    user = request.user
    if not (user.can_edit_subject and user.organisation_id) or (
        organisation_id is not None and organisation_id != user.organisation_id
    ):
        raise PermissionDenied


# --------------------------------------------------------------------------------------- penetration tests


def _pentest_basis(basis: list[str]) -> list[str]:
    """The rule's basis points about tests (p. 132–135); the same output also covers scans and sensors."""
    return [b for b in basis if b.split("p.")[-1].split(".")[0] in ("132", "133", "134", "135")]


@login_required
def pentest_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    pentests = selectors.pentests_for(user)
    if not user.is_subject and user.role not in selectors.AUDIT_READERS:
        raise PermissionDenied
    own = [user.organisation_id] if user.is_subject and user.organisation_id else []
    return render(
        request,
        "supervision/pentest_list.html",
        {
            "pentests": pentests,
            "schedule": duties.class_a_schedule(own) if own else [],
            "today": timezone.localdate(),
            "can_order": selectors.authority(user) is not None,
            "can_create": bool(user.is_subject and user.can_edit_subject and user.organisation_id),
        },
    )


@login_required
def pentest_order(request: HttpRequest) -> HttpResponse:
    authority = _authority(request)
    form = PentestOrderForm(
        request.POST or None,
        systems=selectors.orderable_systems(request.user),
        initial={"system": request.GET.get("system")},
    )
    response = save_form(
        request,
        form,
        lambda: duties.order_pentest(
            request.user,
            authority,
            form.cleaned_data["system"],
            form.cleaned_data["grounds"],
            form.cleaned_data["note"],
            form.cleaned_data.get("due_by"),
        ),
        _("Ielaušanās tests pieprasīts (132.3. p.)."),
        lambda saved: reverse("supervision:pentest", args=[saved.pk]),
    )
    return response or render(
        request,
        "supervision/simple_form.html",
        {
            "form": form,
            "title": _("Pieprasīt ielaušanās testu"),
            "intro": _(
                "NKC vai SAB var pieprasīt jebkuras informācijas sistēmas ielaušanās testu (132.3. p.), "
                "ņemot vērā vismaz vienu 140. punkta apsvērumu."
            ),
            "submit": _("Pieprasīt"),
            "back_url": reverse("supervision:pentests"),
        },
    )


@login_required
def pentest_create(request: HttpRequest) -> HttpResponse:
    _subject_editor(request)
    form = PentestCreateForm(request.POST or None, organisation=request.user.organisation)
    response = save_form(
        request,
        form,
        lambda: duties.create_pentest(
            request.user, form.cleaned_data["system"], form.cleaned_data["trigger"], form.service_data()
        ),
        _("Ielaušanās tests reģistrēts."),
        lambda saved: reverse("supervision:pentest", args=[saved.pk]),
    )
    return response or render(
        request,
        "supervision/simple_form.html",
        {
            "form": form,
            "title": _("Reģistrēt ielaušanās testu"),
            "submit": _("Saglabāt"),
            "back_url": reverse("supervision:pentests"),
        },
    )


@login_required
def pentest_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pentest = selectors.get_pentest(request.user, pk)
    user = request.user
    editor = bool(user.can_edit_subject and user.organisation_id == pentest.organisation_id)
    form = None
    if editor:
        form = PentestForm(request.POST or None, instance=Pentest.objects.get(pk=pk))
        response = save_form(
            request,
            form,
            lambda: duties.update_pentest(user, pentest, form.service_data()),
            _("Ielaušanās testa ziņas saglabātas."),
            lambda saved: reverse("supervision:pentest", args=[saved.pk]),
        )
        if response:
            return response
    elif request.method == "POST":
        raise PermissionDenied
    result = pentest.obligations or {}
    return render(
        request,
        "supervision/pentest_detail.html",
        {
            "pentest": pentest,
            "form": form,
            "grounds": [Ground(g).label for g in pentest.grounds],
            "reasons": result.get("reasons", []),
            "basis": labels.basis_text(result.get("basis", [])) if result else "",
            "today": timezone.localdate(),
            "sab_late": bool(
                pentest.results_to_sab_due
                and not pentest.results_sent_to_sab_on
                and pentest.results_to_sab_due < timezone.localdate()
            ),
            "history": history_rows(pentest),
        },
    )


# --------------------------------------------------------------------------------------- non-compliance


@login_required
def non_compliance_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_subject and selectors.authority(user) is None and user.role not in selectors.AUDIT_READERS:
        raise PermissionDenied
    return render(
        request,
        "supervision/non_compliance_list.html",
        {
            "items": selectors.non_compliances_for(user),
            "today": timezone.localdate(),
            "can_record": selectors.authority(user) is not None,
            "open": NonComplianceStatus.OPEN,
        },
    )


@login_required
def non_compliance_create(request: HttpRequest) -> HttpResponse:
    authority = _authority(request)
    organisations = visible_organisations(request.user).order_by("name")
    form = NonComplianceForm(
        request.POST or None, organisations=organisations, initial={"found_on": timezone.localdate()}
    )
    response = save_form(
        request,
        form,
        lambda: duties.record_non_compliance(
            request.user, authority, form.cleaned_data["organisation"], form.cleaned_data
        ),
        _("Neatbilstība reģistrēta."),
        lambda saved: reverse("supervision:non_compliance", args=[saved.pk]),
    )
    return response or render(
        request,
        "supervision/simple_form.html",
        {
            "form": form,
            "title": _("Reģistrēt neatbilstību"),
            "intro": _(
                "Ja subjekts līdz termiņam neatbilstību nenovērš, platforma nosaka, kam par to ziņot "
                "(155.–157. p.), un sagatavo vēstuli."
            ),
            "submit": _("Reģistrēt"),
            "back_url": reverse("supervision:non_compliances"),
        },
    )


@login_required
def non_compliance_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_non_compliance(request.user, pk)
    supervisor = selectors.authority(request.user) is not None
    today = timezone.localdate()
    preview = duties.escalation_for(item) if item.status == NonComplianceStatus.OPEN else item.escalation
    return render(
        request,
        "supervision/non_compliance_detail.html",
        {
            "item": item,
            "supervisor": supervisor,
            "overdue": item.status == NonComplianceStatus.OPEN and item.remedy_by < today,
            "target": preview,
            "basis": labels.basis_text(preview.get("basis", [])) if preview else "",
            "progress": item.progress.select_related("by"),
            "note_form": DatedNoteForm(initial={"on": today, "version": item.version}),
            "history": history_rows(item),
        },
    )


def _post_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _authority(request)
    item = selectors.get_non_compliance(request.user, pk)
    form = DatedNoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Norādiet datumu."))
        return redirect("supervision:non_compliance", pk=pk)
    data = form.cleaned_data
    try:
        if action == "escalate":
            duties.escalate(request.user, item, data.get("version"))
            messages.success(request, _("Adresāts noteikts un vēstule sagatavota."))
        elif action == "remedy":
            duties.mark_remedied(request.user, item, data["on"], data.get("note", ""), data.get("version"))
            messages.success(request, _("Neatbilstība atzīmēta kā novērsta."))
        else:
            duties.add_progress(request.user, item, data["on"], data.get("note", ""))
            messages.success(request, _("Gaita pierakstīta."))
    except versioning.StaleVersion:
        messages.error(request, _("Ierakstu pa to laiku mainīja cits lietotājs; pārlādējiet lapu."))
    except ServiceError as exc:
        messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
    return redirect("supervision:non_compliance", pk=pk)


@login_required
@require_POST
def non_compliance_escalate(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(request, pk, "escalate")


@login_required
@require_POST
def non_compliance_remedy(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(request, pk, "remedy")


@login_required
@require_POST
def non_compliance_progress(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(request, pk, "progress")


@login_required
def non_compliance_letter(request: HttpRequest, pk: int) -> HttpResponse:
    _authority(request)
    item = selectors.get_non_compliance(request.user, pk)
    if not item.letter:
        raise Http404
    record(request.user, "read", item, organisation_id=item.organisation_id, changes={"letter": True})
    return files.download(item.letter, f"neatbilstiba-{item.pk}.pdf")


@login_required
def supervision_home(request: HttpRequest) -> HttpResponse:
    """The supervision workspace of the user's role: its sections and its next due items."""
    from kiber.supervision.dashboard import due_items, sections

    return render(
        request,
        "supervision/home.html",
        {
            "sections": sections(request.user),
            "due_items": due_items(request.user, timezone.localdate()),
        },
    )


@login_required
def transition_list(request: HttpRequest) -> HttpResponse:
    """The dated transitions of ch. 9: the subject's own; for supervisors every visible subject's and their own."""
    from kiber.supervision import transitions

    user = request.user
    if user.is_subject and user.organisation_id:
        rows = [(user.organisation, transitions.for_subject(user.organisation))]
        own: list[transitions.Transition] = []
    elif user.role in (Role.NKC_SUPERVISOR, Role.SAB_OFFICER, Role.CSIRT_ANALYST, Role.PLATFORM_ADMIN):
        rows = [(o, transitions.for_subject(o)) for o in visible_organisations(user).order_by("name")]
        own = transitions.for_supervisors()
    else:
        raise PermissionDenied
    return render(
        request,
        "supervision/transitions.html",
        {
            "rows": rows,
            "own": own,
            "today": timezone.localdate(),
            "in_force": transitions.entry_into_force(),
        },
    )
