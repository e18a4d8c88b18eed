from django.urls import path

from .views import episodes, persons, recovery, resources, rights

app_name = "accompaniment"

urlpatterns = [
    path("", persons.person_list, name="person_list"),
    path("personnes/export/", persons.person_list_export, name="person_list_export"),
    path("personnes/nouvelle/", persons.person_create, name="person_create"),
    path("personnes/<int:pk>/", persons.person_detail, name="person_detail"),
    path("personnes/<int:pk>/modifier/", persons.person_update, name="person_update"),
    path("personnes/<int:pk>/consentements/", persons.consent_record, name="consent_record"),
    path("personnes/<int:pk>/rencontres/", episodes.encounter_list, name="encounter_list"),
    path(
        "personnes/<int:pk>/rencontres/nouvelle/",
        episodes.encounter_create,
        name="encounter_create",
    ),
    path("rencontres/<int:pk>/modifier/", episodes.encounter_update, name="encounter_update"),
    path("rencontres/<int:pk>/supprimer/", episodes.encounter_delete, name="encounter_delete"),
    path(
        "personnes/<int:pk>/accompagnements/nouveau/",
        episodes.accompaniment_create,
        name="accompaniment_create",
    ),
    path(
        "accompagnements/<int:pk>/modifier/",
        episodes.accompaniment_update,
        name="accompaniment_update",
    ),
    path("personnes/<int:pk>/plan/", recovery.recovery_plan, name="recovery_plan"),
    path(
        "personnes/<int:pk>/plan/point/",
        recovery.recovery_review_create,
        name="recovery_review_create",
    ),
    path("ressources/", resources.resource_list, name="resource_list"),
    path("ressources/export/", resources.resource_list_export, name="resource_list_export"),
    path("ressources/nouvelle/", resources.resource_create, name="resource_create"),
    path("ressources/<int:pk>/modifier/", resources.resource_update, name="resource_update"),
    path(
        "personnes/<int:pk>/orientations/nouvelle/",
        resources.referral_create,
        name="referral_create",
    ),
    path("orientations/<int:pk>/modifier/", resources.referral_update, name="referral_update"),
    path("personnes/<int:pk>/export/", rights.person_export_html, name="person_export_html"),
    path(
        "personnes/export-schema.json",
        rights.person_export_schema,
        name="person_export_schema",
    ),
    path("personnes/<int:pk>/export.json", rights.person_export_json, name="person_export_json"),
    path("personnes/<int:pk>/export.pdf", rights.person_export_pdf, name="person_export_pdf"),
    path("personnes/<int:pk>/anonymiser/", rights.person_anonymise, name="person_anonymise"),
]
