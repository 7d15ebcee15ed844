"""The governance home: a subject's overview of its records; for supervisors, the subjects they read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kiber.governance import selectors
from kiber.governance.choices import DocumentPart, Eligibility
from kiber.governance.services import documents as document_services
from kiber.governance.services.risks import continuity_warnings


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_subject:
        return overview(request, request.user.organisation_id or 0)
    queryset = selectors.organisations(request.user).annotate(
        document_count=Count(
            "governance_documents", filter=Q(governance_documents__next_version__isnull=True), distinct=True
        ),
        risk_count=Count("risks", distinct=True),
        contract_count=Count("outsourcing_contracts", distinct=True),
    )
    q = request.GET.get("q", "").strip()
    if q:
        queryset = queryset.filter(name__icontains=q)
    if request.GET.get("ci") == "1":
        queryset = queryset.filter(is_ci_owner=True)
    return render(
        request,
        "governance/subjects.html",
        {
            "organisations": queryset,
            "filters": {"q": q, "ci": request.GET.get("ci", "")},
        },
    )


@login_required
def overview(request: HttpRequest, organisation_pk: int) -> HttpResponse:
    organisation = selectors.organisation(request.user, organisation_pk)
    user = request.user
    today = timezone.localdate()
    documents = list(selectors.current_documents(user, organisation))
    parts = []
    for value, label in DocumentPart.choices:
        in_part = [d for d in documents if d.part == value]
        parts.append(
            {
                "value": value,
                "label": label,
                "rows": [
                    {
                        "document": d,
                        "sab": document_services.sab_status(d, today),
                        "review_overdue": d.review_due is not None and d.review_due < today,
                    }
                    for d in in_part
                ],
            }
        )
    contracts = None
    if selectors.sees_outsourcing(user, organisation):
        counts = {
            row["decision"]: row["n"]
            for row in selectors.contracts(user, organisation).values("decision").annotate(n=Count("id"))
        }
        contracts = [(value, label, counts[value]) for value, label in Eligibility.choices if value in counts]
    methodology = selectors.methodology(organisation)
    risks = list(selectors.risks(user, organisation))
    objectives = list(selectors.continuity(user, organisation))
    return render(
        request,
        "governance/overview.html",
        {
            "organisation": organisation,
            "parts": parts,
            "contracts": contracts,
            "methodology": methodology,
            "risk_count": len(risks),
            "unacceptable": sum(1 for r in risks if methodology and r.score > methodology.acceptable_score),
            "continuity_count": len(objectives),
            "continuity_warnings": sum(len(continuity_warnings(o)) for o in objectives),
            "system_count": organisation.information_systems.count(),
            "can_edit": selectors.can_edit(user, organisation.pk),
            "is_subject": user.is_subject,
        },
    )
