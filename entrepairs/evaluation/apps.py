from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "entrepairs.evaluation"
    label = "evaluation"
