"""manage.py import_sae [--dir PATH] [--year 2022]: SAE psychiatry establishments and figures."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from entrepairs.territory.importers.csvfile import ImportAborted
from entrepairs.territory.importers.sae import id_file_name, import_sae, psy_file_name


class Command(BaseCommand):
    help = (
        "Importe les établissements de la SAE (DREES) ayant une activité de psychiatrie et "
        "leurs chiffres annuels par discipline. Idempotent ; une autre année s'ajoute à côté."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            type=Path,
            default=None,
            help="dossier des fichiers de référence (par défaut : REFERENCE_DATA_DIR)",
        )
        parser.add_argument(
            "--year",
            type=int,
            default=2022,
            help=f"année SAE : lit {id_file_name(2022)} et {psy_file_name(2022)} pour 2022",
        )

    def handle(self, *args, dir=None, year=2022, **options):  # noqa: A002 the option is --dir
        directory = dir or Path(settings.REFERENCE_DATA_DIR)
        started = time.monotonic()
        try:
            summary = import_sae(directory, year, show_progress=options["verbosity"] > 0)
        except ImportAborted as exc:
            raise CommandError(str(exc)) from None
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(f"Import terminé en {time.monotonic() - started:.1f} s.")
        )
