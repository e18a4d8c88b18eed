"""``manage.py publish_figures [--period 2026-T2] [--force] [--enqueue]``."""

import time

from django.core.management.base import BaseCommand, CommandError

from entrepairs.observatory.periods import Period
from entrepairs.observatory.publishing import publish, refresh


class Command(BaseCommand):
    help = "Calcule, protège et publie les chiffres de l'observatoire (périodes terminées)."

    def add_arguments(self, parser):
        parser.add_argument("--period", help="une période : 2025 ou 2026-T2")
        parser.add_argument(
            "--force", action="store_true", help="republier les périodes déjà publiées"
        )
        parser.add_argument("--enqueue", action="store_true", help="lancer la tâche de fond")

    def handle(self, *args, period=None, force=False, enqueue=False, **options):
        started = time.monotonic()
        if enqueue:
            from entrepairs.observatory.tasks import refresh_published_figures

            result = refresh_published_figures.enqueue(force=force)
            self.stdout.write(f"tâche {result.id} en file")
            return
        if period:
            try:
                chosen = Period.parse(period)
            except ValueError as exc:
                raise CommandError(str(exc)) from None
            if not chosen.is_over():
                raise CommandError(f"la période {chosen} n'est pas terminée")
            codes = [f"{p.period_kind} {p.period_start}" for p in publish(chosen)]
        else:
            codes = refresh(force=force)
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"{len(codes)} période(s) publiée(s) en {elapsed:.1f} s : {', '.join(map(str, codes)) or 'aucune'}"
        )
