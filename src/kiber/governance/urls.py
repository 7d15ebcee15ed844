from django.urls import path

from kiber.governance.views import documents, outsourcing, overview, risks, state_threat

app_name = "governance"
urlpatterns = [
    path("", overview.home, name="home"),
    path("subjects/<int:organisation_pk>/", overview.overview, name="overview"),
    # management documentation set (p. 23–30)
    path("documents/", documents.document_list, name="documents"),
    path("documents/new/", documents.document_new, name="document_new"),
    path("documents/<int:pk>/", documents.document_detail, name="document"),
    path("documents/<int:pk>/edit/", documents.document_edit, name="document_edit"),
    path("documents/<int:pk>/new-version/", documents.document_version, name="document_version"),
    path("documents/<int:pk>/file/", documents.document_file, name="document_file"),
    path("documents/<int:pk>/deliver/", documents.document_deliver, name="document_deliver"),
    # outsourcing register (p. 85–105)
    path("providers/", outsourcing.provider_list, name="providers"),
    path("providers/new/", outsourcing.provider_new, name="provider_new"),
    path("providers/<int:pk>/", outsourcing.provider_detail, name="provider"),
    path("providers/<int:pk>/edit/", outsourcing.provider_edit, name="provider_edit"),
    path("contracts/", outsourcing.contract_list, name="contracts"),
    path("contracts/new/", outsourcing.contract_new, name="contract_new"),
    path("contracts/<int:pk>/", outsourcing.contract_detail, name="contract"),
    path("contracts/<int:pk>/edit/", outsourcing.contract_edit, name="contract_edit"),
    path("contracts/<int:pk>/conclude/", outsourcing.contract_conclude, name="contract_conclude"),
    path("change-reports/<int:pk>/reported/", outsourcing.change_reported, name="change_reported"),
    path("contracts/<int:contract_pk>/opinion/", outsourcing.opinion_new, name="opinion_new"),
    path("opinions/", outsourcing.opinion_list, name="opinions"),
    path("opinions/<int:pk>/", outsourcing.opinion_detail, name="opinion"),
    path("opinions/<int:pk>/file/", outsourcing.opinion_file, name="opinion_file"),
    path("consents/<int:pk>/file/", outsourcing.consent_file, name="consent_file"),
    # risks, treatment plan, continuity (p. 40–46)
    path("risks/", risks.risk_list, name="risks"),
    path("risks/export.xlsx", risks.risks_export, name="risks_export"),
    path("risks/methodology/", risks.methodology_edit, name="methodology"),
    path("risks/new/", risks.risk_new, name="risk_new"),
    path("risks/<int:pk>/", risks.risk_detail, name="risk"),
    path("risks/<int:pk>/edit/", risks.risk_edit, name="risk_edit"),
    path("risks/<int:pk>/delete/", risks.risk_delete, name="risk_delete"),
    path("risks/<int:risk_pk>/measures/new/", risks.measure_new, name="measure_new"),
    path("measures/<int:pk>/edit/", risks.measure_edit, name="measure_edit"),
    path("continuity/", risks.continuity_list, name="continuity"),
    path("continuity/new/", risks.continuity_new, name="continuity_new"),
    path("continuity/responsible/", risks.plan_responsible_notice, name="plan_responsible_notice"),
    path("continuity/<int:pk>/edit/", risks.continuity_edit, name="continuity_edit"),
    # CI owners: continuity plan for a state threat (p. 112–117, Annex 8)
    path("state-threat-plan/", state_threat.plan_detail, name="state_threat"),
    path("state-threat-plan/edit/", state_threat.plan_edit, name="state_threat_edit"),
]
