"""Pages of the ICT catalogue. Reads through ``selectors`` (scoped), writes through ``services``."""

from __future__ import annotations

import base64
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kiber import versioning
from kiber.assets import importers, selectors, services
from kiber.assets.forms import (
    ChangeReportForm,
    DependencyForm,
    ImportForm,
    PersonForm,
    ResourceForm,
    SystemForm,
    WholeInfrastructureForm,
)
from kiber.assets.models import InformationSystem, OrganisationCatalogue, PersonRole
from kiber.assets.reasons import DIMENSION_LABELS, obligation_rows, reasons_for, warning_texts
from kiber.audit.services import history
from kiber.registry.models import Organisation
from kiber.registry.sectors import sector_name
from kiber.web import files

IMPORT_SESSION_KEY = "assets_import"


def _own_organisation(request: HttpRequest) -> Organisation:
    user = request.user
    if not user.is_subject or user.organisation_id is None:
        raise Http404
    return selectors.organisation(user, user.organisation_id)


def _require_edit(request: HttpRequest, organisation_id: int) -> None:
    if not selectors.can_edit(request.user, organisation_id):
        raise PermissionDenied


def _apply_errors(form: Any, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        target = field.rsplit(".", 1)[-1]
        for error in errors:
            form.add_error(target if target in form.fields else None, error)


# --- catalogue -------------------------------------------------------------------------------------


@login_required
def catalogue_list(request: HttpRequest) -> HttpResponse:
    """The subject's own catalogue; for supervisors the subjects whose catalogue they may see."""
    if request.user.is_subject:
        return _catalogue(request, _own_organisation(request))
    organisations = list(selectors.organisations(request.user))
    today = timezone.localdate()
    rows = []
    for organisation in organisations:
        catalogue = getattr(organisation, "ict_catalogue", None)
        rows.append(
            {
                "organisation": organisation,
                "catalogue": catalogue,
                "stale": bool(catalogue and catalogue.is_stale(today)),
                "sector": sector_name(organisation.sector),
            }
        )
    return render(request, "assets/organisations.html", {"rows": rows})


@login_required
def organisation_catalogue(request: HttpRequest, organisation_pk: int) -> HttpResponse:
    return _catalogue(request, selectors.organisation(request.user, organisation_pk))


def _catalogue(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    catalogue: OrganisationCatalogue | None = getattr(organisation, "ict_catalogue", None)
    systems = list(selectors.systems(request.user, organisation))
    counts = {level: sum(1 for s in systems if s.security_class == level) for level in ("A", "B", "C")}
    context = {
        "organisation": organisation,
        "catalogue": catalogue,
        "stale": bool(catalogue and catalogue.is_stale()),
        "systems": systems,
        "counts": counts,
        "unclassified": sum(1 for s in systems if not s.security_class),
        "can_edit": selectors.can_edit(request.user, organisation.pk),
        "class_a_offered": organisation.is_essential,
        "change_form": ChangeReportForm(),
        "ci_form": WholeInfrastructureForm(
            initial={
                "whole_infrastructure_ci": bool(catalogue and catalogue.whole_infrastructure_ci),
                "version": catalogue.version if catalogue else None,
            }
        ),
    }
    return render(request, "assets/catalogue.html", context)


@login_required
@require_POST
def report_change(request: HttpRequest) -> HttpResponse:
    organisation = _own_organisation(request)
    _require_edit(request, organisation.pk)
    form = ChangeReportForm(request.POST)
    if form.is_valid():
        try:
            catalogue = services.report_change(
                request.user, organisation, form.cleaned_data["changed_on"], form.cleaned_data["note"]
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request, _("Izmaiņas reģistrētas. Katalogs jāaktualizē līdz %(due)s.") % {"due": catalogue.update_due}
            )
            return redirect("assets:list")
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("assets:list")


@login_required
@require_POST
def confirm_up_to_date(request: HttpRequest) -> HttpResponse:
    organisation = _own_organisation(request)
    _require_edit(request, organisation.pk)
    version = request.POST.get("version") or ""
    try:
        services.confirm_up_to_date(request.user, organisation, int(version) if version.isdigit() else None)
    except versioning.StaleVersion:
        versioning.message_conflict(request)
    else:
        messages.success(request, _("Katalogs atzīmēts kā aktuāls."))
    return redirect("assets:list")


@login_required
@require_POST
def whole_infrastructure(request: HttpRequest) -> HttpResponse:
    organisation = _own_organisation(request)
    _require_edit(request, organisation.pk)
    form = WholeInfrastructureForm(request.POST)
    form.is_valid()
    try:
        services.set_whole_infrastructure_ci(
            request.user, organisation, form.cleaned_data["whole_infrastructure_ci"], form.cleaned_data.get("version")
        )
    except versioning.StaleVersion:
        versioning.message_conflict(request)
    else:
        messages.success(request, _("Drošības klases pārrēķinātas."))
    return redirect("assets:list")


# --- systems ---------------------------------------------------------------------------------------


@login_required
def system_new(request: HttpRequest) -> HttpResponse:
    """A system with its first information-resource category: the class is shown right after saving."""
    organisation = _own_organisation(request)
    _require_edit(request, organisation.pk)
    system_form = SystemForm(request.POST or None, organisation=organisation, prefix="system")
    resource_form = ResourceForm(request.POST or None, prefix="resource")
    if request.method == "POST" and system_form.is_valid() and resource_form.is_valid():
        try:
            system = services.create_system(
                request.user, organisation, system_form.cleaned_data, [resource_form.cleaned_data]
            )
        except ValidationError as exc:
            _apply_errors(system_form, exc)
        else:
            messages.success(request, _("Sistēma pievienota; drošības klase noteikta."))
            return redirect("assets:system", pk=system.pk)
    return render(
        request,
        "assets/system_new.html",
        {"organisation": organisation, "system_form": system_form, "resource_form": resource_form},
    )


@login_required
def system_detail(request: HttpRequest, pk: int) -> HttpResponse:
    system = selectors.system(request.user, pk)
    resources = list(system.resources.all())
    dependencies = list(system.dependencies.select_related("provider"))
    dependents = list(system.dependents.select_related("dependent"))
    context = {
        "system": system,
        "organisation": system.organisation,
        "resources": resources,
        "dimensions": [(key, label, getattr(system, key)) for key, label in DIMENSION_LABELS.items()],
        "reasons": reasons_for(system),
        "warnings": warning_texts(system.class_warnings),
        "obligations": obligation_rows(system.obligations),
        "dependencies": dependencies,
        "dependents": dependents,
        "persons": list(system.responsible_persons.all()),
        "can_edit": selectors.can_edit(request.user, system.organisation_id),
        "history": list(history(system)) if not request.user.is_subject else [],
        "catalogue": getattr(system.organisation, "ict_catalogue", None),
    }
    return render(request, "assets/system_detail.html", context)


@login_required
def system_edit(request: HttpRequest, pk: int) -> HttpResponse:
    system = selectors.system(request.user, pk)
    _require_edit(request, system.organisation_id)
    form = SystemForm(request.POST or None, instance=system, organisation=system.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_system(request.user, InformationSystem.objects.get(pk=system.pk), form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        except versioning.StaleVersion:
            versioning.form_conflict(form, request)
        else:
            messages.success(request, _("Sistēma saglabāta."))
            return redirect("assets:system", pk=system.pk)
    return render(
        request,
        "assets/form.html",
        {
            "form": form,
            "system": system,
            "title": _("Labot sistēmu"),
            "back": system,
        },
    )


@login_required
def system_delete(request: HttpRequest, pk: int) -> HttpResponse:
    system = selectors.system(request.user, pk)
    _require_edit(request, system.organisation_id)
    if request.method == "POST":
        services.delete_system(request.user, system)
        messages.success(request, _("Sistēma dzēsta."))
        return redirect("assets:list")
    return render(request, "assets/confirm_delete.html", {"object": system, "back": system, "system": system})


# --- resources -------------------------------------------------------------------------------------


@login_required
def resource_new(request: HttpRequest, system_pk: int) -> HttpResponse:
    system = selectors.system(request.user, system_pk)
    _require_edit(request, system.organisation_id)
    form = ResourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_resource(request.user, system, form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Resursu kategorija pievienota; klases pārrēķinātas."))
            return redirect("assets:system", pk=system.pk)
    return render(
        request,
        "assets/resource_form.html",
        {
            "form": form,
            "system": system,
            "title": _("Jauna informācijas resursu kategorija"),
        },
    )


@login_required
def resource_edit(request: HttpRequest, pk: int) -> HttpResponse:
    resource = selectors.resource(request.user, pk)
    system = resource.system
    _require_edit(request, system.organisation_id)
    form = ResourceForm(request.POST or None, instance=resource)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_resource(request.user, resource, form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        except versioning.StaleVersion:
            versioning.form_conflict(form, request)
        else:
            messages.success(request, _("Resursu kategorija saglabāta; klases pārrēķinātas."))
            return redirect("assets:system", pk=system.pk)
    return render(
        request,
        "assets/resource_form.html",
        {
            "form": form,
            "system": system,
            "title": _("Labot informācijas resursu kategoriju"),
            "resource": resource,
        },
    )


@login_required
def resource_delete(request: HttpRequest, pk: int) -> HttpResponse:
    resource = selectors.resource(request.user, pk)
    system = resource.system
    _require_edit(request, system.organisation_id)
    if request.method == "POST":
        services.delete_resource(request.user, resource)
        messages.success(request, _("Resursu kategorija dzēsta; klases pārrēķinātas."))
        return redirect("assets:system", pk=system.pk)
    return render(request, "assets/confirm_delete.html", {"object": resource, "back": system, "system": system})


# --- dependencies ----------------------------------------------------------------------------------


@login_required
def dependency_new(request: HttpRequest, system_pk: int) -> HttpResponse:
    system = selectors.system(request.user, system_pk)
    _require_edit(request, system.organisation_id)
    form = DependencyForm(request.POST or None, system=system)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_dependency(
                request.user, system, form.cleaned_data["provider"], form.cleaned_data["description"]
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Atkarība pievienota; klases pārrēķinātas."))
            return redirect("assets:system", pk=system.pk)
    return render(
        request,
        "assets/form.html",
        {
            "form": form,
            "system": system,
            "title": _("Jauna atkarība"),
            "back": system,
            "intro": _(
                "Sistēma, no kuras pieejamības ir atkarīga A vai B pieejamības klases sistēma, "
                "saņem vismaz tādu pašu pieejamības klasi (4. pielikums)."
            ),
        },
    )


@login_required
def dependency_delete(request: HttpRequest, pk: int) -> HttpResponse:
    dependency = selectors.dependency(request.user, pk)
    system = dependency.dependent
    _require_edit(request, system.organisation_id)
    if request.method == "POST":
        services.remove_dependency(request.user, dependency)
        messages.success(request, _("Atkarība dzēsta; klases pārrēķinātas."))
        return redirect("assets:system", pk=system.pk)
    return render(request, "assets/confirm_delete.html", {"object": dependency, "back": system, "system": system})


# --- responsible persons ---------------------------------------------------------------------------


@login_required
def person_new(request: HttpRequest, system_pk: int) -> HttpResponse:
    system = selectors.system(request.user, system_pk)
    _require_edit(request, system.organisation_id)
    form = PersonForm(request.POST or None, initial={"role": PersonRole.OWNER})
    if request.method == "POST" and form.is_valid():
        services.add_person(request.user, system, form.cleaned_data)
        messages.success(request, _("Atbildīgā persona pievienota."))
        return redirect("assets:system", pk=system.pk)
    return render(
        request,
        "assets/form.html",
        {
            "form": form,
            "system": system,
            "title": _("Jauna atbildīgā persona"),
            "back": system,
        },
    )


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person(request.user, pk)
    system = person.system
    _require_edit(request, system.organisation_id)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_person(request.user, person, form.cleaned_data)
        except versioning.StaleVersion:
            versioning.form_conflict(form, request)
        else:
            messages.success(request, _("Atbildīgā persona saglabāta."))
            return redirect("assets:system", pk=system.pk)
    return render(
        request,
        "assets/form.html",
        {
            "form": form,
            "system": system,
            "title": _("Labot atbildīgo personu"),
            "back": system,
        },
    )


@login_required
def person_delete(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person(request.user, pk)
    system = person.system
    _require_edit(request, system.organisation_id)
    if request.method == "POST":
        services.delete_person(request.user, person)
        messages.success(request, _("Atbildīgā persona dzēsta."))
        return redirect("assets:system", pk=system.pk)
    return render(request, "assets/confirm_delete.html", {"object": person, "back": system, "system": system})


# --- import and export -----------------------------------------------------------------------------


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    """Step 1: upload and check; every bad row is listed; nothing is saved."""
    organisation = _own_organisation(request)
    _require_edit(request, organisation.pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    plan = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            rows = importers.read_rows(upload.name, content)
        except importers.ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            plan = importers.validate(organisation, rows)
            if plan.ok:
                request.session[IMPORT_SESSION_KEY] = {
                    "organisation": organisation.pk,
                    "name": upload.name,
                    "content": base64.b64encode(content).decode(),
                }
            else:
                request.session.pop(IMPORT_SESSION_KEY, None)
    return render(
        request,
        "assets/import.html",
        {
            "form": form,
            "plan": plan,
            "organisation": organisation,
            "columns": importers.COLUMNS,
        },
    )


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Step 2: re-check the previewed file and save it atomically."""
    organisation = _own_organisation(request)
    _require_edit(request, organisation.pk)
    pending = request.session.get(IMPORT_SESSION_KEY)
    if not pending or pending.get("organisation") != organisation.pk:
        messages.error(request, _("Nav pārbaudīta faila importam. Augšupielādējiet to vēlreiz."))
        return redirect("assets:import")
    rows = importers.read_rows(pending["name"], base64.b64decode(pending["content"]))
    plan = importers.validate(organisation, rows)
    if not plan.ok:
        messages.error(request, _("Katalogs kopš pārbaudes ir mainījies; pārbaudiet failu vēlreiz."))
        return redirect("assets:import")
    counts = services.import_catalogue(request.user, organisation, plan)
    request.session.pop(IMPORT_SESSION_KEY, None)
    messages.success(
        request,
        _(
            "Imports pabeigts: %(sc)s jaunas sistēmas, %(su)s atjaunotas, %(rc)s jaunas un %(ru)s atjaunotas "
            "resursu kategorijas, %(dc)s atkarības, %(pc)s jaunas un %(pu)s atjaunotas atbildīgās personas."
        )
        % {
            "sc": counts["systems_created"],
            "su": counts["systems_updated"],
            "rc": counts["resources_created"],
            "ru": counts["resources_updated"],
            "dc": counts["dependencies_created"],
            "pc": counts["persons_created"],
            "pu": counts["persons_updated"],
        },
    )
    return redirect("assets:list")


def _check_format(fmt: str) -> None:
    if fmt not in ("csv", "xlsx"):
        raise Http404


def _file_response(content: bytes, filename: str, fmt: str) -> HttpResponse:
    return files.download(content, f"{filename}.{fmt}")


@login_required
def import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    _check_format(fmt)
    rows = importers.template_rows()
    content = importers.to_csv(rows) if fmt == "csv" else importers.to_xlsx(rows, "katalogs")
    return _file_response(content, "ikt-katalogs-veidne", fmt)


@login_required
def export(request: HttpRequest, organisation_pk: int, fmt: str) -> HttpResponse:
    _check_format(fmt)
    organisation = selectors.organisation(request.user, organisation_pk)
    rows = importers.export_rows(organisation)
    content = importers.to_csv(rows) if fmt == "csv" else importers.to_xlsx(rows, "katalogs")
    filename = f"ikt-katalogs-{slugify(organisation.registration_number)}-{timezone.localdate():%Y%m%d}"
    return _file_response(content, filename, fmt)
