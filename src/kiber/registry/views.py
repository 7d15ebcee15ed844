"""Registry pages: the subject's own page and actions, the supervisors' list, inbox and subject pages."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kiber import versioning
from kiber.audit.models import AuditEntry
from kiber.audit.services import chain_for, history
from kiber.registry import deadlines as manager_deadlines
from kiber.registry import exports, sectors, selectors, services
from kiber.registry.choices import Category, Role, SabCheck, SubmissionKind
from kiber.registry.forms import (
    CategoryOverrideForm,
    CIDesignationForm,
    ManagerForm,
    OrganisationForm,
    RegisterSubjectForm,
    ResponsiblePersonsForm,
    SabCheckForm,
    StatusNotificationForm,
)
from kiber.registry.history import rows as history_rows
from kiber.registry.models import Organisation, ResponsiblePerson, User
from kiber.web import files

LIST_ROLES = {Role.NKC_SUPERVISOR, Role.SAB_OFFICER, Role.CSIRT_ANALYST, Role.PLATFORM_ADMIN}
REGISTER_ROLES = {Role.NKC_SUPERVISOR, Role.PLATFORM_ADMIN}
PAGE_SIZE = 25


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _editable_own(request: HttpRequest) -> Organisation:
    """The user's own subject, for a subject administrator or cybersecurity manager; 403 otherwise."""
    organisation = selectors.own_organisation(_user(request))
    if not _user(request).can_edit_subject:
        raise PermissionDenied
    return organisation


def _subject_context(user: User, organisation: Organisation) -> dict[str, Any]:
    submissions = list(selectors.submissions_for(user, organisation))
    last_status = next((s for s in submissions if s.kind == SubmissionKind.STATUS), None)
    appointments = list(selectors.appointments_for(user, organisation))
    current = services.active_appointment(organisation)
    supervisor = user.role in LIST_ROLES
    return {
        "now": timezone.now(),
        "organisation": organisation,
        "sector_name": sectors.sector_name(organisation.sector),
        "subsector_name": sectors.subsector_name(organisation.subsector) if organisation.subsector else "",
        "submissions": submissions,
        "last_status": last_status,
        "changed_since_notification": last_status is not None and organisation.updated_at > last_status.submitted_at,
        "manager": current,
        "manager_notified": current is not None
        and any(s.appointment_id == current.pk and s.kind == SubmissionKind.MANAGER for s in submissions),
        "candidate_applied": current is not None
        and any(s.appointment_id == current.pk and s.kind == SubmissionKind.CANDIDATE for s in submissions),
        "appointments": appointments,
        "responsible": ResponsiblePerson.objects.filter(organisation=organisation),
        "tier": services.subject_tier(organisation),
        "can_edit": user.can_edit_subject and user.organisation_id == organisation.pk,
        "is_supervisor": supervisor,
        "can_override": user.role == Role.NKC_SUPERVISOR,
        "sab_choices": SabCheck.choices,
        "override_form": CategoryOverrideForm(
            initial={
                "category": organisation.category_override,
                "reason": organisation.category_override_reason,
                "version": organisation.version,
            }
        ),
        "history": history_rows(_history(organisation)) if supervisor else [],
        "related": _related(user, organisation) if supervisor else [],
    }


def _related(user: User, organisation: Organisation) -> list[tuple[str, str]]:
    """Links from a subject's page to its records in the other apps that ``user`` may open."""
    # Imported here: compliance and incidents build on the registry, not the other way round.
    from kiber.compliance import selectors as compliance
    from kiber.incidents import selectors as incidents

    links = [(_("IKT resursu katalogs"), reverse("assets:organisation", args=[organisation.pk]))]
    if user.role == Role.NKC_SUPERVISOR:
        links.append((_("Pašnovērtējuma biežums (151.2. p.)"), reverse("compliance:frequency", args=[organisation.pk])))
    for found in compliance.assessments(user).filter(organisation=organisation).order_by("-year")[:3]:
        label = _("Pašnovērtējums %(year)s (versija %(v)s)") % {"year": found.year, "v": found.latest_version}
        links.append((label, reverse("compliance:assessment", args=[found.pk])))
    if incidents.is_reviewer(user) and incidents.incidents_for(user).filter(organisation=organisation).exists():
        links.append((_("Incidentu ziņojumi"), reverse("incidents:inbox") + "?" + urlencode({"q": organisation.name})))
    return links


