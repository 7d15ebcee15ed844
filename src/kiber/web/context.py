"""Navigation by role, for the base layout."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from kiber.plans.selectors import READER_ROLES, member_of
from kiber.registry.choices import SUBJECT_ROLES, Role

ALL_SUPERVISORS = {Role.NKC_SUPERVISOR, Role.SAB_OFFICER, Role.CSIRT_ANALYST, Role.PLATFORM_ADMIN}

# What an entry needs beyond the role: "subject" — the user belongs to an organisation (subject roles
# without one, e.g. ministry users of the action plans, have no subject pages); "plans" — the plans app
# lets the user read plans; "plan_member" — the user reports for an institution.
SUBJECT, PLANS, PLAN_MEMBER = "subject", "plans", "plan_member"

# (url name, label, roles that see it, requirement). Entries whose URL does not exist yet are skipped.
NAVIGATION: list[tuple[str, Any, set[str], str | None]] = [
    ("web:home", _("Sākums"), set(Role.values), None),
    ("registry:own", _("Mans subjekts"), set(SUBJECT_ROLES), SUBJECT),
    ("registry:list", _("Subjektu reģistrs"), {Role.NKC_SUPERVISOR, Role.SAB_OFFICER, Role.PLATFORM_ADMIN}, None),
    ("assets:list", _("IKT resursi"), set(SUBJECT_ROLES), SUBJECT),
    ("compliance:home", _("Pašnovērtējums"), set(SUBJECT_ROLES) | {Role.NKC_SUPERVISOR, Role.SAB_OFFICER}, SUBJECT),
    ("incidents:list", _("Incidenti"), set(SUBJECT_ROLES), SUBJECT),
    ("governance:home", _("Pārvaldība"), set(SUBJECT_ROLES) | {Role.NKC_SUPERVISOR, Role.SAB_OFFICER}, SUBJECT),
    ("incidents:inbox", _("Ziņojumi"), {Role.CSIRT_ANALYST, Role.SAB_OFFICER, Role.NKC_SUPERVISOR}, None),
    ("plans:mine", _("Mani uzdevumi"), set(SUBJECT_ROLES), PLAN_MEMBER),
    ("plans:list", _("Rīcības plāni"), ALL_SUPERVISORS | set(SUBJECT_ROLES), PLANS),
    ("supervision:auditors", _("Auditoru saraksts"), {Role.DDSC_MEMBER}, None),
    (
        "supervision:home",
        _("Uzraudzība"),
        set(SUBJECT_ROLES)
        | {Role.NKC_SUPERVISOR, Role.SAB_OFFICER, Role.CSIRT_ANALYST, Role.AUDITOR, Role.PLATFORM_ADMIN},
        SUBJECT,
    ),
]


def _met(requirement: str | None, user: Any, member: Any) -> bool:
    if requirement is None:
        return True
    if requirement == SUBJECT:
        return user.role not in SUBJECT_ROLES or user.organisation_id is not None
    if requirement == PLAN_MEMBER:
        return member is not None
    return user.role in READER_ROLES or member is not None  # PLANS: as plans.selectors.can_view_plans


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {"nav_items": []}
    # Only subject-role users report for an institution (supervisors read plans anyway): no query for others.
    member = member_of(user) if user.role in SUBJECT_ROLES else None  # type: ignore[union-attr, arg-type]
    items = []
    for url_name, label, roles, requirement in NAVIGATION:
        if user.role not in roles or not _met(requirement, user, member):  # type: ignore[union-attr]
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append(
            {"url": url, "label": label, "active": request.path == url or (url != "/" and request.path.startswith(url))}
        )
    # "Mani uzdevumi" lives under "Rīcības plāni": of nested matches only the longest is the current page.
    active = [item for item in items if item["active"]]
    for item in active:
        item["active"] = not any(len(o["url"]) > len(item["url"]) and o["url"].startswith(item["url"]) for o in active)
    # Under the user's name: the subject (the role is in the tooltip, so the top bar stays on one line),
    # the plans institution with the user's part in it, or the role.
    role = str(user.get_role_display())  # type: ignore[union-attr]
    if user.organisation_id:  # type: ignore[union-attr]
        line, title = user.organisation.name, f"{role} · {user.organisation.name}"  # type: ignore[union-attr]
    elif member is not None:
        part = _("Rīcības plānu koordinators") if member.is_coordinator else _("Rīcības plānu izpildītājs")
        line = title = f"{part} · {member.institution.abbreviation}"
    else:
        line = title = role
    return {"nav_items": items, "plan_member": member, "user_line": line, "user_title": title}
