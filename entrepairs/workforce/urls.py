from django.urls import path

from .views import (
    charters,
    competencies,
    conduct,
    contracts,
    peer_edit,
    peers,
    practice,
    trainings,
)

app_name = "workforce"

urlpatterns = [
    path("", peers.dashboard, name="dashboard"),
    path("pairs/", peers.peer_list, name="peer_list"),
    path("pairs/export/", peers.peer_list_export, name="peer_list_export"),
    path("pairs/nouveau/", peer_edit.peer_create, name="peer_create"),
    path("pairs/<int:pk>/", peers.peer_detail, name="peer_detail"),
    path("pairs/<int:pk>/modifier/", peer_edit.peer_update, name="peer_update"),
    path("mon-dossier/", peers.my_dossier, name="my_dossier"),
    # Contracts
    path("contrats/", contracts.contract_list, name="contract_list"),
    path("contrats/export/", contracts.contract_list_export, name="contract_list_export"),
    path("contrats/fin-proche/", contracts.contracts_ending, name="contracts_ending"),
    path("contrats/<int:pk>/", contracts.contract_detail, name="contract_detail"),
    path("contrats/<int:pk>/modifier/", contracts.contract_update, name="contract_update"),
    path(
        "pairs/<int:peer_pk>/contrats/nouveau/",
        contracts.contract_create,
        name="contract_create",
    ),
    path("grilles-salariales/", contracts.salary_grids, name="salary_grids"),
    # Mission charters
    path("fiches-de-mission/", charters.charter_list, name="charter_list"),
    path("fiches-de-mission/export/", charters.charter_list_export, name="charter_list_export"),
    path(
        "pairs/<int:peer_pk>/fiches-de-mission/nouvelle/",
        charters.charter_create,
        name="charter_create",
    ),
    path("fiches-de-mission/<int:pk>/", charters.charter_detail, name="charter_detail"),
    path("fiches-de-mission/<int:pk>/modifier/", charters.charter_update, name="charter_update"),
    path("fiches-de-mission/<int:pk>/signer/", charters.charter_sign, name="charter_sign"),
    path(
        "fiches-de-mission/<int:pk>/nouvelle-version/",
        charters.charter_new_version,
        name="charter_new_version",
    ),
    path("fiches-de-mission/<int:pk>/imprimer/", charters.charter_print, name="charter_print"),
    path("fiches-de-mission/<int:pk>/pdf/", charters.charter_pdf_view, name="charter_pdf"),
    # Trainings
    path("formations/", trainings.training_list, name="training_list"),
    path("formations/export/", trainings.training_list_export, name="training_list_export"),
    path(
        "pairs/<int:peer_pk>/formations/nouvelle/",
        trainings.training_create,
        name="training_create",
    ),
    path("formations/<int:pk>/modifier/", trainings.training_update, name="training_update"),
    path("formations/<int:pk>/attestation/", trainings.certificate, name="certificate"),
    # Competencies
    path("referentiels/", competencies.framework_list, name="framework_list"),
    path("referentiels/<int:pk>/", competencies.framework_detail, name="framework_detail"),
    path("pairs/<int:peer_pk>/portfolio/", competencies.portfolio, name="portfolio"),
    path(
        "pairs/<int:peer_pk>/portfolio/evaluer/",
        competencies.assessment_create,
        name="assessment_create",
    ),
    # Code of conduct
    path("deontologie/", conduct.conduct_current, name="conduct_current"),
    path(
        "deontologie/prendre-connaissance/", conduct.conduct_acknowledge, name="conduct_acknowledge"
    ),
    path("deontologie/nouvelle-version/", conduct.conduct_new_version, name="conduct_new_version"),
    path(
        "deontologie/prises-de-connaissance/",
        conduct.conduct_acknowledgements,
        name="conduct_acknowledgements",
    ),
    # Ethics journal
    path("journal/", practice.journal_list, name="journal_list"),
    path("journal/nouvelle/", practice.journal_create, name="journal_create"),
    path("journal/<int:pk>/", practice.journal_detail, name="journal_detail"),
    path("journal/<int:pk>/modifier/", practice.journal_update, name="journal_update"),
    # Supervision
    path("supervision/", practice.supervision_list, name="supervision_list"),
    path("supervision/export/", practice.supervision_list_export, name="supervision_list_export"),
    path("supervision/nouvelle/", practice.supervision_create, name="supervision_create"),
    path("supervision/<int:pk>/", practice.supervision_detail, name="supervision_detail"),
    # Mentoring
    path("mentorats/", practice.mentoring_list, name="mentoring_list"),
    path("mentorats/export/", practice.mentoring_list_export, name="mentoring_list_export"),
    path("mentorats/nouveau/", practice.mentoring_create, name="mentoring_create"),
    path("mentorats/<int:pk>/", practice.mentoring_detail, name="mentoring_detail"),
    path(
        "mentorats/<int:pk>/rencontres/",
        practice.mentoring_meeting_create,
        name="mentoring_meeting_create",
    ),
]
