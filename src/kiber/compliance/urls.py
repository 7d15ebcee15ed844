from django.urls import path

from kiber.compliance import views

app_name = "compliance"
urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.start, name="start"),
    path("heatmap/", views.heatmap, name="heatmap"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("subjects/<int:pk>/frequency/", views.frequency, name="frequency"),
    path("catalogue.xlsx", views.catalogue_export, name="catalogue_xlsx"),
    path("<int:pk>/", views.assessment, name="assessment"),
    path("<int:pk>/items/<int:requirement_id>/<int:system_id>/", views.answer, name="answer"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/answers.xlsx", views.answers_export, name="answers_xlsx"),
    path("<int:pk>/v/<int:number>/", views.version, name="version"),
    path("<int:pk>/v/<int:number>/pdf/", views.version_pdf, name="version_pdf"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
]
