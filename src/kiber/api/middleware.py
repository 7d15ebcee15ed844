"""API calls skip the browser-only middleware (issue 11).

Static files, the content security policy, common URL handling, CSRF (Ninja checks it itself when the
session authenticates), frame options, HTMX, axes and the second-factor redirect do nothing for a machine
client's JSON request, yet each costs CPU on every call. ``ApiRequestsMiddleware`` comes first in
``MIDDLEWARE`` (after the request id) and hands ``/api/v1/`` requests to a handler built from
``KIBER_API_MIDDLEWARE`` only; every other request goes on through the full stack. Being middleware (not
a second WSGI application), it applies under the test client too.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.core.handlers.exception import convert_exception_to_response
from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import import_string

API_PREFIX = "/api/v1/"


class ApiHandler(BaseHandler):
    """Django's request handling (URL resolution, view, exception responses) with the API's middleware."""

    def load_middleware(self, is_async: bool = False) -> None:
        self._view_middleware: list = []
        self._template_response_middleware: list = []
        self._exception_middleware: list = []
        handler = convert_exception_to_response(self._get_response)
        for path in reversed(settings.KIBER_API_MIDDLEWARE):
            instance = import_string(path)(handler)
            if hasattr(instance, "process_view"):
                self._view_middleware.insert(0, instance.process_view)
            if hasattr(instance, "process_template_response"):
                self._template_response_middleware.append(instance.process_template_response)
            if hasattr(instance, "process_exception"):
                self._exception_middleware.append(instance.process_exception)
            handler = convert_exception_to_response(instance)
        self._middleware_chain = handler


class ApiRequestsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.api = ApiHandler()
        self.api.load_middleware()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        response = self.api._middleware_chain(request)
        # What CommonMiddleware does for pages: without a length gunicorn sends the body chunked, or closes
        # a keep-alive connection that a client reading by Content-Length then cannot reuse.
        if not response.streaming and not response.has_header("Content-Length"):
            response.headers["Content-Length"] = str(len(response.content))
        return response
