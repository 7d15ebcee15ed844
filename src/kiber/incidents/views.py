"""Pages of the incident log, the report stages and the CSIRT workspace. Reads via selectors, writes via services."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kiber import versioning
from kiber.audit.services import history, record
from kiber.incidents import answers as answer_rules
from kiber.incidents import calendar_feed, catalogue, exports, selectors, services, statistics
from kiber.incidents.choices import FORM_STAGES, STAGE_ANNEX, Kind, Resolution, Significance, Stage, Tlp
from kiber.incidents.deadlines import due_moments, feedback_due, first_submissions
from kiber.incidents.forms import (
    FeedbackForm,
    IncidentForm,
    IntermediateRequestForm,
    LinkForm,
    ReportForm,
    ReviewForm,
    SignificanceForm,
    StatsForm,
    VoluntaryForm,
)
from kiber.incidents.models import Delivery, Incident, Report
from kiber.incidents.routing import recipients_for
from kiber.registry.choices import MEMBER_STATES
from kiber.registry.history import HistoryRow, value_text
from kiber.registry.history import rows as history_rows
from kiber.rules.base import RuleInputError
from kiber.web import files


def _subject_only(request: HttpRequest) -> None:
    if not request.user.is_subject or not request.user.organisation_id:
        raise Http404


def _csirt_only(request: HttpRequest) -> None:
    if not selectors.is_csirt(request.user):
        raise PermissionDenied


def _reviewer_only(request: HttpRequest) -> None:
    if not selectors.is_reviewer(request.user):
        raise Http404


# --------------------------------------------------------------------------------------- incident log


@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    _subject_only(request)
    incidents = list(selectors.incidents_for(request.user).prefetch_related("reports"))
    rows = [{"incident": i, "next": _next_due(i)} for i in incidents]
    unreported = list(selectors.unreported_non_significant(request.user))
    return render(request, "incidents/list.html", {"rows": rows, "unreported": unreported})


def _next_due(incident: Incident) -> Any:
    open_moments = [m for m in due_moments(incident) if not m.done]
    return min(open_moments, key=lambda m: m.due_at) if open_moments else None


@login_required
def incident_create(request: HttpRequest) -> HttpResponse:
    _subject_only(request)
    organisation = request.user.organisation
    form = IncidentForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.create_incident(
                request.user, organisation, form.service_data(), form.cleaned_data.get("systems") or []
            )
        except services.ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Ieraksts reģistrēts kiberincidentu žurnālā."))
            return redirect("incidents:detail", public_id=incident.public_id)
    return render(request, "incidents/edit.html", {"form": form, "incident": None})


@login_required
def incident_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    _subject_only(request)
    incident = selectors.get_incident(request.user, public_id)
    form = IncidentForm(request.POST or None, instance=incident, organisation=incident.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_incident(
                request.user, incident, form.service_data(), form.cleaned_data.get("systems") or []
            )
        except services.ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        except versioning.StaleVersion:
            versioning.form_conflict(form, request)
        else:
            messages.success(request, _("Izmaiņas saglabātas žurnālā."))
            return redirect("incidents:detail", public_id=incident.public_id)
    incident.refresh_from_db()
    return render(request, "incidents/edit.html", {"form": form, "incident": incident})


def _history(incident: Incident) -> list[tuple[str, HistoryRow]]:
    """The incident's audit entries as readable rows, with the raw action (creation is shown as one line)."""
    entries = list(history(incident).select_related("actor"))
    choices = {"significance": Significance, "resolution": Resolution, "kind": Kind, "tlp": Tlp}
    labelled = history_rows(entries, choices)
    for entry, row in zip(entries, labelled, strict=True):
        # An update stores [old, new] per field: show it as "old → new".
        if entry.action == "update" and all(isinstance(v, list) and len(v) == 2 for v in entry.changes.values()):
            row.changes = [
                (label, f"{value_text(old, choices.get(key))} → {value_text(new, choices.get(key))}")
                for (label, _text), (key, (old, new)) in zip(row.changes, entry.changes.items(), strict=True)
            ]
    return [(entry.action, row) for entry, row in zip(entries, labelled, strict=True)]


