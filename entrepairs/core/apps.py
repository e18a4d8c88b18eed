from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "entrepairs.core"
    label = "core"
