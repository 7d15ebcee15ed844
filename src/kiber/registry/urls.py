from django.urls import path

from kiber.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.subject_list, name="list"),
    path("subjects.xlsx", views.subject_list_xlsx, name="list_xlsx"),
    path("new/", views.register, name="register"),
    path("inbox/", views.inbox, name="inbox"),
    path("ci/", views.ci_designations, name="ci_designations"),
    path("own/", views.own, name="own"),
    path("own/edit/", views.edit, name="edit"),
    path("own/notify/", views.notify, name="notify"),
    path("own/manager/", views.appoint, name="appoint"),
    path("own/manager/notify/", views.notify_manager, name="notify_manager"),
    path("own/manager/candidate/", views.notify_candidate, name="notify_candidate"),
    path("own/responsible/", views.responsible, name="responsible"),
    path("subjects/<int:pk>/", views.detail, name="detail"),
    path("subjects/<int:pk>/category/", views.override, name="override"),
    path("appointments/<int:pk>/sab-check/", views.sab_check, name="sab_check"),
    path("submissions/<int:pk>/", views.submission, name="submission"),
    path("submissions/<int:pk>/pdf/", views.submission_pdf, name="submission_pdf"),
]
