from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "entrepairs.api"
    label = "api"
    verbose_name = "API"
