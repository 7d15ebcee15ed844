"""Password change (forced after NKC's one-time password) and reset by e-mail, on Django's auth views
(issue 10, finding 10)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from kiber.registry.passwords import chosen_by_user


class ChangePasswordForm(auth_forms.PasswordChangeForm):
    def save(self, commit: bool = True) -> Any:
        user = super().save(commit)
        chosen_by_user(user, "change")
        return user


class NewPasswordForm(auth_forms.SetPasswordForm):
    def save(self, commit: bool = True) -> Any:
        user = super().save(commit)
        chosen_by_user(user, "reset")
        return user


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = ChangePasswordForm
    template_name = "web/password_change.html"
    success_url = reverse_lazy("web:home")

    def form_valid(self, form: ChangePasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Parole nomainīta."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "web/password_reset.html"
    subject_template_name = "web/password_reset_subject.txt"
    email_template_name = "web/password_reset_email.txt"
    success_url = reverse_lazy("web:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "web/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "web/password_reset_confirm.html"
    success_url = reverse_lazy("web:password_reset_complete")

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        # An unknown, used or expired link is a page that does not exist (404), shown with its explanation.
        if not self.validlink:
            kwargs["status"] = 404
        return super().render_to_response(context, **kwargs)


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "web/password_reset_complete.html"
