from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    name = "entrepairs.territory"
    label = "territory"