@login_required
def incident_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    incident = selectors.get_incident(request.user, public_id)
    reports = list(selectors.reports_for(request.user).filter(incident=incident).prefetch_related("reviews"))
    submitted = first_submissions(incident)
    moments = due_moments(incident)
    csirt = selectors.is_csirt(request.user)
    context = {
        "incident": incident,
        "type_labels": [catalogue.type_label(c) for c in incident.type_codes],
        "systems": list(incident.systems.all()),
        "reports": reports,
        "moments": moments,
        "stages": _stage_actions(incident) if request.user.is_subject else [],
        "history": _history(incident),
        "is_subject": request.user.is_subject,
        "is_csirt": csirt,
        "feedback_due": feedback_due(incident, submitted.get(Stage.EARLY_WARNING)),
        "related": selectors.incidents_for(request.user).filter(pk__in=incident.related.values("pk")),
        "deliveries": Delivery.objects.filter(report__in=reports).select_related("report")
        if not request.user.is_subject
        else [],
        "feedback_form": FeedbackForm(initial={"feedback": incident.feedback, "version": incident.version}),
        "intermediate_form": IntermediateRequestForm(initial={"version": incident.version}),
        "link_form": LinkForm(),
        "criteria": incident.significance_result.get("criteria", []),
        "log_changes": list(incident.changes.all()),
        "member_states": [(c, n) for c, n in MEMBER_STATES if c != "LV"],
        "feedback_overdue": _feedback_overdue(incident, feedback_due(incident, submitted.get(Stage.EARLY_WARNING))),
        "free_form_due": incident.must_report_free_form
        and not any(r.stage == Stage.VOLUNTARY for r in incident.reports.all()),
        "free_form_recipients": recipients_for(incident.organisation),
    }
    return render(request, "incidents/detail.html", context)


def _stage_actions(incident: Incident) -> list[dict[str, Any]]:
    allowed = services.allowed_stages(incident)
    submitted = set(incident.reports.values_list("stage", flat=True))
    actions = []
    for stage in [*FORM_STAGES, Stage.VOLUNTARY]:
        if stage in allowed:
            actions.append({"stage": stage, "label": Stage(stage).label, "correction": stage in submitted})
    return actions


# ------------------------------------------------------------------------------------- significance


@login_required
def assess(request: HttpRequest, public_id: str) -> HttpResponse:
    _subject_only(request)
    incident = selectors.get_incident(request.user, public_id)
    initial = {
        **incident.significance_answers,
        "entity_type": incident.entity_type or "other",
        "version": incident.version,
    }
    form = SignificanceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.assess_significance(
                request.user,
                incident,
                form.cleaned_data["entity_type"],
                form.facts(),
                override=Significance.SIGNIFICANT if form.cleaned_data.get("decide_significant") else "",
                override_reason=form.cleaned_data.get("override_reason") or "",
                version=form.cleaned_data.get("version"),
            )
        except versioning.StaleVersion:
            versioning.form_conflict(form, request)
        except RuleInputError as exc:
            form.add_error(None, exc.message)
        except services.ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect("incidents:detail", public_id=incident.public_id)
    return render(request, "incidents/assess.html", {"form": form, "incident": incident})


# ------------------------------------------------------------------------------------------ reports


@login_required
def report_submit(request: HttpRequest, public_id: str, stage: str) -> HttpResponse:
    _subject_only(request)
    incident = selectors.get_incident(request.user, public_id)
    if stage not in Stage.values:
        raise Http404
    if stage not in services.allowed_stages(incident):
        messages.error(request, _("Šo ziņojumu pašlaik nevar iesniegt."))
        return redirect("incidents:detail", public_id=incident.public_id)
    voluntary = stage == Stage.VOLUNTARY
    if voluntary:
        form: Any = VoluntaryForm(request.POST or None, initial={"description": incident.description})
    else:
        initial = answer_rules.prefill(incident, stage, request.user)
        form = ReportForm(request.POST or None, stage=stage, initial=initial)
    if request.method == "POST" and form.is_valid():
        raw = {"description": form.cleaned_data["description"]} if voluntary else form.answers()
        try:
            report = services.submit_report(request.user, incident, stage, raw)
        except answer_rules.AnswerErrors as exc:
            for key, message in exc.errors.items():
                form.add_error(key if key in form.fields else None, message)
        except services.ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Ziņojums iesniegts un saglabāts (SHA-256 %(hash)s…).") % {"hash": report.sha256[:16]},
            )
            return redirect("incidents:report", pk=report.pk)
    context = {
        "form": form,
        "incident": incident,
        "stage": Stage(stage),
        "basis": STAGE_ANNEX[Stage(stage)],
        "meta": None if voluntary else catalogue.stage_meta(stage),
        "correction": incident.reports.filter(stage=stage).exists(),
        "moment": next((m for m in due_moments(incident) if m.stage == stage), None),
    }
    return render(request, "incidents/report_form.html", context)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_report(request.user, pk)
    record(request.user, "read", report, organisation_id=report.incident.organisation_id)
    versions = report.incident.reports.filter(stage=report.stage).order_by("version")
    context = {
        "report": report,
        "incident": report.incident,
        **exports.report_context(report),
        "versions": versions,
        "reviews": report.reviews.select_related("by"),
        "deliveries": report.deliveries.prefetch_related("log") if not request.user.is_subject else [],
        "is_csirt": selectors.is_csirt(request.user),
        "review_form": ReviewForm(),
        "basis": STAGE_ANNEX[Stage(report.stage)],
        "diff": _diff(report),
    }
    return render(request, "incidents/report.html", context)


