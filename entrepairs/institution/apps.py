from django.apps import AppConfig


class InstitutionConfig(AppConfig):
    name = "entrepairs.institution"
    label = "institution"
