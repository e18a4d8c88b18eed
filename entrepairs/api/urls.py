"""The HTTP API (``/api/``): versioned under ``v1/``, its description and documentation.

Every view is ``declared()``: public by design, or opened by a token of one scope.
"""

from django.urls import path, re_path

from entrepairs.core.access import public

from . import schema  # noqa: F401 - registers the token's security scheme
from .base import declared
from .views import activity, docs, fhir, figures, workforce
from .views.errors import not_found

app_name = "api"

urlpatterns = [
    path("schema/", public(docs.SchemaView.as_view()), name="schema"),
    path("docs/", public(docs.SwaggerView.as_view()), name="docs"),
    # Public by design: definitions and published, protected figures.
    path("v1/indicateurs/", declared(figures.IndicatorListView), name="indicators"),
    path("v1/chiffres/regions/", declared(figures.RegionListView), name="regions"),
    path("v1/chiffres/national/", declared(figures.NationalFiguresView), name="figures_national"),
    path(
        "v1/chiffres/regions/<str:code>/",
        declared(figures.RegionalFiguresView),
        name="figures_regional",
    ),
    # Scope "activite"
    path("v1/activite/", declared(activity.ActivityCountsView), name="activity"),
    path("v1/groupes/seances/", declared(activity.GroupSessionListView), name="group_sessions"),
    path(
        "v1/institution/actions/",
        declared(activity.InstitutionalActivityListView),
        name="institutional_activities",
    ),
    # Scope "effectifs"
    path("v1/effectifs/pairs/", declared(workforce.PeerListView), name="peers"),
    path("v1/effectifs/contrats/", declared(workforce.ContractListView), name="contracts"),
    path("v1/effectifs/formations/", declared(workforce.TrainingListView), name="trainings"),
    # Scope "evaluation" (FHIR R4)
    path(
        "v1/fhir/Questionnaire/", declared(fhir.QuestionnaireListView), name="fhir_questionnaires"
    ),
    path(
        "v1/fhir/Questionnaire/<int:pk>/",
        declared(fhir.QuestionnaireDetailView),
        name="fhir_questionnaire",
    ),
    path(
        "v1/fhir/QuestionnaireResponse/",
        declared(fhir.QuestionnaireResponseListView),
        name="fhir_questionnaire_responses",
    ),
    # Anything else under /api/: a JSON 404 in French, not the HTML page.
    re_path(r"^.*$", not_found, name="not_found"),
]
