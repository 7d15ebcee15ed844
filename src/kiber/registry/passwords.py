"""Password rules beyond Django's validators: no reuse of the last five, and the forced change of NKC's
one-time password (issue 10, finding 10)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from kiber.audit.services import record
from kiber.registry.models import PasswordHistory, User

HISTORY = 5


class PasswordHistoryValidator:
    """Refuses any of the user's last ``HISTORY`` passwords (the present one included); records each new one.

    Django calls ``password_changed`` after every save of a password set with ``set_password`` (the change and
    reset forms, the admin site); ``remember_first_password`` records the one a user is created with.
    """

    def __init__(self, history: int = HISTORY) -> None:
        self.history = history

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        history = PasswordHistory.objects.filter(user_id=user.pk).values_list("password", flat=True)
        recent = list(history[: self.history])
        if user.password and user.password not in recent:  # set where no history was kept (a fixture, a bulk load)
            recent = [user.password, *recent][: self.history]
        if any(check_password(password, encoded) for encoded in recent):
            raise ValidationError(
                _("Šo paroli jau esat lietojis. Izvēlieties tādu, kas nav starp jūsu pēdējām %(count)d parolēm."),
                code="password_reused",
                params={"count": self.history},
            )

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is not None and user.pk is not None:
            remember(user, self.history)

    def get_help_text(self) -> str:
        return _("Parole nedrīkst būt neviena no jūsu pēdējām %(count)d parolēm.") % {"count": self.history}


def remember(user: User, history: int = HISTORY) -> None:
    """Add the user's present password hash to the history and forget all but the last ``history``."""
    PasswordHistory.objects.create(user_id=user.pk, password=user.password)
    keep = PasswordHistory.objects.filter(user_id=user.pk).values_list("pk", flat=True)[:history]
    PasswordHistory.objects.filter(user_id=user.pk).exclude(pk__in=list(keep)).delete()


@receiver(post_save, sender=User, dispatch_uid="kiber.registry.passwords.remember_first_password")
def remember_first_password(sender: type[User], instance: User, created: bool, **kwargs: Any) -> None:
    """``create_user`` stores an already hashed password, so Django's ``password_changed`` does not run: the
    first password enters the history here (one set with ``set_password`` is left to that hook)."""
    if created and instance._password is None and instance.has_usable_password():  # type: ignore[attr-defined]
        remember(instance)


@transaction.atomic
def chosen_by_user(user: User, how: str) -> None:
    """The user set their own password (``change`` or ``reset``): the forced change is done; audited."""
    if user.must_change_password:
        user.must_change_password = False
        User.objects.filter(pk=user.pk).update(must_change_password=False)
    record(user, f"password_{how}", user, organisation_id=user.organisation_id)

