from django.urls import path

from kiber.supervision import register_views

app_name = "supervision"
urlpatterns = [
    # The public auditor register (p. 129): no sign-in.
    path("auditors/public/", register_views.public_register, name="public_register"),
    path("auditors/public.json", register_views.public_register_json, name="public_register_json"),
    path("auditors/public.csv", register_views.public_register_csv, name="public_register_csv"),
    # The Committee's workspace (p. 125–129).
    path("auditors/", register_views.auditor_list, name="auditors"),
    path("auditors/new/", register_views.auditor_create, name="auditor_create"),
    path("auditors/review/", register_views.register_review, name="register_review"),
    path("auditors/<int:pk>/", register_views.auditor_detail, name="auditor"),
    path("auditors/<int:pk>/edit/", register_views.auditor_edit, name="auditor_edit"),
    path("auditors/<int:pk>/remove/", register_views.auditor_remove, name="auditor_remove"),
    path("auditors/<int:pk>/certificates/new/", register_views.certificate_add, name="certificate_add"),
    path("auditors/<int:pk>/changes/new/", register_views.change_report, name="change_report"),
    path("certificates/<int:pk>/", register_views.certificate_download, name="certificate"),
    path("changes/<int:pk>/handle/", register_views.change_handle, name="change_handle"),
]
