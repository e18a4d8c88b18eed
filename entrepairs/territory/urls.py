from django.urls import path

from . import views

app_name = "territory"

urlpatterns = [
    path("secteur-de-ma-commune/", views.commune_sector, name="commune_sector"),
]
