"""manage.py load_instruments [fichier.yaml ...] — publish the instrument definition files.

Idempotent: a file already published with the same content changes nothing.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from entrepairs.evaluation.definitions import InstrumentDefinitionError
from entrepairs.evaluation.publishing import load_builtin_instruments


class Command(BaseCommand):
    help = "Charge (publie) les questionnaires définis dans entrepairs/evaluation/instruments/."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="fichiers YAML (par défaut : tous)")

    def handle(self, *args, paths, **options):
        try:
            results = load_builtin_instruments([Path(p) for p in paths] or None)
        except InstrumentDefinitionError as exc:
            raise CommandError(f"Questionnaire refusé — {exc}") from exc
        for version, created in results:
            state = "publié" if created else "déjà à jour"
            self.stdout.write(f"{version.instrument.code} v{version.version} : {state}")
