from django.urls import path

from kiber.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("mani-uzdevumi/", views.my_tasks, name="mine"),
    path("<slug:code>/", views.plan_detail, name="detail"),
    path("<slug:code>/statistika/", views.stats, name="stats"),
    path("<slug:code>/laika-grafiks/", views.timeline, name="timeline"),
    path("<slug:code>/kartas/jauna/", views.round_open, name="round_open"),
    path("<slug:code>/kartas/<int:round_id>/", views.round_detail, name="round"),
    path("<slug:code>/kartas/<int:round_id>/slegt/", views.round_close, name="round_close"),
    path("<slug:code>/kartas/<int:round_id>/zinojums/", views.report, name="report"),
    path("<slug:code>/kartas/<int:round_id>/zinojums.<str:fmt>", views.report, name="report_file"),
    path("<slug:code>/uzdevumi/<str:number>/", views.task_detail, name="task"),
    path("<slug:code>/uzdevumi/<str:number>/kartas/<int:round_id>/parskatit/", views.task_review, name="review"),
    path("<slug:code>/uzdevumi/<str:number>/kartas/<int:round_id>/statuss/", views.task_override, name="override"),
]
