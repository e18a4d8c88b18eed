from django.urls import path

from .views import activity, exports, pages

app_name = "observatory"

urlpatterns = [
    path("mon-activite/", activity.my_activity, name="my_activity"),
    path("pairs/<int:pk>/activite/", activity.peer_activity, name="peer_activity"),
    # Public: how every figure is defined.
    path("indicateurs/", pages.definitions, name="definitions"),
    path("indicateurs.csv", exports.codebook_csv, name="definitions_csv"),
    # France
    path("national/", pages.national, name="national"),
    path(
        "national/indicateurs/<slug:indicator>/",
        pages.national_indicator,
        name="national_indicator",
    ),
    path("national/export.xlsx", exports.national_xlsx, name="national_xlsx"),
    path("national/export/<slug:indicator>.csv", exports.national_csv, name="national_csv"),
    path("national/rapport.pdf", exports.national_pdf, name="national_pdf"),
    path("national/donnees-ouvertes.zip", exports.national_open_data, name="national_open_data"),
    # A region (the regional observer's own; ?region= for the national observer)
    path("regional/", pages.regional, name="regional"),
    path(
        "regional/indicateurs/<slug:indicator>/",
        pages.regional_indicator,
        name="regional_indicator",
    ),
    path("regional/export.xlsx", exports.regional_xlsx, name="regional_xlsx"),
    path("regional/export/<slug:indicator>.csv", exports.regional_csv, name="regional_csv"),
    path("regional/rapport.pdf", exports.regional_pdf, name="regional_pdf"),
    # A département
    path("departement/<str:code>/", pages.departement, name="departement"),
    path(
        "departement/<str:code>/indicateurs/<slug:indicator>/",
        pages.departement_indicator,
        name="departement_indicator",
    ),
    path("departement/<str:code>/export.xlsx", exports.departement_xlsx, name="departement_xlsx"),
    path(
        "departement/<str:code>/export/<slug:indicator>.csv",
        exports.departement_csv,
        name="departement_csv",
    ),
    # The establishment of the current membership
    path("etablissement/", pages.etablissement, name="etablissement"),
    path(
        "etablissement/indicateurs/<slug:indicator>/",
        pages.etablissement_indicator,
        name="etablissement_indicator",
    ),
    path("etablissement/export.xlsx", exports.etablissement_xlsx, name="etablissement_xlsx"),
    path(
        "etablissement/export/<slug:indicator>.csv",
        exports.etablissement_csv,
        name="etablissement_csv",
    ),
    path("etablissement/rapport.pdf", exports.etablissement_pdf, name="etablissement_pdf"),
]
