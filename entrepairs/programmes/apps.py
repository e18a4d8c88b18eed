from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "entrepairs.programmes"
    label = "programmes"
    verbose_name = "Programmes de pair-aidance"
