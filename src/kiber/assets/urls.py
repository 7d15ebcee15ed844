from django.urls import path

from kiber.assets import views

app_name = "assets"
urlpatterns = [
    path("", views.catalogue_list, name="list"),
    path("subjects/<int:organisation_pk>/", views.organisation_catalogue, name="organisation"),
    path("subjects/<int:organisation_pk>/export.<str:fmt>", views.export, name="export"),
    path("change/", views.report_change, name="report_change"),
    path("confirm/", views.confirm_up_to_date, name="confirm"),
    path("whole-infrastructure/", views.whole_infrastructure, name="whole_infrastructure"),
    path("import/", views.import_upload, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    path("import/template.<str:fmt>", views.import_template, name="template"),
    path("systems/new/", views.system_new, name="system_new"),
    path("systems/<int:pk>/", views.system_detail, name="system"),
    path("systems/<int:pk>/edit/", views.system_edit, name="system_edit"),
    path("systems/<int:pk>/delete/", views.system_delete, name="system_delete"),
    path("systems/<int:system_pk>/resources/new/", views.resource_new, name="resource_new"),
    path("resources/<int:pk>/edit/", views.resource_edit, name="resource_edit"),
    path("resources/<int:pk>/delete/", views.resource_delete, name="resource_delete"),
    path("systems/<int:system_pk>/dependencies/new/", views.dependency_new, name="dependency_new"),
    path("dependencies/<int:pk>/delete/", views.dependency_delete, name="dependency_delete"),
    path("systems/<int:system_pk>/persons/new/", views.person_new, name="person_new"),
    path("persons/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("persons/<int:pk>/delete/", views.person_delete, name="person_delete"),
]
