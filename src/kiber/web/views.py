"""Sign-in (password, then TOTP for supervisor and admin roles) and the home page."""

from __future__ import annotations

from base64 import b32encode
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from kiber.plans import selectors as plans
from kiber.plans.choices import ReportState
from kiber.registry.models import User
from kiber.supervision.dashboard import due_items
from kiber.web.forms import OtpForm


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


def _safe_next(request: HttpRequest) -> str:
    """Where to go after the second factor: ``next`` only if it stays on this site, as the login view checks."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url("web:home")


@login_required
def otp(request: HttpRequest) -> HttpResponse:
    """Verify a TOTP code; enrol a new authenticator first when the user has none."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
            user=user, name="Kiber", confirmed=False
        )
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error("token", _("Kods nav derīgs vai ir novecojis."))
    context = {"form": form, "enrolling": enrolling}
    if enrolling:
        context["secret"] = b32encode(device.bin_key).decode()
        context["qr_svg"] = _qr_svg(device.config_url)
    return render(request, "web/otp.html", context)


def _plan_tasks(user: User) -> list[dict[str, object]]:
    """Per open reporting round, the tasks the user's institution reports on and how many are still unsent."""
    groups = []
    for plan in plans.visible_plans(user):
        for round in plan.rounds.filter(closed_at__isnull=True).order_by("-as_of"):
            rows = plans.my_rows(user, plan, round)
            if rows:
                unsent = sum(
                    1
                    for row in rows
                    if row.report is None or row.report.state in (ReportState.NOT_REPORTED, ReportState.DRAFT)
                )
                groups.append({"plan": plan, "round": round, "total": len(rows), "unsent": unsent})
    return groups


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context: dict[str, object] = {"organisation": user.organisation}
    if user.is_subject:
        member = plans.member_of(user)
        context["plan_groups"] = _plan_tasks(user) if member is not None else []
        # A subject-role account with neither a subject nor a plans institution can do nothing yet.
        context["unassigned"] = user.organisation_id is None and member is None
    context["due_items"] = due_items(user, timezone.localdate())
    context["show_due"] = bool(context["due_items"]) or not user.is_subject
    return render(request, "web/home.html", context)
