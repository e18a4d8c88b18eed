from django.apps import AppConfig


class AccompanimentConfig(AppConfig):
    name = "entrepairs.accompaniment"
    label = "accompaniment"
