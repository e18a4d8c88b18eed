from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "entrepairs.workforce"
    label = "workforce"
