from django.contrib import admin
from django.urls import include, path

from kiber.api.urls import api

urlpatterns = [
    path("", include("kiber.web.urls")),
    path("registry/", include("kiber.registry.urls")),
    path("assets/", include("kiber.assets.urls")),
    path("compliance/", include("kiber.compliance.urls")),
    path("incidents/", include("kiber.incidents.urls")),
    path("plans/", include("kiber.plans.urls")),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
