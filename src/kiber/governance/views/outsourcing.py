"""The outsourcing register: providers, contracts with their eligibility, SAB opinion requests."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kiber import versioning
from kiber.governance import selectors
from kiber.governance.choices import CONTRACT_CLAUSES, ContractStatus, Eligibility, OpinionStatus
from kiber.governance.explain import eligibility_lines
from kiber.governance.forms import ConcludeForm, ContractForm, OpinionDecisionForm, OpinionRequestForm, ProviderForm
from kiber.governance.models import ConsentFile, OutsourcingContract, Provider, ProviderChangeReport
from kiber.governance.services import outsourcing as services
from kiber.governance.views.common import (
    apply_errors,
    back_to,
    list_organisation,
    own_organisation,
    require_edit,
    save_form,
)
from kiber.registry.choices import Role
from kiber.web import files

CONTRACT_FILTERS = ("organisation", "decision", "status", "q")


def _supervisor_organisations(request: HttpRequest) -> object:
    if request.user.is_subject:
        return None
    return [o for o in selectors.organisations(request.user) if selectors.sees_outsourcing(request.user, o)]


# --- providers ------------------------------------------------------------------------------------------


@login_required
def provider_list(request: HttpRequest) -> HttpResponse:
    organisation = list_organisation(request)
    queryset = selectors.providers(request.user, organisation).annotate(contract_count=Count("contracts"))
    return render(
        request,
        "governance/providers.html",
        {
            "providers": queryset.order_by("organisation__name", "name"),
            "organisation": organisation,
            "organisations": _supervisor_organisations(request),
            "filters": {"organisation": request.GET.get("organisation", "")},
            "can_edit": organisation is not None and selectors.can_edit(request.user, organisation.pk),
        },
    )


@login_required
def provider_detail(request: HttpRequest, pk: int) -> HttpResponse:
    provider = selectors.provider(request.user, pk)
    return render(
        request,
        "governance/provider_detail.html",
        {
            "provider": provider,
            "organisation": provider.organisation,
            "contracts": list(selectors.contracts(request.user).filter(provider=provider)),
            "can_edit": selectors.can_edit(request.user, provider.organisation_id),
        },
    )


@login_required
def provider_new(request: HttpRequest) -> HttpResponse:
    organisation = own_organisation(request)
    require_edit(request, organisation.pk)
    form = ProviderForm(request.POST or None)
    return save_form(
        request,
        form,
        lambda data: services.create_provider(request.user, organisation, data),
        back_to("governance:provider"),
        {
            "title": _("Jauns ārpakalpojuma sniedzējs vai ražotājs"),
            "back": "governance:providers",
            "intro": _("Īpašnieku un personu valstis nosaka, vai līgumu drīkst slēgt (85., 93. p.)."),
        },
        _("Sniedzējs reģistrēts."),
    )


@login_required
def provider_edit(request: HttpRequest, pk: int) -> HttpResponse:
    provider = selectors.provider(request.user, pk)
    require_edit(request, provider.organisation_id)
    form = ProviderForm(request.POST or None, instance=provider)
    fresh = Provider.objects.get(pk=provider.pk)
    return save_form(
        request,
        form,
        lambda data: services.update_provider(request.user, fresh, data),
        back_to("governance:provider"),
        {"title": _("Labot sniedzēju"), "back_object": provider},
        _("Sniedzējs saglabāts; līgumu atbilstība pārrēķināta."),
    )


# --- contracts ------------------------------------------------------------------------------------------


@login_required
def contract_list(request: HttpRequest) -> HttpResponse:
    organisation = list_organisation(request)
    queryset = selectors.contracts(request.user, organisation)
    filters = {k: request.GET.get(k, "") for k in CONTRACT_FILTERS}
    if filters["decision"] in Eligibility.values:
        queryset = queryset.filter(decision=filters["decision"])
    if filters["status"] in ContractStatus.values:
        queryset = queryset.filter(status=filters["status"])
    if filters["q"].strip():
        queryset = queryset.filter(title__icontains=filters["q"].strip())
    return render(
        request,
        "governance/contracts.html",
        {
            "contracts": queryset.order_by("organisation__name", "title"),
            "organisation": organisation,
            "organisations": _supervisor_organisations(request),
            "filters": filters,
            "decisions": Eligibility.choices,
            "statuses": ContractStatus.choices,
            "can_edit": organisation is not None and selectors.can_edit(request.user, organisation.pk),
        },
    )


@login_required
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = selectors.contract(request.user, pk)
    can_edit = selectors.can_edit(request.user, contract.organisation_id)
    requests = list(contract.opinion_requests.prefetch_related("consents"))
    return render(
        request,
        "governance/contract_detail.html",
        {
            "contract": contract,
            "organisation": contract.organisation,
            "explained": eligibility_lines(contract.eligibility),
            "systems": list(contract.systems.all()),
            "subcontractors": list(contract.subcontractors.all()),
            "clauses": [(p, label, p in contract.clauses) for p, label in CONTRACT_CLAUSES],
            "requests": requests,
            "change_reports": [
                {
                    "report": r,
                    "overdue": r.reported_on is None and r.report_due < timezone.localdate(),
                    "late": r.reported_on is not None and r.reported_on > r.report_due,
                }
                for r in contract.change_reports.all()
            ],
            "can_edit": can_edit,
            "can_request": can_edit
            and contract.decision == Eligibility.SAB_OPINION_REQUIRED
            and not any(r.status == OpinionStatus.FILED for r in requests),
            "conclude_form": ConcludeForm(initial={"version": contract.version, "concluded_on": timezone.localdate()})
            if can_edit
            else None,
        },
    )


def _contract_context(title: str, **extra: object) -> dict[str, object]:
    return {
        "title": title,
        "intro": _("Atbilstību nosaka 85., 92.–105. punkts; to aprēķina, saglabājot līgumu."),
        **extra,
    }


@login_required
def contract_new(request: HttpRequest) -> HttpResponse:
    organisation = own_organisation(request)
    require_edit(request, organisation.pk)
    form = ContractForm(request.POST or None, organisation=organisation)
    return save_form(
        request,
        form,
        lambda data: services.save_contract(request.user, organisation, data),
        back_to("governance:contract"),
        _contract_context(_("Jauns ārpakalpojuma līgums"), back="governance:contracts"),
        _("Līgums reģistrēts; atbilstība aprēķināta."),
    )


@login_required
def contract_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contract = selectors.contract(request.user, pk)
    require_edit(request, contract.organisation_id)
    form = ContractForm(request.POST or None, instance=contract, organisation=contract.organisation)
    fresh = OutsourcingContract.objects.get(pk=contract.pk)
    return save_form(
        request,
        form,
        lambda data: services.save_contract(request.user, fresh.organisation, data, fresh),
        back_to("governance:contract"),
        _contract_context(_("Labot līgumu"), back_object=contract),
        _("Līgums saglabāts; atbilstība pārrēķināta."),
    )


@login_required
@require_POST
def contract_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    contract = selectors.contract(request.user, pk)
    require_edit(request, contract.organisation_id)
    form = ConcludeForm(request.POST)
    if form.is_valid():
        try:
            services.conclude(
                request.user,
                OutsourcingContract.objects.get(pk=contract.pk),
                form.cleaned_data["concluded_on"],
                form.cleaned_data["version"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        except versioning.StaleVersion:
            messages.error(request, _("Līgumu kāds cits ir mainījis; pārlādējiet lapu."))
        else:
            messages.success(request, _("Līgums atzīmēts kā noslēgts."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("governance:contract", pk=contract.pk)


@login_required
@require_POST
def change_reported(request: HttpRequest, pk: int) -> HttpResponse:
    """p. 99 / 105: the subject records the day it told SAB of the provider's change."""
    report = ProviderChangeReport.objects.select_related("contract").filter(pk=pk).first()
    if report is None:
        raise Http404
    contract = selectors.contract(request.user, report.contract_id)
    require_edit(request, contract.organisation_id)
    form = ConcludeForm(request.POST)
    if form.is_valid():
        try:
            services.mark_reported(request.user, report, form.cleaned_data["concluded_on"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Paziņojums SAB atzīmēts."))
    return redirect("governance:contract", pk=contract.pk)


# --- SAB opinions ---------------------------------------------------------------------------------------


@login_required
def opinion_new(request: HttpRequest, contract_pk: int) -> HttpResponse:
    contract = selectors.contract(request.user, contract_pk)
    require_edit(request, contract.organisation_id)
    form = OpinionRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.file_opinion_request(
                request.user,
                contract,
                form.cleaned_data["note"],
                form.cleaned_data["request_file"],
                form.consents(contract.provider.name),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Atzinuma pieprasījums iesniegts Satversmes aizsardzības birojam."))
            return redirect("governance:contract", pk=contract.pk)
    return render(
        request,
        "governance/form.html",
        {
            "form": form,
            "multipart": True,
            "back_object": contract,
            "title": _("SAB atzinuma pieprasījums: %(title)s") % {"title": contract.title},
            "intro": _(
                "Pievienojiet parakstītu 7. pielikuma veidlapu un sniedzēja, apakšuzņēmēju un iesaistīto personu "
                "piekrišanu pārbaudei (95., 103. p.)."
            ),
        },
    )


@login_required
def opinion_list(request: HttpRequest) -> HttpResponse:
    """SAB's workspace (and the subject's own requests): filter by status."""
    queryset = selectors.opinion_requests(request.user)
    organisation = list_organisation(request)
    if organisation is not None:
        queryset = queryset.filter(organisation=organisation)
    status = request.GET.get("status", "")
    if status in OpinionStatus.values:
        queryset = queryset.filter(status=status)
    return render(
        request,
        "governance/opinions.html",
        {
            "requests": queryset,
            "organisation": organisation,
            "organisations": _supervisor_organisations(request),
            "filters": {"status": status, "organisation": request.GET.get("organisation", "")},
            "statuses": OpinionStatus.choices,
        },
    )


@login_required
def opinion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = selectors.opinion_request(request.user, pk)
    is_sab = request.user.role == Role.SAB_OFFICER
    form = None
    if is_sab and opinion.status == OpinionStatus.FILED:
        form = OpinionDecisionForm(request.POST or None, initial={"version": opinion.version})
        if request.method == "POST" and form.is_valid():
            try:
                services.decide_opinion(
                    request.user,
                    opinion,
                    form.cleaned_data["status"],
                    form.cleaned_data["opinion_text"],
                    form.cleaned_data["version"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            except versioning.StaleVersion:
                versioning.form_conflict(form, request)
            else:
                messages.success(request, _("Atzinums reģistrēts; līguma atbilstība pārrēķināta."))
                return redirect("governance:opinion", pk=opinion.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "governance/opinion_detail.html",
        {
            "opinion": opinion,
            "contract": opinion.contract,
            "organisation": opinion.organisation,
            "consents": list(opinion.consents.all()),
            "form": form,
        },
    )


@login_required
def opinion_file(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = selectors.opinion_request(request.user, pk)
    return files.download(opinion.request_file, opinion.request_file_name or "pieprasijums")


@login_required
def consent_file(request: HttpRequest, pk: int) -> HttpResponse:
    consent = ConsentFile.objects.select_related("request").filter(pk=pk).first()
    if consent is None:
        raise Http404
    selectors.opinion_request(request.user, consent.request_id)  # the request's scope is the consent's
    return files.download(consent.file, consent.file_name or "piekrisana")
