from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "entrepairs.evaluation"
    label = "evaluation"

    def ready(self):
        from . import signals  # noqa: F401
