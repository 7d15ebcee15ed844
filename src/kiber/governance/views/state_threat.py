"""A CI owner's continuity plan for a state threat (p. 112–117, Annex 8): subject's record, SAB's review."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kiber.governance import selectors
from kiber.governance.choices import ANNEX8_CONTENT
from kiber.governance.forms import SabPlanReviewForm, StateThreatPlanForm
from kiber.governance.models import StateThreatPlan
from kiber.governance.services import state_threat as services
from kiber.governance.views.common import list_organisation, own_organisation, require_edit, save_form
from kiber.registry.choices import Role
from kiber.registry.models import Organisation


def _ci_organisation(request: HttpRequest) -> Organisation:
    organisation = list_organisation(request)
    if (
        organisation is None
        or not organisation.is_ci_owner
        or not selectors.sees_outsourcing(request.user, organisation)
    ):
        raise Http404
    return organisation


@login_required
def plan_detail(request: HttpRequest) -> HttpResponse:
    organisation = _ci_organisation(request)
    plan = selectors.state_threat_plan(request.user, organisation)
    form = None
    if plan is not None and request.user.role == Role.SAB_OFFICER:
        form = SabPlanReviewForm(request.POST or None, instance=plan)
    if request.method == "POST":
        if form is None or plan is None:
            raise Http404
        fresh = StateThreatPlan.objects.get(pk=plan.pk)
        return save_form(
            request,
            form,
            lambda data: services.sab_review(request.user, fresh, data),
            lambda _p: redirect(f"{request.path}?organisation={organisation.pk}"),
            _context(plan, organisation, request),
            _("SAB atzīme saglabāta."),
            "governance/state_threat.html",
        )
    return render(request, "governance/state_threat.html", {"form": form, **_context(plan, organisation, request)})


def _context(plan: StateThreatPlan | None, organisation: Organisation, request: HttpRequest) -> dict[str, object]:
    return {
        "plan": plan,
        "organisation": organisation,
        "deadlines": services.deadlines(plan) if plan else [],
        "content": [(p, label, plan is not None and p in plan.content_points) for p, label in ANNEX8_CONTENT],
        "can_edit": selectors.can_edit(request.user, organisation.pk),
    }


@login_required
def plan_edit(request: HttpRequest) -> HttpResponse:
    organisation = own_organisation(request)
    require_edit(request, organisation.pk)
    if not organisation.is_ci_owner:
        raise Http404
    plan = StateThreatPlan.objects.filter(organisation=organisation).first()
    form = StateThreatPlanForm(request.POST or None, instance=plan)
    if plan is not None:
        form.initial.setdefault("content_points", plan.content_points)
    return save_form(
        request,
        form,
        lambda data: services.save_plan(request.user, organisation, data),
        lambda _p: redirect("governance:state_threat"),
        {
            "title": _("Darbības nepārtrauktības plāns valsts apdraudējuma gadījumam"),
            "back": "governance:state_threat",
            "intro": _(
                "Plānu pirms apstiprināšanas saskaņo ar SAB (112.1. p.) un pēc apstiprināšanas mēneša laikā "
                "nosūta SAB (114. p.); viens plāns juridiskajai personai (116. p.)."
            ),
        },
        _("Plāns saglabāts."),
    )
