"""manage.py import_sae: SAE psychiatry establishments and figures, for any year.

manage.py import_sae                      every year found in REFERENCE_DATA_DIR
manage.py import_sae --dir PATH           every year found in PATH (drees-sae-<year>-id.csv
                                          and drees-sae-<year>-psy.csv)
manage.py import_sae --year 2023          that year's two files, by name
manage.py import_sae --year 2023 --id FILE --psy FILE   two files by path
"""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from entrepairs.territory.importers.csvfile import ImportAborted
from entrepairs.territory.importers.sae import YearFiles, files_of_year, import_year, years_in


class Command(BaseCommand):
    help = (
        "Importe les établissements de la SAE (DREES) ayant une activité de psychiatrie et "
        "leurs chiffres annuels par discipline, pour une ou plusieurs années. Idempotent ; "
        "les années s'ajoutent l'une à côté de l'autre, dans n'importe quel ordre."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            type=Path,
            default=None,
            help="dossier des fichiers drees-sae-<année>-id.csv et drees-sae-<année>-psy.csv "
            "(par défaut : REFERENCE_DATA_DIR) ; sans --year, toutes les années trouvées",
        )
        parser.add_argument("--year", type=int, default=None, help="année SAE à importer")
        parser.add_argument("--id", type=Path, default=None, help="fichier annuaire (ID)")
        parser.add_argument("--psy", type=Path, default=None, help="fichier psychiatrie (PSY)")

    def handle(self, *args, dir=None, year=None, id=None, psy=None, **options):  # noqa: A002
        directory = dir or Path(settings.REFERENCE_DATA_DIR)
        if (id is None) != (psy is None):
            raise CommandError("Donnez les deux fichiers d'une année : --id et --psy.")
        if id is not None:
            if year is None:
                raise CommandError("Avec --id et --psy, donnez l'année des fichiers : --year.")
            selected = [YearFiles(year, id, psy)]
        elif year is not None:
            selected = [files_of_year(directory, year)]
        else:
            selected = years_in(directory)
            if not selected:
                raise CommandError(
                    f"Aucune année SAE dans {directory} : fichiers drees-sae-<année>-id.csv et "
                    "drees-sae-<année>-psy.csv attendus (ou --year, --id et --psy)."
                )
        started = time.monotonic()
        try:
            # Several years are imported together or not at all.
            with transaction.atomic():
                summaries = [
                    import_year(files, show_progress=options["verbosity"] > 0) for files in selected
                ]
        except ImportAborted as exc:
            raise CommandError(str(exc)) from None
        for summary in summaries:
            for line in summary.lines():
                self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(f"Import terminé en {time.monotonic() - started:.1f} s.")
        )
