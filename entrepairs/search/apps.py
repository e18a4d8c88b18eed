from django.apps import AppConfig
from django.db.backends.signals import connection_created


class SearchConfig(AppConfig):
    name = "entrepairs.search"
    label = "search"

    def ready(self):
        from .matching import register_sqlite_function

        connection_created.connect(register_sqlite_function, dispatch_uid="entrepairs_fold")
