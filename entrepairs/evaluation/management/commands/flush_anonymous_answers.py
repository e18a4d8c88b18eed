from django.core.management.base import BaseCommand

from entrepairs.evaluation.pool import batch_size, flush_due_batches


class Command(BaseCommand):
    help = (
        "Verse dans les résultats les lots de réponses anonymes qui sont prêts (au moins "
        "2 × ANONYMOUS_BATCH_SIZE en attente, ou campagne close). À lancer chaque nuit par "
        "cron, voir docs/evaluation.md."
    )

    def handle(self, *args, **options):
        counts = flush_due_batches()
        self.stdout.write(
            f"{counts.batches} lot(s) versé(s) dans les résultats ({counts.answers} réponse(s)), "
            f"par lots d'au moins {batch_size()} sauf à la clôture d'une petite campagne."
        )
        if counts.unreadable:
            self.stderr.write(
                f"{counts.unreadable} réponse(s) en attente illisible(s) : remettez l'ancienne "
                "SECRET_KEY dans SECRET_KEY_FALLBACKS."
            )