def _diff(report: Report) -> list[dict[str, Any]]:
    """What a correction changed compared with the previous version of the same stage."""
    if report.version == 1:
        return []
    previous = report.incident.reports.filter(stage=report.stage, version=report.version - 1).first()
    if previous is None:
        return []
    keys = list(dict.fromkeys([*previous.answers, *report.answers]))
    return [
        {"key": k, "old": previous.answers.get(k), "new": report.answers.get(k)}
        for k in keys
        if previous.answers.get(k) != report.answers.get(k)
    ]


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_report(request.user, pk)
    record(request.user, "read", report, organisation_id=report.incident.organisation_id, changes={"format": "pdf"})
    services.store_pdf(report)
    return files.download(report.pdf, f"{report.incident.reference}-{report.stage}-v{report.version}.pdf")


@login_required
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """A file attached to a report: scoped by the report's own selector (the report page's)."""
    found = selectors.get_attachment(request.user, pk)
    record(request.user, "read", found.report, organisation_id=found.report.incident.organisation_id,
           changes={"attachment": found.pk})
    return files.download(found.file, found.name)


# ------------------------------------------------------------------------------------------ exports


def _download(data: Any, name: str) -> HttpResponse:
    return files.download(json.dumps(data, indent=2, ensure_ascii=False).encode(), name)


@login_required
def export_incident(request: HttpRequest, public_id: str, fmt: str) -> HttpResponse:
    incident = selectors.get_incident(request.user, public_id)
    record(request.user, "read", incident, organisation_id=incident.organisation_id, changes={"export": fmt})
    if fmt == "json":
        return _download(exports.incident_json(incident), f"{incident.reference}.json")
    if fmt == "stix":
        return _download(exports.stix_bundle(incident), f"{incident.reference}.stix.json")
    if fmt == "misp":
        return _download(exports.misp_event(incident), f"{incident.reference}.misp.json")
    raise Http404


# ---------------------------------------------------------------------------------- CSIRT workspace

SEVERITY = {"critical": 0, "high": 1, "medium": 2, "low": 3}
UNREPORTED_SHOWN = 50


