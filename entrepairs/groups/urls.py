from django.urls import path

from . import views

app_name = "groups"

urlpatterns = [
    path("", views.group_list, name="group_list"),
    path("export/", views.group_list_export, name="group_list_export"),
    path("nouveau/", views.group_create, name="group_create"),
    path("<int:pk>/", views.group_detail, name="group_detail"),
    path("<int:pk>/modifier/", views.group_edit, name="group_edit"),
    path("<int:pk>/seance/", views.session_create, name="session_create"),
    path("seances/<int:pk>/modifier/", views.session_update, name="session_update"),
    path("seances/<int:pk>/supprimer/", views.session_delete, name="session_delete"),
]
