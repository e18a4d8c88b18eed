from django.urls import path

from . import views

app_name = "institution"

urlpatterns = [
    path("", views.activity_list, name="activity_list"),
    path("export/", views.activity_list_export, name="activity_list_export"),
    path("nouvelle/", views.activity_create, name="activity_create"),
    path("<int:pk>/", views.activity_detail, name="activity_detail"),
    path("<int:pk>/modifier/", views.activity_edit, name="activity_edit"),
]
