from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "entrepairs.accounts"
    label = "accounts"
