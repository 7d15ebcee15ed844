from __future__ import annotations

from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "kiber.registry"
    label = "registry"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Connect the receivers: tokens revoked on a role change, the first password into the history.
        from kiber.registry import passwords, tokens  # noqa: F401
