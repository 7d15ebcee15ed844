"""Security headers and the mandatory second factor for supervisor and admin roles."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
# The OpenAPI docs page loads its assets from a CDN; it is the only page allowed to.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https://django-ninja.dev"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = DOCS_CSP if request.path.startswith("/api/docs") else CSP
        response.headers.setdefault("Content-Security-Policy", policy)
        return response


# Paths a signed-in user without a verified second factor may still reach.
SECOND_FACTOR_EXEMPT = ("/login", "/logout", "/otp/", "/i18n/", "/static/", "/api/")


class SecondFactorRequiredMiddleware:
    """A supervisor or admin who has not passed TOTP this session is sent to the TOTP step."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and user.needs_second_factor  # type: ignore[union-attr]
            and not user.is_verified()  # type: ignore[union-attr]
            and not request.path.startswith(SECOND_FACTOR_EXEMPT)
        ):
            return redirect("web:otp")
        return self.get_response(request)


LAST_ACTIVITY_KEY = "kiber_last_activity"
# The last activity is rewritten at most this often: a session save on every request would add a write
# to every page and API call for a precision no timeout needs.
ACTIVITY_RESOLUTION_SECONDS = 60


def idle_timeout_seconds(user: object) -> int:
    minutes = (
        settings.SESSION_IDLE_MINUTES_SECOND_FACTOR
        if getattr(user, "needs_second_factor", False)
        else settings.SESSION_IDLE_MINUTES
    )
    return minutes * 60


class IdleSessionMiddleware:
    """Signs out a session left idle longer than its role allows (issue 10, finding 14).

    The request then goes on as anonymous: a page that needs sign-in sends it to the login page (with
    a message saying why), the API answers 401.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY_KEY)
            if last is not None and now - last > idle_timeout_seconds(user):
                logout(request)
                messages.info(request, _("Sesija beidzās, jo ilgi nebijāt aktīvs. Lūdzu, piesakieties vēlreiz."))
            elif last is None or now - last >= ACTIVITY_RESOLUTION_SECONDS:
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


# Paths a user who must replace NKC's one-time password may still reach (the API refuses such a session
# itself, with its own 401).
PASSWORD_CHANGE_EXEMPT = ("/password/", "/logout", "/otp/", "/i18n/", "/static/", "/api/")


class PasswordChangeRequiredMiddleware:
    """A user signed in with NKC's one-time password is sent to choose their own (issue 10, finding 10)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and user.must_change_password  # type: ignore[union-attr]
            and not request.path.startswith(PASSWORD_CHANGE_EXEMPT)
        ):
            return redirect("web:password_change")
        return self.get_response(request)


class LatvianFirstLocaleMiddleware:
    """Latvian unless the user chose another language with the switch (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language; Kiber is Latvian first, so
    an English browser still gets the Latvian UI until its user picks English.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response