def _history(organisation: Organisation) -> list[AuditEntry]:
    """The subject's own entries (``history``) and those of its records (its chain), newest first."""
    own_entries = history(organisation)
    chain = AuditEntry.objects.filter(chain=chain_for(organisation.pk))
    return list((own_entries | chain).order_by("-at", "-id")[:100])


@login_required
def own(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.is_subject:
        if user.role in LIST_ROLES:
            return redirect("registry:list")
        raise PermissionDenied
    organisation = selectors.own_organisation(user)
    return render(request, "registry/subject.html", _subject_context(user, organisation))


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    organisation = selectors.organisation_for(user, pk)
    if user.is_subject:
        return redirect("registry:own")
    return render(request, "registry/subject.html", _subject_context(user, organisation))


def _list_filters(request: HttpRequest) -> dict[str, str]:
    if _user(request).role not in LIST_ROLES:
        raise PermissionDenied
    return {k: request.GET.get(k, "") for k in selectors.FILTERS}


@login_required
def subject_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    filters = _list_filters(request)
    queryset = selectors.organisations_for(user, filters)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    visible_sectors = set(selectors.visible_organisations(user).order_by().values_list("sector", flat=True).distinct())
    return render(
        request,
        "registry/list.html",
        {
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "sector_choices": [(s, n) for s, n in sectors.sector_choices() if s in visible_sectors],
            "category_choices": Category.choices,
            "sector_names": dict(sectors.sector_choices()),
            "can_register": user.role in REGISTER_ROLES,
            "can_designate": user.role == Role.SAB_OFFICER,
            "has_inbox": selectors.recipient_of(user) is not None,
            "unread": selectors.deliveries_for(user).filter(read_at__isnull=True).count(),
        },
    )


@login_required
def subject_list_xlsx(request: HttpRequest) -> HttpResponse:
    """The filtered list as XLSX: the same filters and scope as the page, every page of it."""
    user = _user(request)
    rows = selectors.organisations_for(user, _list_filters(request))
    return files.download(exports.subjects_xlsx(rows), "kiber-subjekti.xlsx")


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if selectors.recipient_of(user) is None:
        raise PermissionDenied
    deliveries = selectors.deliveries_for(user)
    unread = deliveries.filter(read_at__isnull=True).count()
    kind = request.GET.get("kind", "")
    if kind in SubmissionKind.values:
        deliveries = deliveries.filter(submission__kind=kind)
    if request.GET.get("unread"):
        deliveries = deliveries.filter(read_at__isnull=True)
    query = request.GET.copy()
    query.pop("page", None)
    page = Paginator(deliveries, PAGE_SIZE).get_page(request.GET.get("page"))
    # SAB receives manager notices of subjects outside its scope (p. 11): only visible subjects are linked.
    shown = {d.organisation_id for d in page}
    linked = set(selectors.visible_organisations(user).filter(pk__in=shown).values_list("pk", flat=True))
    return render(
        request,
        "registry/inbox.html",
        {
            "page": page,
            "linked": linked,
            "pending_checks": manager_deadlines.deadlines_for(user) if selectors.recipient_of(user) == "sab" else [],
            "recipient": selectors.recipient_of(user),
            "unread": unread,
            "kind": kind,
            "kind_choices": SubmissionKind.choices,
            "only_unread": bool(request.GET.get("unread")),
            "query": query.urlencode(),
        },
    )


@login_required
def ci_designations(request: HttpRequest) -> HttpResponse:
    """SAB's screen: record an inclusion, European-significance or exclusion notice (p. 107.3) and list them."""
    user = _user(request)
    if user.role != Role.SAB_OFFICER:
        raise PermissionDenied
    form = CIDesignationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        designation = form.save(user)
        if designation is not None:
            messages.success(
                request,
                _("Paziņojums ierakstīts: %(subject)s — %(notice)s.")
                % {"subject": designation.organisation.name, "notice": designation.get_notice_display()},
            )
            return redirect("registry:ci_designations")
    page = Paginator(selectors.ci_designations_for(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/ci_designations.html", {"form": form, "page": page})


@login_required
def register(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.role not in REGISTER_ROLES:
        raise PermissionDenied
    form = RegisterSubjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = form.save(user)
        if created is not None:
            return render(request, "registry/registered.html", {"created": created})
    return render(
        request,
        "registry/form.html",
        {
            "form": form,
            "title": _("Reģistrēt subjektu"),
            "intro": _(
                "NKC reģistrē subjektu un tā pirmo administratoru. Administrators saņem vienreizēju paroli un "
                "pēc tam pats iesniedz statusa paziņojumu (8. p.)."
            ),
            "submit": _("Reģistrēt"),
            "back": "registry:list",
        },
    )


@login_required
def edit(request: HttpRequest) -> HttpResponse:
    organisation = _editable_own(request)
    form = OrganisationForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            saved = form.save(_user(request))
        except versioning.StaleVersion:
            versioning.form_conflict(form, request)
        else:
            if saved is not None:
                messages.success(request, _("Dati saglabāti. Par izmaiņām paziņojiet NKC (8.2. p.)."))
                return redirect("registry:own")
    return render(
        request,
        "registry/form.html",
        {
            "form": form,
            "title": _("Labot subjekta datus"),
            "submit": _("Saglabāt"),
            "back": "registry:own",
            "intro": _("Kategoriju (būtisks, svarīgs) pēc saglabāšanas aprēķina noteikums „entity-category”."),
        },
    )


@login_required
def notify(request: HttpRequest) -> HttpResponse:
    organisation = _editable_own(request)
    form = StatusNotificationForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        submission = form.save(_user(request))
        if submission is not None:
            messages.success(request, _("Statusa paziņojums iesniegts (versija %(v)s).") % {"v": submission.version})
            return redirect("registry:submission", pk=submission.pk)
    return render(
        request,
        "registry/form.html",
        {
            "form": form,
            "title": _("Statusa paziņojums"),
            "submit": _("Iesniegt"),
            "back": "registry:own",
            "intro": _(
                "Būtisko vai svarīgo pakalpojumu sniedzēja statusa paziņojums (8.–10. p., 1.–2. pielikums). "
                "Subjekta rekvizīti tiek ņemti no reģistra. Iesniegto versiju vairs nevar mainīt."
            ),
            "organisation": organisation,
        },
    )


@login_required
def appoint(request: HttpRequest) -> HttpResponse:
    organisation = _editable_own(request)
    form = ManagerForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            appointment = form.save(_user(request))
        except versioning.StaleVersion:
            versioning.form_conflict(form, request)
            appointment = None
        if appointment is not None:
            messages.success(
                request, _("Kiberdrošības pārvaldnieks noteikts. Iesniedziet paziņojumu NKC un SAB (11. p.).")
            )
            return redirect("registry:own")
    tier_text = {
        "ci_owner": _("IKT kritiskās infrastruktūras īpašnieka pārvaldnieks (12., 15.–19., 22. p.)"),
        "essential": _("Būtisko pakalpojumu sniedzēja pārvaldnieks (13., 19.–21. p.)"),
        "important": _("Svarīgo pakalpojumu sniedzēja pārvaldnieks (14., 19. p.)"),
    }.get(form.tier or "", "")
    return render(
        request,
        "registry/form.html",
        {
            "form": form,
            "title": _("Noteikt kiberdrošības pārvaldnieku"),
            "submit": _("Noteikt"),
            "back": "registry:own",
            "intro": tier_text,
            "organisation": organisation,
        },
    )


@login_required
@require_POST
def notify_manager(request: HttpRequest) -> HttpResponse:
    organisation = _editable_own(request)
    appointment = services.active_appointment(organisation)
    if appointment is None:
        messages.error(request, _("Vispirms nosakiet kiberdrošības pārvaldnieku."))
        return redirect("registry:own")
    submission = services.submit_manager_notification(_user(request), organisation, appointment)
    messages.success(
        request, _("Paziņojums par kiberdrošības pārvaldnieku iesniegts (versija %(v)s).") % {"v": submission.version}
    )
    return redirect("registry:submission", pk=submission.pk)


@login_required
@require_POST
def notify_candidate(request: HttpRequest) -> HttpResponse:
    """The CI owner applies to SAB for approval of its manager candidate (p. 16)."""
    organisation = _editable_own(request)
    appointment = services.active_appointment(organisation)
    if appointment is None:
        messages.error(request, _("Vispirms nosakiet kiberdrošības pārvaldnieku."))
        return redirect("registry:own")
    try:
        submission = services.submit_candidate_application(_user(request), organisation, appointment)
    except services.RegistryError as exc:
        messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
        return redirect("registry:own")
    messages.success(request, _("Pieteikums par kandidāta saskaņošanu iesniegts SAB (16. p.)."))
    return redirect("registry:submission", pk=submission.pk)


@login_required
def responsible(request: HttpRequest) -> HttpResponse:
    organisation = _editable_own(request)
    form = ResponsiblePersonsForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                form.save(_user(request))
        except versioning.StaleVersion:
            versioning.form_conflict(form, request)
        else:
            messages.success(request, _("Atbildīgās personas saglabātas."))
            return redirect("registry:own")
    return render(
        request,
        "registry/form.html",
        {
            "form": form,
            "title": _("Atbildīgās personas (22. p.)"),
            "submit": _("Saglabāt"),
            "back": "registry:own",
            "intro": _(
                "Personas, kas atbild par kiberrisku pārvaldības un IKT darbības nepārtrauktības plānu, žurnālfailiem "
                "un rezerves kopijām. IKT kritiskās infrastruktūras īpašnieka kiberdrošības pārvaldnieks nedrīkst "
                "vienlaikus būt neviena no tām (22. p.)."
            ),
        },
    )


@login_required
@require_POST
def override(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    organisation = selectors.organisation_for(user, pk)
    if user.role != Role.NKC_SUPERVISOR:
        raise PermissionDenied
    form = CategoryOverrideForm(request.POST)
    status = 422
    try:
        if form.is_valid() and form.save(user, organisation) is not None:
            messages.success(request, _("Kategorija mainīta; pamatojums ierakstīts auditā."))
            return redirect("registry:detail", pk=organisation.pk)
    except versioning.StaleVersion:
        versioning.form_conflict(form, request, reverse("registry:detail", args=[organisation.pk]))
        status = 409
    context = _subject_context(user, organisation)
    context["override_form"] = form
    return render(request, "registry/subject.html", context, status=status)


@login_required
@require_POST
def sab_check(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    appointment = selectors.appointment_for(user, pk)
    if user.role != Role.SAB_OFFICER:
        raise PermissionDenied
    form = SabCheckForm(request.POST)
    if form.is_valid():
        try:
            services.record_sab_check(user, appointment, form.cleaned_data["sab_check"], form.cleaned_data["version"])
        except versioning.StaleVersion:
            versioning.message_conflict(request)
        else:
            messages.success(request, _("SAB pārbaudes rezultāts ierakstīts."))
    return redirect("registry:detail", pk=appointment.organisation_id)


@login_required
def submission(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    found = selectors.submission_for(user, pk)
    recipient = selectors.recipient_of(user)
    if recipient is not None:
        delivery = found.deliveries.filter(recipient=recipient).first()
        if delivery is not None:
            services.mark_read(user, delivery)
    previous = selectors.previous_version(found)
    return render(
        request,
        "registry/submission.html",
        {
            "submission": found,
            "rows": services.snapshot_rows(found.snapshot),
            "previous": previous,
            "diff": services.diff_snapshots(previous.snapshot, found.snapshot) if previous else [],
            "deliveries": found.deliveries.all(),
            "back_url": "registry:own" if user.is_subject else None,
        },
    )


@login_required
def submission_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.submission_for(_user(request), pk)
    name = f"{found.organisation.registration_number}-{found.kind}-v{found.version}.pdf"
    return files.download(services.submission_pdf(found), name)
