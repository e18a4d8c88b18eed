"""manage.py import_territory [--dir PATH]: regions, départements, communes, populations."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from entrepairs.territory.importers.cog import import_territory
from entrepairs.territory.importers.csvfile import ImportAborted


class Command(BaseCommand):
    help = (
        "Importe les régions, départements, communes (COG INSEE) et populations légales. "
        "Idempotent : une deuxième exécution met à jour sans rien créer."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            type=Path,
            default=None,
            help="dossier des fichiers de référence (par défaut : REFERENCE_DATA_DIR)",
        )

    def handle(self, *args, dir=None, **options):  # noqa: A002 the option is named --dir
        directory = dir or Path(settings.REFERENCE_DATA_DIR)
        started = time.monotonic()
        try:
            summary = import_territory(directory, show_progress=options["verbosity"] > 0)
        except ImportAborted as exc:
            raise CommandError(str(exc)) from None
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(f"Import terminé en {time.monotonic() - started:.1f} s.")
        )
