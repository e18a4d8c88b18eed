"""manage.py import_sectors FILE.csv: real sector↔commune table from an ARS."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from entrepairs.territory.importers.csvfile import ImportAborted
from entrepairs.territory.importers.sectors import COLUMNS, import_sectors


class Command(BaseCommand):
    help = (
        "Importe les secteurs de psychiatrie et les communes qu'ils desservent depuis un "
        f"fichier CSV d'ARS (UTF-8, « ; », en-tête {';'.join(COLUMNS)}). "
        "Voir docs/sources-de-donnees.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="fichier CSV secteur ↔ commune")

    def handle(self, *args, file, **options):
        started = time.monotonic()
        try:
            summary = import_sectors(file, show_progress=options["verbosity"] > 0)
        except ImportAborted as exc:
            raise CommandError(str(exc)) from None
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(f"Import terminé en {time.monotonic() - started:.1f} s.")
        )
