from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "entrepairs.groups"
    label = "groups"
