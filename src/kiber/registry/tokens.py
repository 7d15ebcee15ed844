"""Issuing and revoking API tokens (the only writer of ApiToken)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from kiber.audit.services import record, record_many
from kiber.registry.models import ApiToken, User


class SecondFactorMissing(PermissionError):
    """A role with a mandatory second factor gets a token only once it has confirmed a TOTP device."""


@transaction.atomic
def issue_token(user: User, name: str) -> tuple[ApiToken, str]:
    if user.needs_second_factor and not user.has_second_factor:
        raise SecondFactorMissing(user.username)
    token, key = ApiToken.issue(user, name)
    record(user, "create", token, organisation_id=user.organisation_id, changes={"name": name})
    return token, key


@transaction.atomic
def revoke_token(user: User, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    record(user, "revoke", token, organisation_id=user.organisation_id)


@transaction.atomic
def revoke_all_tokens(user: User, *, reason: str) -> None:
    """Revoke every live token of ``user`` (its role changed); each revocation is audited."""
    live = list(ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True))
    if not live:
        return
    ApiToken.objects.filter(pk__in=[t.pk for t in live]).update(revoked_at=timezone.now())
    record_many(None, [("revoke", t, {"reason": reason}) for t in live], organisation_id=user.organisation_id)


@receiver(post_save, sender=User, dispatch_uid="kiber.registry.tokens.revoke_on_role_change")
def revoke_on_role_change(sender: type[User], instance: User, created: bool, **kwargs: Any) -> None:
    """Whatever changes the role (a service, the admin site, a script), the tokens issued under the old one
    stop working: they were granted for what that role could do (issue 10, finding 11)."""
    loaded = getattr(instance, "_loaded_role", None)
    if loaded is not None and loaded != instance.role:
        revoke_all_tokens(instance, reason=f"role {loaded} -> {instance.role}")
