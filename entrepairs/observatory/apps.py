from django.apps import AppConfig


class ObservatoryConfig(AppConfig):
    name = "entrepairs.observatory"
    label = "observatory"
