from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "entrepairs.demo"
    label = "demo"
