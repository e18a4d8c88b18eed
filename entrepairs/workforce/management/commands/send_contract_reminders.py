from django.core.management.base import BaseCommand

from entrepairs.workforce.tasks import send_contract_reminders


class Command(BaseCommand):
    help = (
        "Met en file l'envoi hebdomadaire des rappels de fin de contrat (90 jours) aux "
        "coordinations et directions. À lancer chaque semaine par cron, voir docs/effectifs-pairs.md."
    )

    def handle(self, *args, **options):
        result = send_contract_reminders.enqueue()
        self.stdout.write(f"Rappels de fin de contrat mis en file (tâche {result.id}).")
