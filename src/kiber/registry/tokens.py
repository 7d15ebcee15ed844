"""Issuing and revoking API tokens (the only writer of ApiToken)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from kiber.audit.services import record
from kiber.registry.models import ApiToken, User


@transaction.atomic
def issue_token(user: User, name: str) -> tuple[ApiToken, str]:
    token, key = ApiToken.issue(user, name)
    record(user, "create", token, organisation_id=user.organisation_id, changes={"name": name})
    return token, key


@transaction.atomic
def revoke_token(user: User, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    record(user, "revoke", token, organisation_id=user.organisation_id)
