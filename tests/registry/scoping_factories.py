"""Objects the registry app gives organisation A for the scoping walk (tests/test_scoping_walk.py)."""

from __future__ import annotations

from kiber.registry import services
from kiber.registry.choices import Duty
from tests.registry.conftest import manager_data, status_data


def populate(organisation, admin) -> None:
    services.set_responsible_person(admin, organisation, Duty.LOGS, "Slepenā Persona", "", "slepena@alfa-slepens.lv")
    appointment = services.appoint_manager(
        admin, organisation, manager_data(last_name="Slepenais", email="kdp@alfa-slepens.lv")
    )
    services.submit_manager_notification(admin, organisation, appointment)
    services.submit_status_notification(admin, organisation, status_data(contact_email="it@alfa-slepens.lv"))
