"""Pages of security scans (p. 136–141) and early-warning sensors (p. 142–150)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kiber.registry.models import Organisation
from kiber.registry.scoping import visible_organisations
from kiber.supervision import field_services as field
from kiber.supervision import labels, selectors
from kiber.supervision.choices import Ground
from kiber.supervision.flow import save_form, show_errors
from kiber.supervision.forms import ScanForm, ScanResultsForm, SensorEventForm, SensorForm, SitingForm
from kiber.supervision.history import history_rows
from kiber.supervision.models import SensorEvent
from kiber.supervision.services import ServiceError

# --------------------------------------------------------------------------------------- scans


def _scan_requester(request: HttpRequest) -> tuple[str, object]:
    """Who schedules (p. 136) and for which subjects: SAB for CI owners, NKC for the others, a subject for itself."""
    user = request.user
    if user.role == "sab_officer":
        return "sab", visible_organisations(user).filter(is_ci_owner=True)
    if user.role == "nkc_supervisor":
        return "nkc", visible_organisations(user).filter(is_ci_owner=False)
    if user.is_subject and user.can_edit_subject and user.organisation_id:
        return "subject", Organisation.objects.filter(pk=user.organisation_id)
    raise PermissionDenied


@login_required
def scan_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (user.is_subject or user.role in ("sab_officer", "nkc_supervisor", "csirt_analyst")):
        raise PermissionDenied
    return render(
        request,
        "supervision/scan_list.html",
        {
            "scans": selectors.scans_for(user),
            "can_schedule": user.role in ("sab_officer", "nkc_supervisor") or bool(user.can_edit_subject),
        },
    )


@login_required
def scan_create(request: HttpRequest) -> HttpResponse:
    requester, organisations = _scan_requester(request)
    form = ScanForm(request.POST or None, organisations=organisations)
    response = save_form(
        request,
        form,
        lambda: field.schedule_scan(request.user, requester, form.cleaned_data["organisation"], form.cleaned_data),
        _("Skenēšana ieplānota."),
        lambda saved: reverse("supervision:scan", args=[saved.pk]),
    )
    return response or render(
        request,
        "supervision/simple_form.html",
        {
            "form": form,
            "title": _("Plānot drošības skenēšanu"),
            "intro": _(
                "KI īpašnieka infrastruktūru skenē pēc SAB pieprasījuma, citu subjektu — pēc NKC pieprasījuma "
                "(136. p.). Ja skenē CERT.LV vai cita persona, KI īpašnieku un SAB rakstiski informē vismaz 48 "
                "stundas pirms sākuma (139.3. p.): agrāku sākumu platforma neļauj ieplānot."
            ),
            "submit": _("Plānot"),
            "back_url": reverse("supervision:scans"),
        },
    )


@login_required
def scan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scan = selectors.get_scan(request.user, pk)
    user = request.user
    may_deliver = user.role in ("sab_officer", "nkc_supervisor", "csirt_analyst") or (
        user.is_subject and scan.requested_by == "subject" and user.can_edit_subject
    )
    form = ScanResultsForm(request.POST or None) if may_deliver and not scan.results_delivered_at else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            field.deliver_scan_results(
                user, scan, form.cleaned_data["results_summary"], form.cleaned_data["recommendations"]
            )
        except ServiceError as exc:
            show_errors(exc, form)
        else:
            messages.success(request, _("Rezultāti un ieteikumi nosūtīti (139.5. p.)."))
            return redirect("supervision:scan", pk=pk)
    elif request.method == "POST":
        raise PermissionDenied
    basis = [
        b
        for b in scan.obligations.get("basis", [])
        if b.split("p.")[-1].split(".")[0] in ("136", "137", "138", "139", "141")
    ]
    return render(
        request,
        "supervision/scan_detail.html",
        {
            "scan": scan,
            "form": form,
            "grounds": [Ground(g).label for g in scan.grounds],
            "basis": labels.basis_text(basis + ["22-TA-3183 p.139.6"]),
            "history": history_rows(scan),
        },
    )


# --------------------------------------------------------------------------------------- sensors


def _csirt_only(request: HttpRequest) -> None:
    if not selectors.is_csirt(request.user):
        raise PermissionDenied


@login_required
def sensor_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (user.is_subject or user.role in ("sab_officer", "csirt_analyst")):
        raise PermissionDenied
    csirt = selectors.is_csirt(user)
    return render(
        request,
        "supervision/sensor_list.html",
        {
            "sensors": selectors.sensors_for(user).prefetch_related("events"),
            "events": SensorEvent.objects.filter(sensor__in=selectors.sensors_for(user)).select_related(
                "sensor__organisation"
            )[:30],
            "candidates": field.sensor_candidates(visible_organisations(user)) if csirt else [],
            "csirt": csirt,
            "today": timezone.localdate(),
        },
    )


@login_required
def sensor_create(request: HttpRequest) -> HttpResponse:
    _csirt_only(request)
    form = SensorForm(
        request.POST or None,
        organisations=visible_organisations(request.user).order_by("name"),
        initial={"organisation": request.GET.get("organisation")},
    )
    response = save_form(
        request,
        form,
        lambda: field.plan_sensor(
            request.user,
            form.cleaned_data["organisation"],
            form.cleaned_data["location"],
            [],
            form.cleaned_data["operator"],
        ),
        _("Sensors ieplānots."),
        lambda saved: reverse("supervision:sensor", args=[saved.pk]),
    )
    return response or render(
        request,
        "supervision/simple_form.html",
        {
            "form": form,
            "title": _("Plānot agrās brīdināšanas sensoru"),
            "submit": _("Plānot"),
            "back_url": reverse("supervision:sensors"),
        },
    )


@login_required
def sensor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sensor = selectors.get_sensor(request.user, pk)
    csirt = selectors.is_csirt(request.user)
    form = SensorEventForm(request.POST or None, initial={"on": timezone.localdate()}) if csirt else None
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            field.record_sensor_event(
                request.user, sensor, data["kind"], data["on"], data.get("note", ""), data.get("inform_now", False)
            )
        except ServiceError as exc:
            show_errors(exc, form)
        else:
            messages.success(request, _("Darbība reģistrēta."))
            return redirect("supervision:sensor", pk=pk)
    elif request.method == "POST":
        raise PermissionDenied
    siting = getattr(sensor.organisation, "sensor_siting", None)
    siting_form = (
        SitingForm(
            initial={
                "csirt_soc_present": siting.csirt_soc_present if siting else False,
                "considerations": siting.considerations if siting else [],
                "note": siting.note if siting else "",
            }
        )
        if csirt
        else None
    )
    return render(
        request,
        "supervision/sensor_detail.html",
        {
            "sensor": sensor,
            "form": form,
            "siting_form": siting_form,
            "events": sensor.events.select_related("by"),
            "today": timezone.localdate(),
            "history": history_rows(sensor) if csirt else [],
        },
    )


@login_required
@require_POST
def sensor_inform(request: HttpRequest, pk: int) -> HttpResponse:
    _csirt_only(request)
    event = get_object_or_404(SensorEvent.objects.select_related("sensor"), pk=pk)
    field.inform_subject(request.user, event)
    messages.success(request, _("Subjekts informēts (147. p.)."))
    return redirect("supervision:sensor", pk=event.sensor_id)


@login_required
@require_POST
def sensor_siting(request: HttpRequest, pk: int) -> HttpResponse:
    """CERT.LV's assessment of a subject (``pk``: the organisation): p. 145 considerations, p. 150 exclusion."""
    _csirt_only(request)
    organisation = get_object_or_404(visible_organisations(request.user), pk=pk)
    form = SitingForm(request.POST)
    if form.is_valid():
        field.assess_siting(
            request.user,
            organisation,
            form.cleaned_data["csirt_soc_present"],
            form.cleaned_data["considerations"],
            form.cleaned_data.get("note", ""),
        )
        messages.success(request, _("Vērtējums saglabāts (145., 150. p.)."))
    return redirect("supervision:sensors")
