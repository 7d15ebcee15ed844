"""A realistic world for API fuzzing: two subjects with data, a supervisor, a plans institution user."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from kiber.assets import services as asset_services
from kiber.compliance import services as compliance_services
from kiber.compliance.loader import load_catalogue
from kiber.incidents import services as incident_services
from kiber.incidents.answers import prefill
from kiber.plans import services as plan_services
from kiber.plans.importers import ROADMAP_CODE, import_all, institution
from kiber.plans.models import Plan
from kiber.registry import services as registry_services
from kiber.registry.choices import Role
from kiber.registry.models import Organisation, User
from kiber.registry.tokens import issue_token
from tests.conftest import ORGANISATION_DEFAULTS
from tests.registry.conftest import manager_data, status_data


@dataclass
class World:
    tokens: dict[str, str] = field(default_factory=dict)
    # Real values of path parameters (own and another subject's objects), by parameter name.
    path_values: dict[str, list[Any]] = field(default_factory=dict)


def _organisation(number: str, name: str, **fields: Any) -> Organisation:
    return Organisation.objects.create(
        **{**ORGANISATION_DEFAULTS, "registration_number": number, "name": name, **fields}
    )


def _user(username: str, role: str, organisation: Organisation | None = None) -> User:
    user = User.objects.create_user(
        username=username,
        password="Demo-parole-2026!",
        role=role,
        organisation=organisation,
        email=f"{username}@example.lv",
    )
    if user.needs_second_factor:
        TOTPDevice.objects.create(user=user, name="fuzz", confirmed=True)
    return user


def _system(actor: User | None, org: Organisation, name: str, subjects: int, downtime: int) -> Any:
    return asset_services.create_system(
        actor,
        org,
        {"name": name, "description": "Fuzz"},
        [{"name": "Klientu dati", "personal_data_subjects": subjects, "tolerated_unplanned_downtime_pct": downtime}],
    )


def _incident(user: User, org: Organisation) -> Any:
    incident = incident_services.create_incident(
        user,
        org,
        {
            "title": "API nepieejamība",
            "detected_at": timezone.now() - timedelta(hours=1),
            "type_codes": ["06"],
            "description": "Pilnīga nepieejamība 45 minūtes.",
        },
    )
    return incident_services.assess_significance(user, incident, "cloud", {"complete_unavailability_minutes": 45})


EARLY_WARNING = {"suspected_malicious": "no", "cross_border_impact": "unknown"}


def build_world(app: str) -> World:
    """Users with tokens and the data ``app``'s operations work on (own and another subject's)."""
    world = World()
    bank = _organisation("40003900001", "AS Fuzz Banka")
    other = _organisation("40003900002", "SIA Cits Subjekts", sector="health")
    admin = _user("fuzz-admin", Role.SUBJECT_ADMIN, bank)
    other_admin = _user("fuzz-other", Role.SUBJECT_ADMIN, other)
    nkc = _user("fuzz-nkc", Role.NKC_SUPERVISOR)
    world.tokens = {"subject_admin": issue_token(admin, "fuzz")[1], "nkc": issue_token(nkc, "fuzz")[1]}
    values = world.path_values
    values["organisation_id"] = [bank.pk, other.pk]

    # Two systems, one depending on the other, and another subject's system.
    internet_bank = _system(admin, bank, "Internetbanka", 1_200_000, 1)
    intranet = _system(admin, bank, "Intranets", 50, 50)
    foreign = _system(other_admin, other, "Slimnīcas IS", 10_000, 5)
    values["system_id"] = [internet_bank.pk, intranet.pk, foreign.pk]

    if app == "registry":
        appointment = registry_services.appoint_manager(admin, bank, manager_data())
        status = registry_services.submit_status_notification(admin, bank, status_data())
        manager = registry_services.submit_manager_notification(admin, bank, appointment)
        values.update(appointment_id=[appointment.pk], submission_id=[status.pk, manager.pk])
    elif app == "assets":
        dependency = asset_services.add_dependency(admin, internet_bank, intranet, "SSO")
        values.update(
            resource_id=[internet_bank.resources.first().pk, foreign.resources.first().pk],
            dependency_id=[dependency.pk],
        )
    elif app == "compliance":
        # A submitted self-assessment campaign: the supervisor reviews it, the subject reads it.
        load_catalogue()
        assessment = compliance_services.start_assessment(admin, bank)
        for row in compliance_services.working_items(assessment):
            data = {"status": "implemented"}
            if row.item.circumstances:
                data = {"status": "not_applicable", "justification": "Nav ārpakalpojumu."}
            compliance_services.save_answer(admin, assessment, row.item.requirement, row.item.system, data)
        compliance_services.submit_assessment(admin, assessment)
        values.update(assessment_id=[assessment.pk], number=[1, 2])
    elif app == "incidents":
        incident = _incident(admin, bank)
        answers = {**prefill(incident, "early_warning", admin), **EARLY_WARNING}
        report = incident_services.submit_report(admin, incident, "early_warning", answers)
        foreign_incident = _incident(other_admin, other)
        values.update(incident_id=[str(incident.public_id), str(foreign_incident.public_id)], report_id=[report.pk])
    elif app == "plans":
        import_all()
        roadmap = Plan.objects.get(code=ROADMAP_CODE)
        coordinator = _user("fuzz-varam", Role.SUBJECT_USER)
        plan_services.add_member(None, coordinator, institution("VARAM"), is_coordinator=True)
        member = _user("fuzz-sm", Role.SUBJECT_USER)
        plan_services.add_member(None, member, institution("SM"))
        round_ = plan_services.open_round(coordinator, roadmap, "2026. gada 4. ceturksnis", date(2026, 12, 31))
        world.tokens["plans_member"] = issue_token(member, "fuzz")[1]
        values.update(code=[roadmap.code], round_id=[round_.pk], number=["1.3.2.", "1.1.1."])
    elif app == "rules":
        values["name"] = ["significance", "sectors", "self-assessment-due", "nav-tada"]
    return world
