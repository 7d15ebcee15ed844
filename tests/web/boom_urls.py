"""The project's URLs plus views that fail, for the error-page tests (tests/web/test_errors.py)."""

from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.urls import path

from kiber.urls import handler500  # noqa: F401 - handler500 is looked up here
from kiber.urls import urlpatterns as project_urls


def boom(request):
    raise RuntimeError("a bug")


def denied(request):
    raise PermissionDenied


def database_gone(request):
    raise OperationalError("server closed the connection unexpectedly")


urlpatterns = [path("boom/", boom), path("denied/", denied), path("database-gone/", database_gone), *project_urls]
