from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("", views.programme_detail, name="detail"),
    path("modifier/", views.programme_edit, name="edit"),
    path("statut/", views.status_create, name="status_create"),
    path("financements/nouveau/", views.funding_create, name="funding_create"),
    path("financements/<int:pk>/modifier/", views.funding_edit, name="funding_edit"),
    path("financements/<int:pk>/supprimer/", views.funding_delete, name="funding_delete"),
    path("maturite/", views.maturity, name="maturity"),
]
