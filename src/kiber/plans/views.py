"""Pages of the plans app. Every read goes through ``selectors`` (404 for users who may not see it);
every write through ``services``."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kiber import versioning
from kiber.plans import charts, outputs, selectors, services
from kiber.plans.choices import STATUS_BADGE, STATUS_BASIS, STATUS_DEFINITIONS, STATUS_KEY_TITLE, PlanKind, Status
from kiber.plans.forms import OverrideForm, ProgressForm, RoundForm
from kiber.plans.models import Plan, ReportingRound
from kiber.web import files


def _require_reader(request: HttpRequest) -> None:
    if not selectors.can_view_plans(request.user):  # type: ignore[arg-type]
        raise Http404


def _legend() -> list[tuple[str, str, str]]:
    return [(code, str(Status(code).label), text) for code, text in STATUS_DEFINITIONS.items()]


def _round_param(request: HttpRequest) -> int | None:
    value = request.GET.get("round")
    if value is None:
        return None
    if not value.isdigit():
        raise Http404
    return int(value)


def _common(request: HttpRequest, plan: Plan, round: ReportingRound | None) -> dict:
    return {
        "plan": plan, "round": round, "rounds": plan.rounds.order_by("-as_of"),
        "coordinator": selectors.is_coordinator(request.user, plan),  # type: ignore[arg-type]
        "legend": _legend(), "legend_title": STATUS_KEY_TITLE, "status_basis": STATUS_BASIS,
        "badges": STATUS_BADGE,
    }


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    user = request.user
    member = selectors.member_of(user)  # type: ignore[arg-type]
    cards = []
    for plan in selectors.visible_plans(user):  # type: ignore[arg-type]
        round = selectors.current_round(plan)
        rows = selectors.task_rows(user, plan, round)  # type: ignore[arg-type]
        stats = selectors.statistics(rows, plan)
        mine = sum(1 for row in rows if row.can_report)
        cards.append({"plan": plan, "round": round, "stats": stats, "mine": mine,
                      "chart": charts.status_bars(stats.by_status, plan.title)})
    return render(request, "plans/list.html", {"cards": cards, "member": member, "legend": _legend(),
                                               "legend_title": STATUS_KEY_TITLE})


@login_required
def plan_detail(request: HttpRequest, code: str) -> HttpResponse:
    plan = selectors.get_plan(request.user, code)  # type: ignore[arg-type]
    round = selectors.get_round(plan, _round_param(request))
    rows = selectors.task_rows(request.user, plan, round)  # type: ignore[arg-type]
    only = request.GET.get("show", "")
    if only == "mine":
        rows = [row for row in rows if row.can_report]
    elif only == "flagged":
        rows = [row for row in rows if row.overdue or row.at_risk]
    document = outputs.build_report(plan, round, rows)
    context = _common(request, plan, round) | {
        "rows": rows, "document": document, "show": only,
        "stats": selectors.statistics(selectors.task_rows(request.user, plan, round), plan),  # type: ignore[arg-type]
        "has_open_round": plan.rounds.filter(closed_at__isnull=True).exists(),
        "round_form": RoundForm(initial={"as_of": timezone.localdate()}),
        "restricted": [ref for d in plan.directions.all() for ref in d.restricted_refs.all()],
    }
    return render(request, "plans/detail.html", context)


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    member = selectors.member_of(request.user)  # type: ignore[arg-type]
    groups = []
    for plan in selectors.visible_plans(request.user):  # type: ignore[arg-type]
        for round in plan.rounds.filter(closed_at__isnull=True):
            rows = selectors.my_rows(request.user, plan, round)  # type: ignore[arg-type]
            if rows:
                groups.append({"plan": plan, "round": round, "rows": rows})
    return render(request, "plans/mine.html", {"groups": groups, "member": member, "badges": STATUS_BADGE})


@login_required
def task_detail(request: HttpRequest, code: str, number: str) -> HttpResponse:
    plan = selectors.get_plan(request.user, code)  # type: ignore[arg-type]
    task = selectors.get_task(request.user, plan, number)  # type: ignore[arg-type]
    round = selectors.get_round(plan, _round_param(request))
    row = selectors.task_rows(request.user, plan, round, tasks=selectors.tasks_of(plan).filter(pk=task.pk))[0]  # type: ignore[arg-type]
    coordinator = selectors.is_coordinator(request.user, plan)  # type: ignore[arg-type]
    report = row.report
    form = None
    if row.can_report:
        initial = {"relevant": True, "version": versioning.NEW}
        if report is not None:
            initial = {name: getattr(report, name) for name in services.REPORT_FIELDS}
            initial["version"] = report.version
        form = ProgressForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.save_progress(request.user, round, task, form.cleaned_data,  # type: ignore[arg-type]
                                       submit="submit" in request.POST)
            except services.PlansError as exc:
                form.add_error(None, exc.message)
            except versioning.StaleVersion:
                versioning.form_conflict(form, request)
            else:
                messages.success(request, _("Ziņojums iesniegts.") if "submit" in request.POST
                                 else _("Melnraksts saglabāts."))
                return redirect(reverse("plans:task", args=[plan.code, task.number]) + f"?round={round.pk}")
    override_form = None
    if coordinator and round is not None and round.is_open:
        override_form = OverrideForm(initial={"status": report.override_status if report else "",
                                              "reason": report.override_reason if report else "",
                                              "version": report.version if report else versioning.NEW})
    history = []
    for past in plan.rounds.order_by("-as_of"):
        past_row = selectors.task_rows(request.user, plan, past, tasks=selectors.tasks_of(plan).filter(pk=task.pk))[0]  # type: ignore[arg-type]
        if past_row.report is not None:
            history.append(past_row)
    context = _common(request, plan, round) | {
        "task": task, "row": row, "report": report, "form": form, "override_form": override_form,
        "history": history, "versions": report.versions.all() if report and (coordinator or row.can_report) else [],
    }
    return render(request, "plans/task.html", context)


@login_required
@require_POST
def task_review(request: HttpRequest, code: str, number: str, round_id: int) -> HttpResponse:
    plan = selectors.get_plan(request.user, code)  # type: ignore[arg-type]
    task = selectors.get_task(request.user, plan, number)  # type: ignore[arg-type]
    round = selectors.get_round(plan, round_id)
    report = round.reports.filter(task=task).first() if round else None
    if report is None or not selectors.is_coordinator(request.user, plan):  # type: ignore[arg-type]
        raise Http404
    version = request.POST.get("version") or ""
    try:
        services.review_report(request.user, report, int(version) if version.isdigit() else None)  # type: ignore[arg-type]
        messages.success(request, _("Ziņojums atzīmēts kā pārskatīts."))
    except services.PlansError as exc:
        messages.error(request, exc.message)
    except versioning.StaleVersion:
        versioning.message_conflict(request)
    return redirect(reverse("plans:round", args=[plan.code, round.pk]))  # type: ignore[union-attr]


@login_required
@require_POST
def task_override(request: HttpRequest, code: str, number: str, round_id: int) -> HttpResponse:
    plan = selectors.get_plan(request.user, code)  # type: ignore[arg-type]
    task = selectors.get_task(request.user, plan, number)  # type: ignore[arg-type]
    round = selectors.get_round(plan, round_id)
    if round is None or not selectors.is_coordinator(request.user, plan):  # type: ignore[arg-type]
        raise Http404
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            services.override_status(request.user, round, task, form.cleaned_data["status"],  # type: ignore[arg-type]
                                     form.cleaned_data["reason"], form.cleaned_data["version"])
            messages.success(request, _("Statuss saglabāts."))
        except services.PlansError as exc:
            messages.error(request, exc.message)
        except versioning.StaleVersion:
            versioning.message_conflict(request)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(reverse("plans:task", args=[plan.code, task.number]) + f"?round={round.pk}")


@login_required
def round_detail(request: HttpRequest, code: str, round_id: int) -> HttpResponse:
    plan = selectors.get_plan(request.user, code)  # type: ignore[arg-type]
    round = selectors.get_round(plan, round_id)
    if not selectors.is_coordinator(request.user, plan):  # type: ignore[arg-type]
        raise Http404
    rows = selectors.task_rows(request.user, plan, round)  # type: ignore[arg-type]
    context = _common(request, plan, round) | {
        "outstanding": selectors.outstanding(plan, round) if round else [],  # type: ignore[arg-type]
        "reports": [row for row in rows if row.report is not None],
        "stats": selectors.statistics(rows, plan),
    }
    return render(request, "plans/round.html", context)


@login_required
@require_POST
def round_open(request: HttpRequest, code: str) -> HttpResponse:
    plan = selectors.get_plan(request.user, code)  # type: ignore[arg-type]
    if not selectors.is_coordinator(request.user, plan):  # type: ignore[arg-type]
        raise Http404
    form = RoundForm(request.POST)
    if form.is_valid():
        try:
            round = services.open_round(request.user, plan, form.cleaned_data["title"],  # type: ignore[arg-type]
                                        form.cleaned_data["as_of"])
            messages.success(request, _("Ziņošanas kārta atvērta."))
            return redirect(reverse("plans:round", args=[plan.code, round.pk]))
        except services.PlansError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Pārbaudiet kārtas nosaukumu un datumu."))
    return redirect("plans:detail", plan.code)


@login_required
@require_POST
def round_close(request: HttpRequest, code: str, round_id: int) -> HttpResponse:
    plan = selectors.get_plan(request.user, code)  # type: ignore[arg-type]
    round = selectors.get_round(plan, round_id)
    if round is None or not selectors.is_coordinator(request.user, plan):  # type: ignore[arg-type]
        raise Http404
    try:
        services.close_round(request.user, round)  # type: ignore[arg-type]
        messages.success(request, _("Ziņošanas kārta slēgta."))
    except services.PlansError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("plans:round", args=[plan.code, round.pk]))


FORMATS = ("docx", "pdf", "xlsx")


@login_required
def report(request: HttpRequest, code: str, round_id: int, fmt: str = "html") -> HttpResponse:
    plan = selectors.get_plan(request.user, code)  # type: ignore[arg-type]
    round = selectors.get_round(plan, round_id)
    rows = selectors.task_rows(request.user, plan, round)  # type: ignore[arg-type]
    document = outputs.build_report(plan, round, rows)
    if fmt == "html":
        return render(request, "plans/report.html", _common(request, plan, round) | {"document": document})
    if fmt not in FORMATS:
        raise Http404
    if fmt == "docx":
        content = outputs.render_docx(document)
    elif fmt == "pdf":
        content = outputs.render_pdf(document)
    else:
        content = outputs.render_xlsx(document, plan, rows)
    stamp = round.as_of.isoformat() if round else "plans"
    return files.download(content, f"{plan.code}-{stamp}.{fmt}")


@login_required
def stats(request: HttpRequest, code: str) -> HttpResponse:
    plan = selectors.get_plan(request.user, code)  # type: ignore[arg-type]
    round = selectors.get_round(plan, _round_param(request))
    rows = selectors.task_rows(request.user, plan, round)  # type: ignore[arg-type]
    statistics = selectors.statistics(rows, plan)
    for group in statistics.by_direction:
        group["name"] = f"{group['number']}. {group['title'] or ''}".strip()
        short = group["name"] if len(group["name"]) <= 26 else group["name"][:25] + "…"
        group["label"] = _("%(n)s. tabula") % {"n": group["number"]} if plan.kind == PlanKind.ACTION_PLAN else short
    codes = [s.value for s in Status] + [""]
    table = [{"name": g["name"], "cells": [g["counts"].get(c, 0) for c in codes], "total": g["total"]}
             for g in statistics.by_direction]
    totals = [sum(row["cells"][i] for row in table) for i in range(len(codes))]
    context = _common(request, plan, round) | {
        "stats": statistics, "table": table, "totals": totals,
        "column_labels": [Status(c).label if c else _("Bez statusa") for c in codes],
        "status_chart": charts.status_bars(statistics.by_status, _("Uzdevumi pa statusiem")),
        "direction_chart": charts.stacked_bars(statistics.by_direction, _("Uzdevumi pa tabulām"), "label"),
        "institution_chart": charts.stacked_bars(statistics.by_institution, _("Uzdevumi pa atbildīgajām institūcijām")),
    }
    return render(request, "plans/stats.html", context)


@login_required
def timeline(request: HttpRequest, code: str) -> HttpResponse:
    plan = selectors.get_plan(request.user, code)  # type: ignore[arg-type]
    round = selectors.get_round(plan, _round_param(request))
    rows = selectors.task_rows(request.user, plan, round)  # type: ignore[arg-type]
    today = selectors.reference_date(round)
    dated = [row.task.deadline_date for row in rows if row.task.deadline_date]
    end_year = max([plan.period_end, *[d.year for d in dated]])
    chart = charts.timeline(rows, date(plan.period_start, 1, 1), date(end_year, 12, 31), today,
                            _("Ceļa kartes laika grafiks"))
    context = _common(request, plan, round) | {"chart": chart, "rows": rows, "today": today,
                                               "is_roadmap": plan.kind == PlanKind.ROADMAP}
    return render(request, "plans/timeline.html", context)
