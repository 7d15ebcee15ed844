"""Navigation and home page by what the user can do: subject pages only for users of a subject, the
plans tasks for ministry users of the action plans (subject_user without an organisation)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from kiber.plans import services as plans
from kiber.plans.importers import ROADMAP_CODE, import_all, institution
from kiber.plans.models import Plan
from kiber.registry.choices import Role
from tests.support import sign_in

SUBJECT_PAGES = ("registry:own", "assets:list", "compliance:home", "incidents:list")


def nav_urls(response) -> list[str]:
    return [item["url"] for item in response.context["nav_items"]]


@pytest.fixture
def ministry_user(db, make_user):
    import_all()
    coordinator = make_user(Role.SUBJECT_USER, None, username="varam-koord")
    plans.add_member(None, coordinator, institution("VARAM"), is_coordinator=True)
    plans.open_round(coordinator, Plan.objects.get(code=ROADMAP_CODE), "2026. gada 4. ceturksnis", date(2026, 12, 31))
    user = make_user(Role.SUBJECT_USER, None, username="sm", first_name="Linda", last_name="Krūmiņa")
    plans.add_member(None, user, institution("SM"))
    return user


def test_ministry_user_sees_plan_tasks_not_subject_pages(client, ministry_user):
    response = sign_in(client, ministry_user).get(reverse("web:home"))
    urls = nav_urls(response)
    assert not any(reverse(name) in urls for name in SUBJECT_PAGES)
    assert reverse("plans:mine") in urls and reverse("plans:list") in urls
    html = response.content.decode()
    assert "nav piesaistīts subjekts" not in html and "Konts vēl nav piesaistīts" not in html
    assert "Rīcības plānu uzdevumi" in html and "Rīcības plānu izpildītājs · SM" in html
    group = response.context["plan_groups"][0]
    assert group["plan"].code == ROADMAP_CODE and group["total"] > 0 and group["unsent"] == group["total"]


def test_mine_is_the_current_page_not_plans(client, ministry_user):
    response = sign_in(client, ministry_user).get(reverse("plans:mine"))
    current = [item["url"] for item in response.context["nav_items"] if item["active"]]
    assert current == [reverse("plans:mine")]


def test_user_with_neither_subject_nor_institution_is_told_what_to_do(client, make_user):
    response = sign_in(client, make_user(Role.SUBJECT_USER, None)).get(reverse("web:home"))
    assert nav_urls(response) == [reverse("web:home")]
    assert "Konts vēl nav piesaistīts" in response.content.decode()


def test_subject_user_sees_subject_pages_and_no_plans(subject_client):
    response = subject_client.get(reverse("web:home"))
    urls = nav_urls(response)
    assert all(reverse(name) in urls for name in SUBJECT_PAGES)
    assert reverse("plans:list") not in urls  # plans are for supervisors and plan institutions (404 otherwise)
    assert "AS Demo Banka" in response.content.decode()


def test_every_nav_entry_opens(client, ministry_user, subject_admin):
    for user in (ministry_user, subject_admin):
        c = sign_in(client, user)
        for url in nav_urls(c.get(reverse("web:home"))):
            assert c.get(url).status_code == 200, (user.username, url)
