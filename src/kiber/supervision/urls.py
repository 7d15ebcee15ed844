from django.urls import path

from kiber.supervision import audit_views, register_views

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
urlpatterns += [
    # Compliance audits (p. 130–131).
    path("audits/", audit_views.audit_list, name="audits"),
    path("audits/new/", audit_views.audit_create, name="audit_create"),
    path("audits/<int:pk>/", audit_views.audit_detail, name="audit"),
    path("audits/<int:pk>/edit/", audit_views.audit_edit, name="audit_edit"),
    path("audits/<int:pk>/report/new/", audit_views.audit_report_upload, name="audit_report_upload"),
    path("audits/<int:pk>/report/", audit_views.audit_report, name="audit_report"),
    path("audits/<int:pk>/findings/new/", audit_views.finding_create, name="finding_create"),
    path("findings/<int:pk>/edit/", audit_views.finding_edit, name="finding_edit"),
]
