from django.urls import path

from kiber.supervision import audit_views, field_views, obligation_views, register_views

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
urlpatterns += [
    path("", obligation_views.supervision_home, name="home"),
    path("transitions/", obligation_views.transition_list, name="transitions"),
    # Penetration tests (p. 132–135).
    path("pentests/", obligation_views.pentest_list, name="pentests"),
    path("pentests/order/", obligation_views.pentest_order, name="pentest_order"),
    path("pentests/new/", obligation_views.pentest_create, name="pentest_create"),
    path("pentests/<int:pk>/", obligation_views.pentest_detail, name="pentest"),
    # Non-compliance and escalation (p. 155–157).
    path("non-compliance/", obligation_views.non_compliance_list, name="non_compliances"),
    path("non-compliance/new/", obligation_views.non_compliance_create, name="non_compliance_create"),
    path("non-compliance/<int:pk>/", obligation_views.non_compliance_detail, name="non_compliance"),
    path("non-compliance/<int:pk>/escalate/", obligation_views.non_compliance_escalate, name="non_compliance_escalate"),
    path("non-compliance/<int:pk>/remedy/", obligation_views.non_compliance_remedy, name="non_compliance_remedy"),
    path("non-compliance/<int:pk>/progress/", obligation_views.non_compliance_progress, name="non_compliance_progress"),
    path("non-compliance/<int:pk>/letter.pdf", obligation_views.non_compliance_letter, name="non_compliance_letter"),
]
urlpatterns += [
    # Security scans (p. 136–141), restricted.
    path("scans/", field_views.scan_list, name="scans"),
    path("scans/new/", field_views.scan_create, name="scan_create"),
    path("scans/<int:pk>/", field_views.scan_detail, name="scan"),
    # Early-warning sensors (p. 142–150).
    path("sensors/", field_views.sensor_list, name="sensors"),
    path("sensors/new/", field_views.sensor_create, name="sensor_create"),
    path("sensors/<int:pk>/", field_views.sensor_detail, name="sensor"),
    path("sensors/events/<int:pk>/inform/", field_views.sensor_inform, name="sensor_inform"),
    path("sensors/siting/<int:pk>/", field_views.sensor_siting, name="sensor_siting"),
]
