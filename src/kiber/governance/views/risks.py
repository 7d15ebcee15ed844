"""Risk register, treatment plan (p. 42.1–42.3) and continuity objectives (p. 42.4, 43)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kiber import versioning, xlsx
from kiber.governance import selectors
from kiber.governance.forms import (
    ContinuityForm,
    MeasureForm,
    MethodologyForm,
    PlanResponsibleNoticeForm,
    RiskForm,
)
from kiber.governance.models import ContinuityObjective, Measure, PlanResponsibleNotice, Risk, RiskMethodology
from kiber.governance.services import risks as services
from kiber.governance.views.common import back_to, list_organisation, own_organisation, require_edit, save_form
from kiber.registry.models import Organisation
from kiber.web import files


def matrix(methodology: RiskMethodology | None, risks: list[Risk]) -> list[dict[str, Any]]:
    """Rows from the highest likelihood down; each cell: score, acceptable or not, how many risks sit there."""
    if methodology is None:
        return []
    counts: dict[tuple[int, int], int] = {}
    for risk in risks:
        counts[(risk.likelihood, risk.impact)] = counts.get((risk.likelihood, risk.impact), 0) + 1
    rows = []
    for likelihood in range(len(methodology.likelihood_levels), 0, -1):
        cells = []
        for impact in range(1, len(methodology.impact_levels) + 1):
            score = likelihood * impact
            cells.append(
                {
                    "score": score,
                    "acceptable": score <= methodology.acceptable_score,
                    "count": counts.get((likelihood, impact), 0),
                    "impact": impact,
                }
            )
        rows.append({"likelihood": likelihood, "label": methodology.likelihood_levels[likelihood - 1], "cells": cells})
    return rows


def _risk_rows(methodology: RiskMethodology | None, risks: list[Risk]) -> list[dict[str, Any]]:
    acceptable = methodology.acceptable_score if methodology else None
    rows = []
    for risk in risks:
        previous = risk.previous_score
        rows.append(
            {
                "risk": risk,
                "acceptable": acceptable is not None and risk.score <= acceptable,
                "trend": None
                if previous is None
                else ("up" if risk.score > previous else "down" if risk.score < previous else "same"),
                "measures": list(risk.measures.all()),
            }
        )
    return rows


@login_required
def risk_list(request: HttpRequest) -> HttpResponse:
    organisation = list_organisation(request)
    if organisation is None:
        return _pick_subject(request, "governance:risks")
    methodology = selectors.methodology(organisation)
    queryset = selectors.risks(request.user, organisation).prefetch_related("measures")
    system = request.GET.get("system", "")
    if system.isdigit():
        queryset = queryset.filter(system_id=int(system))
    if request.GET.get("supply_chain") == "1":
        queryset = queryset.filter(supply_chain=True)
    risks = list(queryset.order_by("title"))
    rows = _risk_rows(methodology, risks)
    if request.GET.get("unacceptable") == "1":
        rows = [r for r in rows if not r["acceptable"]]
    return render(
        request,
        "governance/risks.html",
        {
            "organisation": organisation,
            "methodology": methodology,
            "matrix": matrix(methodology, risks),
            "rows": rows,
            "systems": organisation.information_systems.order_by("name"),
            "filters": {k: request.GET.get(k, "") for k in ("system", "supply_chain", "unacceptable")},
            "can_edit": selectors.can_edit(request.user, organisation.pk),
            "today": timezone.localdate(),
        },
    )


def _pick_subject(request: HttpRequest, url_name: str) -> HttpResponse:
    """A supervisor first chooses whose register to read."""
    return render(
        request,
        "governance/pick_subject.html",
        {
            "organisations": selectors.organisations(request.user),
            "url_name": url_name,
        },
    )


@login_required
def risks_export(request: HttpRequest) -> HttpResponse:
    organisation = list_organisation(request)
    if organisation is None:
        return redirect("governance:risks")
    methodology = selectors.methodology(organisation)
    risks = list(selectors.risks(request.user, organisation).prefetch_related("measures").order_by("title"))
    table: list[list[Any]] = [
        [
            _("Risks"),
            _("Sistēma, tīkls vai resurss"),
            _("Piegādes ķēde"),
            _("Iespējamība"),
            _("Ietekme"),
            _("Vērtība"),
            _("Pieņemams"),
            _("Iepriekšējā vērtība"),
            _("Pasākums"),
            _("Īsteno"),
            _("Kontrolē"),
            _("Termiņš vai periodiskums"),
            _("Izpilde, %"),
        ]
    ]
    for row in _risk_rows(methodology, risks):
        risk = row["risk"]
        base = [
            risk.title,
            risk.system.name if risk.system else risk.scope,
            _("jā") if risk.supply_chain else _("nē"),
            risk.likelihood,
            risk.impact,
            risk.score,
            _("jā") if row["acceptable"] else _("nē"),
            risk.previous_score,
        ]
        for measure in row["measures"] or [None]:
            table.append(
                base
                + (
                    [
                        measure.description,
                        measure.implementer,
                        measure.controller,
                        measure.due_on or measure.periodicity,
                        measure.progress,
                    ]
                    if measure
                    else [""] * 5
                )
            )
    name = f"riski-{organisation.registration_number}-{timezone.localdate():%Y%m%d}.xlsx"
    return files.download(xlsx.table(_("Kiberriski"), table), name)


@login_required
def methodology_edit(request: HttpRequest) -> HttpResponse:
    organisation = own_organisation(request)
    require_edit(request, organisation.pk)
    existing = selectors.methodology(organisation)
    form = MethodologyForm(request.POST or None, instance=existing)
    return save_form(
        request,
        form,
        lambda data: services.save_methodology(request.user, organisation, data),
        lambda _m: redirect("governance:risks"),
        {
            "title": _("Kiberrisku novērtēšanas metodika (42.1. p.)"),
            "back": "governance:risks",
            "intro": _(
                "Risku nozīmīgumu vērtē kā iespējamību × ietekmi; vērtības līdz pieņemamajai ieskaitot ir pieņemamas."
            ),
        },
        _("Metodika saglabāta."),
    )


def _require_methodology(request: HttpRequest, organisation: Organisation) -> RiskMethodology | None:
    methodology = selectors.methodology(organisation)
    if methodology is None:
        messages.error(request, _("Vispirms aprakstiet kiberrisku novērtēšanas metodiku (42.1. p.)."))
    return methodology


@login_required
def risk_new(request: HttpRequest) -> HttpResponse:
    organisation = own_organisation(request)
    require_edit(request, organisation.pk)
    methodology = _require_methodology(request, organisation)
    if methodology is None:
        return redirect("governance:methodology")
    initial = {"system": request.GET.get("system")} if request.GET.get("system", "").isdigit() else {}
    form = RiskForm(request.POST or None, organisation=organisation, methodology=methodology, initial=initial)
    return save_form(
        request,
        form,
        lambda data: services.save_risk(request.user, organisation, data),
        back_to("governance:risk"),
        {"title": _("Jauns kiberrisks"), "back": "governance:risks"},
        _("Risks reģistrēts."),
    )


@login_required
def risk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    risk = selectors.risk(request.user, pk)
    methodology = selectors.methodology(risk.organisation)
    row = _risk_rows(methodology, [risk])[0]
    return render(
        request,
        "governance/risk_detail.html",
        {
            "risk": risk,
            "row": row,
            "organisation": risk.organisation,
            "methodology": methodology,
            "likelihood_label": _level(methodology, "likelihood_levels", risk.likelihood),
            "impact_label": _level(methodology, "impact_levels", risk.impact),
            "can_edit": selectors.can_edit(request.user, risk.organisation_id),
            "today": timezone.localdate(),
        },
    )


def _level(methodology: RiskMethodology | None, field: str, value: int) -> str:
    levels = getattr(methodology, field, []) if methodology else []
    return levels[value - 1] if 0 < value <= len(levels) else ""


@login_required
def risk_edit(request: HttpRequest, pk: int) -> HttpResponse:
    risk = selectors.risk(request.user, pk)
    require_edit(request, risk.organisation_id)
    methodology = _require_methodology(request, risk.organisation)
    if methodology is None:
        return redirect("governance:methodology")
    form = RiskForm(request.POST or None, instance=risk, organisation=risk.organisation, methodology=methodology)
    fresh = Risk.objects.get(pk=risk.pk)
    return save_form(
        request,
        form,
        lambda data: services.save_risk(request.user, fresh.organisation, data, fresh),
        back_to("governance:risk"),
        {"title": _("Labot kiberrisku"), "back_object": risk},
        _("Risks saglabāts."),
    )


@login_required
def risk_delete(request: HttpRequest, pk: int) -> HttpResponse:
    risk = selectors.risk(request.user, pk)
    require_edit(request, risk.organisation_id)
    if request.method == "POST":
        services.delete_risk(request.user, risk)
        messages.success(request, _("Risks dzēsts."))
        return redirect("governance:risks")
    return render(request, "governance/confirm_delete.html", {"object": risk, "back_object": risk})


@login_required
def measure_new(request: HttpRequest, risk_pk: int) -> HttpResponse:
    risk = selectors.risk(request.user, risk_pk)
    require_edit(request, risk.organisation_id)
    form = MeasureForm(request.POST or None)
    return save_form(
        request,
        form,
        lambda data: services.save_measure(request.user, risk, data),
        lambda _m: redirect("governance:risk", pk=risk.pk),
        {"title": _("Jauns riska pārvaldības pasākums (42.3. p.)"), "back_object": risk},
        _("Pasākums pievienots."),
    )


@login_required
def measure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    measure = selectors.measure(request.user, pk)
    require_edit(request, measure.risk.organisation_id)
    form = MeasureForm(request.POST or None, instance=measure)
    fresh = Measure.objects.select_related("risk").get(pk=measure.pk)
    return save_form(
        request,
        form,
        lambda data: services.save_measure(request.user, fresh.risk, data, fresh),
        lambda _m: redirect("governance:risk", pk=measure.risk_id),
        {"title": _("Labot pasākumu"), "back_object": measure.risk},
        _("Pasākums saglabāts."),
    )


# --- continuity -----------------------------------------------------------------------------------------


@login_required
def continuity_list(request: HttpRequest) -> HttpResponse:
    organisation = list_organisation(request)
    if organisation is None:
        return _pick_subject(request, "governance:continuity")
    objectives = list(selectors.continuity(request.user, organisation))
    covered = {o.system_id for o in objectives}
    return render(
        request,
        "governance/continuity.html",
        {
            "organisation": organisation,
            "rows": [{"objective": o, "warnings": services.continuity_warnings(o)} for o in objectives],
            "uncovered": organisation.information_systems.exclude(pk__in=covered).order_by("name"),
            "responsible": organisation.responsible_persons.filter(duty="plan").first(),
            **_plan_responsible(request, organisation),
            "can_edit": selectors.can_edit(request.user, organisation.pk),
        },
    )


def _plan_responsible(request: HttpRequest, organisation: Organisation) -> dict[str, Any]:
    """p. 22 and 46 for a CI owner: the responsible person is not the manager; SAB informed in 5 working days."""
    if not organisation.is_ci_owner:
        return {}
    notice = PlanResponsibleNotice.objects.filter(organisation=organisation).first()
    due = services.plan_responsible_due(notice) if notice else None
    return {
        "notice": notice,
        "notice_due": due,
        "notice_late": bool(notice and due and (notice.sab_informed_on or timezone.localdate()) > due),
        "manager_conflict": services.manager_is_plan_responsible(organisation),
        "notice_form": PlanResponsibleNoticeForm(instance=notice)
        if selectors.can_edit(request.user, organisation.pk)
        else None,
    }


@login_required
@require_POST
def plan_responsible_notice(request: HttpRequest) -> HttpResponse:
    organisation = own_organisation(request)
    require_edit(request, organisation.pk)
    notice = PlanResponsibleNotice.objects.filter(organisation=organisation).first()
    form = PlanResponsibleNoticeForm(request.POST, instance=notice)
    if form.is_valid():
        try:
            services.save_plan_responsible_notice(request.user, organisation, form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        except versioning.StaleVersion:
            messages.error(request, _("Ierakstu kāds cits ir mainījis; pārlādējiet lapu."))
        else:
            messages.success(request, _("Saglabāts."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("governance:continuity")


@login_required
def continuity_new(request: HttpRequest) -> HttpResponse:
    organisation = own_organisation(request)
    require_edit(request, organisation.pk)
    initial = {"system": request.GET.get("system")} if request.GET.get("system", "").isdigit() else {}
    form = ContinuityForm(request.POST or None, organisation=organisation, initial=initial)
    return save_form(
        request,
        form,
        lambda data: services.save_continuity(request.user, organisation, data),
        lambda _o: redirect("governance:continuity"),
        {"title": _("Darbības nepārtrauktības raksturlielumi (42.4. p.)"), "back": "governance:continuity"},
        _("Raksturlielumi saglabāti."),
    )


@login_required
def continuity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    objective = selectors.continuity_objective(request.user, pk)
    require_edit(request, objective.organisation_id)
    form = ContinuityForm(request.POST or None, instance=objective, organisation=objective.organisation)
    fresh = ContinuityObjective.objects.select_related("organisation").get(pk=objective.pk)
    return save_form(
        request,
        form,
        lambda data: services.save_continuity(request.user, fresh.organisation, data, fresh),
        lambda _o: redirect("governance:continuity"),
        {
            "title": _("Labot raksturlielumus: %(system)s") % {"system": objective.system.name},
            "back": "governance:continuity",
        },
        _("Raksturlielumi saglabāti."),
    )