def _severity_labels() -> dict[str, str]:
    question = next((q for q in catalogue.questions("initial_report") if q.key == "severity"), None)
    return {o.value: catalogue.label(o) for o in (question.options or ())} if question else {}


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    _reviewer_only(request)
    incidents = selectors.incidents_for(request.user).prefetch_related("reports", "reports__reviews")
    query = request.GET.get("q", "").strip()
    if query:
        incidents = incidents.filter(Q(title__icontains=query) | Q(organisation__name__icontains=query))
    rows = []
    SEVERITY_LABELS = _severity_labels()  # noqa: N806
    for incident in incidents:
        reports = [r for r in incident.reports.all() if request.user.role != "sab_officer" or r.routed_to_sab]
        if not reports:
            continue
        latest = max(reports, key=lambda r: (r.submitted_at, r.pk))
        severity = next((r.answers.get("severity") for r in sorted(reports, key=lambda r: r.submitted_at,
                                                                     reverse=True) if r.answers.get("severity")), None)
        nxt = _next_due(incident)
        reviews = list(latest.reviews.all())
        ew = next((r.submitted_at for r in sorted(reports, key=lambda r: r.submitted_at)
                   if r.stage == Stage.EARLY_WARNING), None)
        rows.append({
            "severity_label": SEVERITY_LABELS.get(severity or "", severity),
            "incident": incident,
            "latest": latest,
            "review": reviews[-1] if reviews else None,
            "severity": severity,
            "next": nxt,
            "feedback_due": feedback_due(incident, ew),
            "sort": (
                0 if incident.significance == Significance.SIGNIFICANT else 1,
                nxt.due_at if nxt else datetime.max.replace(tzinfo=timezone.get_current_timezone()),
                SEVERITY.get(severity or "", 9),
                -latest.submitted_at.timestamp(),
            ),
        })
    rows.sort(key=lambda r: r["sort"])
    # Overdue: a report stage the subject owes, or the CSIRT's own feedback (NIS2 Art. 23(5)).
    overdue = [
        r for r in rows
        if (r["next"] and r["next"].overdue) or _feedback_overdue(r["incident"], r["feedback_due"])
    ]
    unreported = selectors.unreported_non_significant(request.user)
    return render(
        request,
        "incidents/inbox.html",
        {"rows": rows, "overdue": overdue, "query": query, "unreported": list(unreported[:UNREPORTED_SHOWN]),
         "unreported_count": unreported.count()},
    )


def _feedback_overdue(incident: Incident, due: datetime | None) -> bool:
    return due is not None and incident.acknowledged_at is None and due < timezone.now()


def _csirt_incident(request: HttpRequest, public_id: str) -> Incident:
    _csirt_only(request)
    return selectors.get_incident(request.user, public_id)


@login_required
@require_POST
def acknowledge(request: HttpRequest, public_id: str) -> HttpResponse:
    incident = _csirt_incident(request, public_id)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.acknowledge(request.user, incident, form.cleaned_data["feedback"], form.cleaned_data["version"])
        except versioning.StaleVersion:
            versioning.message_conflict(request)
        else:
            messages.success(request, _("Saņemšana apstiprināta, atgriezeniskā saite nosūtīta subjektam."))
    else:
        messages.error(request, _("Norādiet sākotnējo atgriezenisko saiti."))
    return redirect("incidents:detail", public_id=incident.public_id)


@login_required
@require_POST
def request_intermediate(request: HttpRequest, public_id: str) -> HttpResponse:
    incident = _csirt_incident(request, public_id)
    form = IntermediateRequestForm(request.POST)
    if form.is_valid():
        try:
            services.request_intermediate(
                request.user,
                incident,
                form.cleaned_data["note"],
                form.cleaned_data.get("due_at"),
                form.cleaned_data["version"],
            )
            messages.success(request, _("Starpposma ziņojums pieprasīts."))
        except services.ServiceError as exc:
            messages.error(request, exc.message)
        except versioning.StaleVersion:
            versioning.message_conflict(request)
    else:
        messages.error(request, _("Pārbaudiet pieprasījuma laukus."))
    return redirect("incidents:detail", public_id=incident.public_id)


@login_required
@require_POST
def cross_border(request: HttpRequest, public_id: str) -> HttpResponse:
    incident = _csirt_incident(request, public_id)
    version = request.POST.get("version") or ""
    try:
        services.set_cross_border(
            request.user,
            incident,
            request.POST.get("value") == "1",
            int(version) if version.isdigit() else None,
            states=request.POST.getlist("states"),
            handed_off=request.POST.get("handoff") == "1",
        )
    except versioning.StaleVersion:
        versioning.message_conflict(request)
    except services.ServiceError as exc:
        messages.error(request, _("Pārrobežu atzīme nav saglabāta: %(why)s") % {"why": exc.message})
    return redirect("incidents:detail", public_id=incident.public_id)


@login_required
@require_POST
def link(request: HttpRequest, public_id: str) -> HttpResponse:
    incident = _csirt_incident(request, public_id)
    form = LinkForm(request.POST)
    if form.is_valid():
        other = _find(request, form.cleaned_data["reference"].strip())
        if other is None:
            messages.error(request, _("Incidents nav atrasts."))
        else:
            try:
                services.link_related(request.user, incident, other)
                messages.success(request, _("Incidenti sasaistīti."))
            except services.ServiceError as exc:
                messages.error(request, exc.message)
    return redirect("incidents:detail", public_id=incident.public_id)


