"""The "Accès API" pages: token management by coordinators and directors."""

from django.urls import path

from .views import tokens

app_name = "api_tokens"

urlpatterns = [
    path("", tokens.token_list, name="token_list"),
    path("nouveau/", tokens.token_create, name="token_create"),
    path("<int:pk>/revoquer/", tokens.token_revoke, name="token_revoke"),
]
