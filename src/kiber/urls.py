from django.contrib import admin
from django.urls import include, path

from kiber.api.urls import api
from kiber.web import health, metrics

handler500 = "kiber.web.errors.server_error"

urlpatterns = [
    path("api/", api.urls),  # first: most requests are API calls, and the resolver tries patterns in order
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("", include("kiber.web.urls")),
    path("registry/", include("kiber.registry.urls")),
    path("assets/", include("kiber.assets.urls")),
    path("compliance/", include("kiber.compliance.urls")),
    path("incidents/", include("kiber.incidents.urls")),
    path("plans/", include("kiber.plans.urls")),
    path("supervision/", include("kiber.supervision.urls")),
    path("governance/", include("kiber.governance.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
