from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    default = True
    name = "entrepairs.accounts"
    label = "accounts"


class AuditedAdminConfig(admin_apps.AdminConfig):
    """``django.contrib.admin`` with a site whose every page that shows records logs them
    (see ``accounts.admin_site``)."""

    default = False
    default_site = "entrepairs.accounts.admin_site.AuditedAdminSite"
