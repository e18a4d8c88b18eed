from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("questionnaires/", views.instrument_list, name="instrument_list"),
    path("questionnaires/importer/", views.instrument_import, name="instrument_import"),
    path("questionnaires/<int:pk>/", views.instrument_detail, name="instrument_detail"),
    path("questionnaires/<int:pk>/fhir/", views.instrument_fhir, name="instrument_fhir"),
    path("campagnes/", views.campaign_list, name="campaign_list"),
    path("campagnes/nouvelle/", views.campaign_create, name="campaign_create"),
    path("campagnes/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campagnes/<int:pk>/clore/", views.campaign_close, name="campaign_close"),
    path(
        "campagnes/<int:pk>/invitations/", views.campaign_invitations, name="campaign_invitations"
    ),
    path(
        "campagnes/<int:pk>/feuilles/<uuid:batch>/",
        views.invitation_sheet,
        name="invitation_sheet",
    ),
    path(
        "campagnes/<int:pk>/feuilles/<uuid:batch>/retirer/",
        views.invitation_sheet_revoke,
        name="invitation_sheet_revoke",
    ),
    path(
        "campagnes/<int:pk>/reponses-fhir/",
        views.campaign_responses_fhir,
        name="campaign_responses_fhir",
    ),
    path("resultats/", views.outcomes, name="outcomes"),
    path("resultats/sejours/", views.stays_import, name="stays_import"),
    path("personnes/<int:pk>/lien-espace/", views.person_space_link, name="person_space_link"),
    path(
        "personnes/<int:pk>/lien-espace/retirer/",
        views.person_space_link_revoke,
        name="person_space_link_revoke",
    ),
    # Public pages for persons: a token in the URL, no account.
    path("r/merci/", views.answer_thanks, name="answer_thanks"),
    path("r/<str:token>/", views.answer, name="answer"),
    path("r/<str:token>/qr.svg", views.invitation_qr, name="invitation_qr"),
    path("mon-espace/<str:token>/", views.space, name="space"),
    path(
        "mon-espace/<str:token>/retirer/<str:purpose>/",
        views.space_withdraw,
        name="space_withdraw",
    ),
    path(
        "mon-espace/<str:token>/donner/<str:purpose>/",
        views.space_give,
        name="space_give",
    ),
    path(
        "mon-espace/<str:token>/questionnaire/<int:invitation_pk>/",
        views.space_answer,
        name="space_answer",
    ),
]
