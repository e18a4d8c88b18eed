"""Delete the unused invitations of closed or expired campaigns, and their unfinished drafts.

    manage.py purge_expired_invitations [--dry-run]

Meant to run every night (cron or scheduled task). Completed answers are never touched.
"""

from django.core.management.base import BaseCommand

from entrepairs.evaluation.retention import purge_expired_invitations


class Command(BaseCommand):
    help = (
        "Supprime les invitations non utilisées des campagnes closes ou terminées "
        "(et leurs brouillons) ; les réponses sont gardées."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="compter sans rien supprimer")

    def handle(self, *args, dry_run, **options):
        counts = purge_expired_invitations(dry_run=dry_run)
        verb = "à supprimer" if dry_run else "supprimée(s)"
        self.stdout.write(
            f"{counts.invitations} invitation(s) non utilisée(s) {verb} "
            f"(dont {counts.linked_invitations} nominative(s)), "
            f"dans {counts.campaigns} campagne(s) close(s)."
        )
        draft_verb = "à supprimer" if dry_run else "supprimé(s)"
        self.stdout.write(f"{counts.drafts} brouillon(s) inachevé(s) {draft_verb}.")
