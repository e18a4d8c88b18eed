from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "entrepairs.home"
    label = "home"
