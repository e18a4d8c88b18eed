"""Generate deterministic, realistic demo data spread over the real SAE establishments.

    manage.py demo [--scale small|medium|national] [--seed N] [--check]

``--check`` then reads the whole demo against the rules of ``entrepairs.demo.invariants``
(no referral before its accompaniment, no consent recorded in the future…) and fails if one
is broken; on a database that already holds the demo it only checks.

Each app contributes ``entrepairs/<app>/demo.py`` with ``generate(ctx)``; they run in the
dependency order of DESIGN.md. Running it again on a database that already holds demo data
changes nothing (idempotent), so a second ``make run`` works.
"""

from importlib import import_module

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from entrepairs.demo.context import SCALES, DemoContext, refuse_without_demo_tools
from entrepairs.territory.models import Organisation
from entrepairs.workforce.defaults import ensure_shipped_defaults

GENERATORS = [
    "entrepairs.territory.demo",
    "entrepairs.accounts.demo",
    "entrepairs.programmes.demo",
    "entrepairs.workforce.demo",
    "entrepairs.accompaniment.demo",
    "entrepairs.groups.demo",
    "entrepairs.institution.demo",
    "entrepairs.evaluation.demo",
    "entrepairs.prevention.demo",
    "entrepairs.observatory.demo",
]


class Command(BaseCommand):
    help = "Génère des données de démonstration réalistes et reproductibles."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--check", action="store_true", help="vérifie la vraisemblance des données"
        )

    def handle(self, *args, scale, seed, check=False, **options):
        refuse_without_demo_tools()
        if not Organisation.objects.filter(kind=Organisation.Kind.HEALTH_ESTABLISHMENT).exists():
            raise CommandError(
                "Aucun établissement : lancez d'abord manage.py import_territory et import_sae."
            )
        if Organisation.objects.filter(is_demo=True).exists():
            self.stdout.write("Données de démonstration déjà présentes : rien à faire.")
            if check:
                self.check_plausibility()
            return
        ctx = DemoContext.make(scale, seed, self.stdout)
        with transaction.atomic():
            ensure_shipped_defaults()  # gone after a manage.py flush; the demo draws on them
            for module_name in GENERATORS:
                try:
                    module = import_module(module_name)
                except ModuleNotFoundError as exc:
                    if exc.name != module_name:
                        raise
                    continue
                module.generate(ctx)
        self.stdout.write(self.style.SUCCESS(f"Démo « {scale} » (graine {seed}) créée :"))
        for label, n in ctx.created.items():
            self.stdout.write(f"  {label} : {n}")
        if check:
            self.check_plausibility()

    def check_plausibility(self):
        from entrepairs.demo.invariants import violations

        found = violations()
        if found:
            raise CommandError(
                f"{len(found)} invraisemblance(s) dans la démo :\n" + "\n".join(found)
            )
        self.stdout.write(self.style.SUCCESS("Démo vraisemblable : toutes les règles tiennent."))