def _find(request: HttpRequest, text: str) -> Incident | None:
    visible = selectors.incidents_for(request.user)
    if text.upper().startswith("INC-"):
        try:
            _, org, number = text.split("-", 2)
            return visible.filter(organisation_id=int(org), number=int(number)).first()
        except ValueError:
            return None
    try:
        return visible.filter(public_id=text).first()
    except Exception:  # noqa: BLE001 - not a UUID
        return None


@login_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    _csirt_only(request)
    report = selectors.get_report(request.user, pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        services.review_report(request.user, report, form.cleaned_data["status"], form.cleaned_data["note"])
        messages.success(request, _("Izskatīšanas statuss saglabāts."))
    return redirect("incidents:report", pk=report.pk)


@login_required
@require_POST
def retry_delivery(request: HttpRequest, pk: int) -> HttpResponse:
    _csirt_only(request)
    delivery = get_object_or_404(Delivery.objects.filter(report__in=selectors.reports_for(request.user)), pk=pk)
    from kiber.incidents.delivery import retry_now

    ok = retry_now(delivery)
    (messages.success if ok else messages.error)(request, _("Piegāde izdevās.") if ok else _("Piegāde neizdevās."))
    return redirect("incidents:report", pk=delivery.report_id)


# ------------------------------------------------------------------------------ notices and calendar


@login_required
def notices(request: HttpRequest) -> HttpResponse:
    items = list(selectors.notices_for(request.user)[:200])
    selectors.notices_for(request.user).filter(read_at__isnull=True).update(read_at=timezone.now())
    token = services.calendar_token(request.user)
    feed = request.build_absolute_uri(calendar_feed.feed_path(request.user, token))
    return render(request, "incidents/notices.html", {"items": items, "feed": feed})


@login_required
@require_POST
def calendar_renew(request: HttpRequest) -> HttpResponse:
    services.calendar_token(request.user, renew=True)
    messages.success(request, _("Izveidota jauna kalendāra saite; iepriekšējā vairs nedarbojas."))
    return redirect("incidents:notices")


def calendar(request: HttpRequest, user_id: int, token: str) -> HttpResponse:
    user = calendar_feed.user_for(user_id, token)
    if user is None:
        raise Http404
    body = calendar_feed.build(user)
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


# ----------------------------------------------------------------------------------------- statistics


def _period(request: HttpRequest) -> tuple[Any, Any, StatsForm]:
    today = timezone.localdate()
    default = {"start": today.replace(month=1, day=1), "end": today}
    form = StatsForm(request.GET or None, initial=default)
    start, end = default["start"], default["end"]
    if request.GET and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
        form,
    )


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    _reviewer_only(request)
    start, end, form = _period(request)
    data = statistics.compute(selectors.incidents_for(request.user), start, end)
    return render(request, "incidents/stats.html", {"form": form, "data": data, "charts": statistics.charts(data),
                                                     "query": request.GET.urlencode()})


@login_required
def stats_xlsx(request: HttpRequest) -> HttpResponse:
    _reviewer_only(request)
    start, end, _form = _period(request)
    data = statistics.compute(selectors.incidents_for(request.user), start, end)
    return files.download(statistics.to_xlsx(data), "kiber-incidentu-statistika.xlsx")


@login_required
def export_xlsx(request: HttpRequest) -> HttpResponse:
    """Every report visible to the supervisor, one row per submitted version."""
    _reviewer_only(request)
    reports = selectors.reports_for(request.user).order_by("submitted_at")
    rows = [
        [r.incident.reference, r.incident.organisation.name, r.incident.organisation.sector, r.get_stage_display(),
         r.version, r.submitted_at, r.incident.significance, ", ".join(r.incident.type_codes), r.incident.resolution,
         r.sha256]
        for r in reports
    ]
    header = ["Incidents", "Subjekts", "Nozare", "Posms", "Versija", "Iesniegts", "Nozīmīgums", "Veida kodi",
              "Statuss", "SHA-256"]
    for r in reports:
        record(request.user, "read", r, organisation_id=r.incident.organisation_id, changes={"format": "xlsx"})
    return files.download(exports.xlsx([("Ziņojumi", header, rows)]), "kiber-zinojumi.xlsx")


def json_error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)
