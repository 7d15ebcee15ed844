from __future__ import annotations

from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "kiber.registry"
    label = "registry"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kiber.registry import tokens  # noqa: F401 - connects the receiver that revokes tokens on a role change
