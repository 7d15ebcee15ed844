"""Compliance pages: dashboards, the self-assessment, submitted versions and reviews, exports, catalogue."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from kiber import versioning
from kiber.assets.models import InformationSystem
from kiber.compliance import charts, selectors, services
from kiber.compliance.applicability import applicable_items, subject_tiers
from kiber.compliance.exports import answers_xlsx, catalogue_xlsx
from kiber.compliance.forms import AnswerForm, EvidenceForm, FrequencyForm, ReviewForm
from kiber.compliance.labels import TIERS
from kiber.compliance.models import (
    AnswerStatus,
    Assessment,
    AssessmentStatus,
    FrequencyOverride,
    Requirement,
    Review,
    Schedule,
)
from kiber.registry import selectors as registry_selectors
from kiber.registry.choices import Role
from kiber.registry.sectors import sector_name
from kiber.versioning import StaleVersion, form_conflict
from kiber.web import files

GAPS_SHOWN = 15


def short_basis(basis: list[str]) -> str:
    """"22-TA-3183 p.151.1, 22-TA-3183 p.152" -> "22-TA-3183 p.151.1, p.152"."""
    prefix = "22-TA-3183 "
    if basis and all(b.startswith(prefix) for b in basis):
        return prefix + ", ".join(b[len(prefix):] for b in basis)
    return ", ".join(basis)


def _dom_id(requirement_id: int, system_id: int | None) -> str:
    return f"item-{requirement_id}-{system_id or 0}"


def _require_user(request: HttpRequest) -> None:
    if not selectors.can_use(request.user):  # type: ignore[arg-type]
        raise Http404


# --------------------------------------------------------------------------- dashboards


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if selectors.is_subject(user):  # type: ignore[arg-type]
        return _subject_home(request)
    if selectors.is_supervisor(user):  # type: ignore[arg-type]
        return _supervisor_home(request)
    raise Http404


def _status_lost_context(organisation: Any) -> dict[str, Any]:
    return {
        "organisation": organisation,
        "schedule": None,
        "tiers": [],
        "assessment": None,
        "past": Assessment.objects.filter(organisation=organisation).order_by("-year"),
    }


def _subject_home(request: HttpRequest) -> HttpResponse:
    organisation = request.user.organisation  # type: ignore[union-attr]
    if organisation.duties_ended:  # p. 8.3, 10.3: nothing falls due; the history stays readable
        return render(request, "compliance/subject_home.html", _status_lost_context(organisation))
    schedule = services.refresh_schedule(organisation)
    assessment = selectors.current_assessment(organisation)
    context: dict[str, Any] = {
        "organisation": organisation,
        "schedule": schedule,
        "schedule_basis": short_basis(schedule.basis),
        "tiers": subject_tiers(organisation),
        "assessment": assessment,
        "can_start": request.user.can_edit_subject  # type: ignore[union-attr]
        and not Assessment.objects.filter(organisation=organisation, year=schedule.next_due.year).exists(),
    }
    if assessment is not None:
        systems = list(InformationSystem.objects.filter(organisation=organisation).order_by("name"))
        rows = services.working_items(assessment, systems=systems)
        scores = services.working_scores(rows)
        sections: dict[str, str] = {}
        for row in rows:
            sections.setdefault(row.item.requirement.section_number, row.item.requirement.section_title_lv)
        context.update(
            rows_total=len(rows),
            rows_answered=sum(1 for row in rows if row.answered),
            scores=scores,
            overall=charts.pct(scores.overall),
            section_chart=charts.bar_chart(
                [(f"{n}. {t}", scores.sections.get(n)) for n, t in sections.items()],
                _("Atbilstība pa nodaļām"),
            ),
            system_chart=charts.bar_chart(
                [(s.name + (f" ({s.security_class})" if s.security_class else ""), scores.systems.get(str(s.pk)))
                 for s in systems],
                _("Atbilstība pa sistēmām"),
            )
            if systems
            else None,
            gaps_total=sum(1 for row in rows if row.answered and row.answer and row.answer.is_gap),
            gaps=sorted(
                (row for row in rows if row.answered and row.answer and row.answer.is_gap),
                key=lambda row: (row.answer.target_date, row.item.requirement.sort_key),  # type: ignore[union-attr]
            )[:GAPS_SHOWN],
            versions=list(assessment.versions.order_by("-number").prefetch_related("reviews", "deliveries")),
            today=timezone.localdate(),
        )
    return render(request, "compliance/subject_home.html", context)


def _page_number(request: HttpRequest, name: str) -> int:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) < 7 else 1


def _supervisor_home(request: HttpRequest) -> HttpResponse:
    data = selectors.supervisor_dashboard(
        request.user,  # type: ignore[arg-type]
        queue_page=_page_number(request, "queue"),
        overdue_page=_page_number(request, "overdue"),
    )
    sector_rows = sorted(data.by_sector, key=lambda r: sector_name(r["sector"]))
    columns = [(row["sector"], sector_name(row["sector"])) for row in sector_rows]
    context = {
        "data": data,
        "sector_chart": charts.bar_chart(
            [(f"{sector_name(r['sector'])} (n={r['n']})", r["avg"]) for r in sector_rows],
            _("Vidējā atbilstība pa nozarēm"),
        ),
        "section_heat": charts.heat_map(
            [(number, f"{number}. {title}") for number, title in data.sections],
            columns,
            {number: {sector: values.get(number) for sector, values in data.sector_sections.items()}
             for number, _t in data.sections},
            _("Atbilstība pa nodaļām un nozarēm"),
        ),
        "legend": charts.legend(),
        "today": timezone.localdate(),
    }
    return render(request, "compliance/supervisor_home.html", context)


@login_required
def heatmap(request: HttpRequest) -> HttpResponse:
    """Compliance by requirement and sector (NKC, SAB): the heat map of every requirement."""
    if not selectors.is_supervisor(request.user):  # type: ignore[arg-type]
        raise Http404
    data = selectors.supervisor_dashboard(request.user, with_heat=True)  # type: ignore[arg-type]
    requirements = list(
        selectors.requirements().only(
            "id", "point", "section_number", "section_title_lv", "section_title_en", "text_lv", "text_en"
        )
    )
    english = (get_language() or "").startswith("en")
    columns = [(s, sector_name(s)) for s in sorted(data.heat_sectors, key=sector_name)]
    values: dict[str, dict[str, Any]] = {}
    rows = []
    groups = {}
    for r in requirements:
        key = str(r.pk)
        total = data.requirement_avg.get(r.pk)
        text, section = (r.text_en, r.section_title_en) if english else (r.text_lv, r.section_title_lv)
        rows.append((key, f"{r.point}. {text or r.text_lv}"))
        groups[key] = f"{r.section_number}. {section or r.section_title_lv}"
        values[key] = {**data.heat.get(r.pk, {}), "__all__": total}
    chart = charts.heat_map(
        rows, [("__all__", _("Visi"))] + columns, values, _("Atbilstība pa prasībām un nozarēm"), group_rows=groups,
        row_label_width=380,
    )
    worst = sorted(
        ((avg, n, r) for r in requirements if (entry := data.requirement_avg.get(r.pk)) for avg, n in [entry]),
        key=lambda t: t[0],
    )[:10]
    return render(request, "compliance/heatmap.html", {"chart": chart, "legend": charts.legend(), "worst": worst,
                                                        "data": data})


# --------------------------------------------------------------------------- the self-assessment


@login_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not selectors.is_subject(user) or not user.can_edit_subject:  # type: ignore[arg-type, union-attr]
        raise Http404
    assessment = services.start_assessment(user, user.organisation)  # type: ignore[arg-type, union-attr]
    messages.success(request, _("Pašnovērtējums %(year)d atvērts.") % {"year": assessment.year})
    return redirect("compliance:assessment", pk=assessment.pk)


def _sections(rows: list[services.WorkingItem]) -> list[dict[str, Any]]:
    sections: dict[str, dict[str, Any]] = {}
    for row in rows:
        r = row.item.requirement
        entry = sections.setdefault(
            r.section_number, {"number": r.section_number, "title": r.section_title_lv, "total": 0, "answered": 0}
        )
        entry["total"] += 1
        entry["answered"] += int(row.answered)
    return list(sections.values())


def _latest_review(assessment: Assessment) -> Review | None:
    return (
        Review.objects.filter(version__assessment=assessment)
        .select_related("version", "reviewer")
        .prefetch_related("comments")
        .order_by("-decided_at", "-id")
        .first()
    )


def _render_assessment(
    request: HttpRequest,
    assessment: Assessment,
    bound: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    rows = services.working_items(assessment)
    sections = _sections(rows)
    only_open = request.GET.get("open") == "1"
    system_param = request.GET.get("system") or ""
    system_filter = int(system_param) if system_param.isdigit() else None
    wanted = request.GET.get("section") or (bound or {}).get("section")
    if wanted not in {s["number"] for s in sections}:
        wanted = next((s["number"] for s in sections if s["answered"] < s["total"]), None) or (
            sections[0]["number"] if sections else None
        )
    review = _latest_review(assessment)
    review_comments = {c.item_key: c.comment for c in review.comments.all()} if review else {}
    items = []
    for row in rows:
        r = row.item.requirement
        if r.section_number != wanted or (only_open and row.answered):
            continue
        if system_filter and (row.item.system is None or row.item.system.pk != system_filter):
            continue
        dom_id = _dom_id(r.pk, row.item.system.pk if row.item.system else None)
        form = (bound or {}).get("forms", {}).get(dom_id)
        if form is None:
            initial: dict[str, Any] = {"version": versioning.NEW}
            if row.answer is not None:
                initial = {f: getattr(row.answer, f) for f in services.ANSWER_FIELDS}
                initial["version"] = row.answer.version
            form = AnswerForm(initial=initial, prefix=dom_id)
        items.append({
            "row": row,
            "requirement": r,
            "system": row.item.system,
            "dom_id": dom_id,
            "form": form,
            "evidence_form": (bound or {}).get("evidence", {}).get(dom_id) or EvidenceForm(prefix=dom_id),
            "review_comment": review_comments.get(row.key),
        })
    scores = services.working_scores(rows)
    context = {
        "assessment": assessment,
        "organisation": assessment.organisation,
        "sections": sections,
        "section": wanted,
        "items": items,
        "only_open": only_open,
        "system_filter": system_filter,
        "systems": sorted({row.item.system for row in rows if row.item.system}, key=lambda s: s.name),
        "total": len(rows),
        "answered": sum(1 for row in rows if row.answered),
        "overall": charts.pct(scores.overall),
        "review": review if assessment.status == AssessmentStatus.REVISION else None,
        "can_submit": assessment.editable and request.user.can_edit_subject,  # type: ignore[union-attr]
        "statuses": AnswerStatus,
    }
    return render(request, "compliance/assessment.html", context, status=status)


@login_required
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    _require_user(request)
    found = selectors.get_assessment(request.user, pk)  # type: ignore[arg-type]
    if selectors.is_supervisor(request.user):  # type: ignore[arg-type]
        return redirect("compliance:version", pk=found.pk, number=found.latest_version)
    services.record_read(request.user, found, found.organisation_id, "assessment")  # type: ignore[arg-type]
    return _render_assessment(request, found)


@login_required
@require_POST
def answer(request: HttpRequest, pk: int, requirement_id: int, system_id: int) -> HttpResponse:
    found = selectors.get_editable_assessment(request.user, pk)  # type: ignore[arg-type]
    requirement = get_object_or_404(Requirement, pk=requirement_id, active=True)
    system = None
    if system_id:
        system = get_object_or_404(InformationSystem, pk=system_id, organisation_id=found.organisation_id)
    dom_id = _dom_id(requirement.pk, system_id)
    form = AnswerForm(request.POST, prefix=dom_id)
    evidence_form = EvidenceForm(request.POST, request.FILES, prefix=dom_id)
    has_file = bool(request.FILES.get(f"{dom_id}-file"))
    # The bound evidence form only when a file was sent: unbound, its empty file field is no error.
    evidence = {dom_id: evidence_form} if has_file else {}
    bound = {"forms": {dom_id: form}, "evidence": evidence, "section": requirement.section_number}
    if not form.is_valid():
        return _render_assessment(request, found, bound, status=422)
    try:
        saved = services.save_answer(request.user, found, requirement, system, form.cleaned_data)  # type: ignore[arg-type]
        if has_file:
            if not evidence_form.is_valid():
                return _render_assessment(request, found, bound, status=422)
            services.add_evidence(
                request.user, saved, evidence_form.cleaned_data["file"],  # type: ignore[arg-type]
                evidence_form.cleaned_data.get("description") or "",
            )
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            target = evidence_form if field in ("file", "description") else form
            for error in errors:
                target.add_error(field if field in target.fields else None, error)
        return _render_assessment(request, found, bound, status=422)
    except versioning.StaleVersion:
        url = reverse("compliance:assessment", kwargs={"pk": found.pk})
        versioning.form_conflict(form, request, f"{url}?section={requirement.section_number}#{dom_id}")
        return _render_assessment(request, found, bound, status=409)
    messages.success(request, _("Atbilde saglabāta: %(point)s. punkts.") % {"point": requirement.point})
    url = reverse("compliance:assessment", kwargs={"pk": found.pk})
    return redirect(f"{url}?section={requirement.section_number}#{dom_id}")


@login_required
@require_POST
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    if not selectors.is_subject(request.user):  # type: ignore[arg-type]
        raise Http404
    evidence = selectors.get_evidence(request.user, pk)  # type: ignore[arg-type]
    answer_obj = evidence.answer
    try:
        services.remove_evidence(request.user, evidence)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    url = reverse("compliance:assessment", kwargs={"pk": answer_obj.assessment_id})
    return redirect(f"{url}?section={answer_obj.requirement.section_number}#"
                    f"{_dom_id(answer_obj.requirement_id, answer_obj.system_id)}")


@login_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    _require_user(request)
    evidence = selectors.get_evidence(request.user, pk)  # type: ignore[arg-type]
    services.record_read(
        request.user, evidence, evidence.answer.assessment.organisation_id, "evidence"  # type: ignore[arg-type]
    )
    return files.download(evidence.file, evidence.original_name)


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    found = selectors.get_editable_assessment(user, pk)  # type: ignore[arg-type]
    if not user.can_edit_subject:  # type: ignore[union-attr]
        raise Http404
    try:
        version = services.submit_assessment(user, found)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, exc.message_dict.get("answers", exc.messages)[0]
                       if hasattr(exc, "message_dict") else exc.messages[0])
        return redirect(f"{reverse('compliance:assessment', kwargs={'pk': found.pk})}?open=1")
    recipients = ", ".join(d.get_recipient_display() for d in version.deliveries.all())
    messages.success(request, _("Versija %(n)d iesniegta: %(to)s.") % {"n": version.number, "to": recipients})
    return redirect("compliance:version", pk=found.pk, number=version.number)


# --------------------------------------------------------------------------- versions and review


@login_required
def version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    _require_user(request)
    found = selectors.get_version(request.user, pk, number)  # type: ignore[arg-type]
    assessment_obj = found.assessment
    user = request.user
    reviewable = (
        selectors.can_review(user)  # type: ignore[arg-type]
        and assessment_obj.status == AssessmentStatus.SUBMITTED
        and found.number == assessment_obj.latest_version
    )
    form = ReviewForm(request.POST or None) if reviewable else None
    item_comments: dict[str, str] = {}
    if request.method == "POST":
        if not reviewable or form is None:
            raise Http404
        item_comments = {
            key[len("item:"):]: value
            for key, value in request.POST.items()
            if key.startswith("item:") and value.strip()
        }
        if form.is_valid():
            try:
                services.review_version(
                    user, found, form.cleaned_data["decision"], form.cleaned_data["comment"], item_comments  # type: ignore[arg-type]
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, _("Izvērtējums saglabāts."))
                return redirect("compliance:version", pk=pk, number=number)
    else:
        services.record_read(user, found, found.organisation_id, "version")  # type: ignore[arg-type]
    snapshot = found.snapshot
    previous = selectors.versions(user).filter(assessment=assessment_obj, number=number - 1).first()  # type: ignore[arg-type]
    labels = dict(AnswerStatus.choices)
    differences = _labelled(services.diff_snapshots(previous.snapshot, snapshot), labels) if previous else None
    sections: dict[str, dict[str, Any]] = {}
    for number_, data in snapshot["scoring"]["sections"].items():
        sections[number_] = {"number": number_, "title": data["title_lv"], "score": charts.pct(data["score"]),
                             "items": []}
    reviews = list(found.reviews.select_related("reviewer").prefetch_related("comments"))
    comments_by_key: dict[str, list[str]] = {}
    for review in reviews:
        for comment in review.comments.all():
            comments_by_key.setdefault(comment.item_key, []).append(comment.comment)
    evidence_ids = {
        (e.answer.requirement.ref, e.answer.system_id, e.sha256): e.pk
        for e in selectors.get_version_evidence(assessment_obj)
    }
    for item in snapshot["items"]:
        sections.setdefault(item["section"], {"number": item["section"], "title": "", "score": "—", "items": []})
        sections[item["section"]]["items"].append({
            **item,
            "status_label": labels.get(item["status"], "—"),
            "review_comments": comments_by_key.get(item["key"], []),
            "posted_comment": item_comments.get(item["key"], ""),
            "evidence_links": [
                {**e, "pk": evidence_ids.get((item["requirement"], item["system_id"], e["sha256"]))}
                for e in item["evidence"]
            ],
        })
    context = {
        "version": found,
        "assessment": assessment_obj,
        "snapshot": snapshot,
        "sections": list(sections.values()),
        "overall": charts.pct(snapshot["scoring"]["overall"]),
        "section_chart": charts.bar_chart(
            [(f"{s['number']}. {d['title_lv']}", d["score"]) for s in sections.values()
             for d in [snapshot["scoring"]["sections"].get(s["number"], {"title_lv": "", "score": None})]],
            _("Atbilstība pa nodaļām"),
        ),
        "differences": differences,
        "previous": previous,
        "reviews": reviews,
        "form": form,
        "labels": labels,
        "all_versions": list(assessment_obj.versions.order_by("-number").values_list("number", flat=True)),
    }
    return render(request, "compliance/version.html", context)


DIFF_LABELS = {
    "status": _l("Atbilde"), "comment": _l("Komentārs"), "justification": _l("Pamatojums neattiecināmībai"),
    "gap_owner": _l("Atbildīgais"), "target_date": _l("Termiņš"), "evidence": _l("Pierādījumi"),
    "requirement_version": _l("Prasības versija"),
}


def _labelled(differences: list[dict[str, Any]], labels: dict[str, Any]) -> list[dict[str, Any]]:
    for difference in differences:
        difference["changes"] = {
            str(DIFF_LABELS.get(field, field)): [labels.get(old, old), labels.get(new, new)]
            if field == "status" else [old, new]
            for field, (old, new) in difference["changes"].items()
        }
    return differences


@login_required
def version_pdf(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    _require_user(request)
    found = selectors.get_version(request.user, pk, number)  # type: ignore[arg-type]
    services.record_read(request.user, found, found.organisation_id, "pdf")  # type: ignore[arg-type]
    name = f"pasnovertejums-{found.organisation.registration_number}-{found.assessment.year}-v{found.number}.pdf"
    return files.download(services.version_pdf(found), name)


@login_required
def answers_export(request: HttpRequest, pk: int) -> HttpResponse:
    """XLSX of answers: of a submitted version (``?v=N``) or, for the subject, of the working copy."""
    _require_user(request)
    found = selectors.get_assessment(request.user, pk)  # type: ignore[arg-type]
    number = request.GET.get("v")
    if number:
        if not number.isdigit():
            raise Http404
        snapshot = selectors.get_version(request.user, pk, int(number)).snapshot  # type: ignore[arg-type]
        suffix = f"v{number}"
    else:
        if not selectors.is_subject(request.user):  # type: ignore[arg-type]
            raise Http404
        rows = services.working_items(found)
        snapshot = services.build_snapshot(found, rows, services.working_scores(rows))
        suffix = "melnraksts"
    services.record_read(request.user, found, found.organisation_id, f"xlsx {suffix}")  # type: ignore[arg-type]
    filename = f"pasnovertejums-{found.organisation.registration_number}-{found.year}-{suffix}.xlsx"
    return files.download(answers_xlsx(snapshot), filename)


# --------------------------------------------------------------------------- catalogue


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    """The requirement catalogue; for a subject, the items that apply to it are marked."""
    _require_user(request)
    requirements = list(selectors.requirements())
    section = request.GET.get("section") or ""
    applicable: dict[int, list[str]] = {}
    user = request.user
    if selectors.is_subject(user):  # type: ignore[arg-type]
        for item in applicable_items(user.organisation, requirements=requirements):  # type: ignore[union-attr, arg-type]
            applicable.setdefault(item.requirement.pk, []).append(item.system.name if item.system else "")
    only_mine = request.GET.get("mine") == "1" and bool(applicable)
    sections: dict[str, str] = {}
    for r in requirements:
        sections.setdefault(r.section_number, r.section_title_lv)
    shown = [
        {"r": r, "applies": r.pk in applicable, "systems": [s for s in applicable.get(r.pk, []) if s],
         "tiers": [TIERS.get(t, t) for t in r.tiers]}
        for r in requirements
        if (not section or r.section_number == section) and (not only_mine or r.pk in applicable)
    ]
    return render(request, "compliance/catalogue.html", {
        "items": shown, "sections": sections, "section": section, "only_mine": only_mine,
        "is_subject": bool(applicable) or selectors.is_subject(user),  # type: ignore[arg-type]
        "applicable_count": len(applicable), "total": len(requirements),
    })


@login_required
def catalogue_export(request: HttpRequest) -> HttpResponse:
    _require_user(request)
    return files.download(catalogue_xlsx(list(selectors.requirements())), "22-TA-3183-prasibas.xlsx")


@login_required
def frequency(request: HttpRequest, pk: int) -> HttpResponse:
    """NKC sets another self-assessment frequency for a subject it supervises (p. 151.2)."""
    if request.user.role != Role.NKC_SUPERVISOR:  # type: ignore[union-attr]
        raise Http404
    organisation = registry_selectors.organisation_for(request.user, pk)  # type: ignore[arg-type]
    current = FrequencyOverride.objects.filter(organisation=organisation).first()
    initial = {"years": current.years, "reason": current.reason, "version": current.version} if current else {}
    form = FrequencyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_frequency(request.user, organisation, form.cleaned_data)  # type: ignore[arg-type]
        except StaleVersion:
            form_conflict(form, request)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("Pašnovērtējuma biežums saglabāts; grafiks pārrēķināts."))
            return redirect("compliance:frequency", pk=organisation.pk)
    schedule = Schedule.objects.filter(organisation=organisation).first()
    return render(
        request,
        "compliance/frequency.html",
        {"organisation": organisation, "form": form, "current": current, "schedule": schedule,
         "schedule_basis": short_basis(schedule.basis) if schedule else ""},
    )
