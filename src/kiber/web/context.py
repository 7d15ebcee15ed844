"""Navigation by role, for the base layout."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from kiber.registry.choices import SUBJECT_ROLES, Role

ALL_SUPERVISORS = {Role.NKC_SUPERVISOR, Role.SAB_OFFICER, Role.CSIRT_ANALYST, Role.PLATFORM_ADMIN}

# (url name, label, roles that see it). Entries whose URL does not exist yet are skipped.
NAVIGATION: list[tuple[str, Any, set[str]]] = [
    ("web:home", _("Sākums"), set(Role.values)),
    ("registry:own", _("Mans subjekts"), set(SUBJECT_ROLES)),
    ("registry:list", _("Subjektu reģistrs"), {Role.NKC_SUPERVISOR, Role.SAB_OFFICER, Role.PLATFORM_ADMIN}),
    ("assets:list", _("IKT resursi"), set(SUBJECT_ROLES)),
    ("compliance:home", _("Pašnovērtējums"), set(SUBJECT_ROLES) | {Role.NKC_SUPERVISOR, Role.SAB_OFFICER}),
    ("incidents:list", _("Incidenti"), set(SUBJECT_ROLES)),
    ("incidents:inbox", _("Ziņojumi"), {Role.CSIRT_ANALYST, Role.SAB_OFFICER, Role.NKC_SUPERVISOR}),
    ("plans:list", _("Rīcības plāni"), ALL_SUPERVISORS | set(SUBJECT_ROLES)),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for url_name, label, roles in NAVIGATION:
        if user.role not in roles:  # type: ignore[union-attr]
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "active": request.path == url or (
            url != "/" and request.path.startswith(url))})
    return {"nav_items": items}
