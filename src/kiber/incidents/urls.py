from django.urls import path

from kiber.incidents import views

app_name = "incidents"
urlpatterns = [
    path("", views.incident_list, name="list"),
    path("new/", views.incident_create, name="create"),
    path("inbox/", views.inbox, name="inbox"),
    path("statistics/", views.stats, name="stats"),
    path("statistics.xlsx", views.stats_xlsx, name="stats_xlsx"),
    path("reports.xlsx", views.export_xlsx, name="export_xlsx"),
    path("notices/", views.notices, name="notices"),
    path("calendar/renew/", views.calendar_renew, name="calendar_renew"),
    path("calendar/<int:user_id>/<str:token>.ics", views.calendar, name="calendar"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("reports/<int:pk>/review/", views.review, name="review"),
    path("deliveries/<int:pk>/retry/", views.retry_delivery, name="retry_delivery"),
    path("<uuid:public_id>/", views.incident_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.incident_edit, name="edit"),
    path("<uuid:public_id>/significance/", views.assess, name="assess"),
    path("<uuid:public_id>/report/<str:stage>/", views.report_submit, name="submit"),
    path("<uuid:public_id>/export.<str:fmt>", views.export_incident, name="export"),
    path("<uuid:public_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<uuid:public_id>/intermediate/", views.request_intermediate, name="request_intermediate"),
    path("<uuid:public_id>/cross-border/", views.cross_border, name="cross_border"),
    path("<uuid:public_id>/link/", views.link, name="link"),
]
