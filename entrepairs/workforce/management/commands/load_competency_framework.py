from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from entrepairs.territory.models import Organisation
from entrepairs.workforce.framework_loader import (
    DEFAULT_FRAMEWORK,
    FrameworkError,
    load_framework,
    parse_framework,
)


class Command(BaseCommand):
    help = "Charge un référentiel de compétences (fichier YAML) pour la plateforme ou une organisation."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(DEFAULT_FRAMEWORK))
        parser.add_argument(
            "--organisation",
            type=int,
            help="Identifiant de l'organisation (sans : référentiel de la plateforme).",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        organisation = None
        if options["organisation"] is not None:
            organisation = Organisation.objects.filter(pk=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"Organisation introuvable : {options['organisation']}")
        try:
            data = parse_framework(path.read_text(encoding="utf-8"))
            framework = load_framework(data, organisation, source=path.name)
        except FrameworkError as exc:
            raise CommandError(str(exc)) from exc
        count = sum(len(d["competencies"]) for d in data["domains"])
        self.stdout.write(
            f"Référentiel « {framework.name} » v{framework.version} chargé : "
            f"{len(data['domains'])} domaines, {count} compétences."
        )
