"""Anonymise persons whose last activity is older than the retention period.

    manage.py anonymise_inactive [--days N] [--dry-run]

N defaults to settings.PERSON_RETENTION_DAYS. Meant to run daily (cron or scheduled task).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from entrepairs.accompaniment.models import Accompaniment
from entrepairs.accompaniment.rights import anonymise_person, inactive_persons


class Command(BaseCommand):
    help = "Anonymise les personnes sans activité depuis la durée de conservation."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, days, dry_run, **options):
        days = settings.PERSON_RETENTION_DAYS if days is None else days
        if days < 1:
            raise CommandError("--days doit être un nombre de jours positif.")
        persons = list(inactive_persons(days).select_related("organisation"))
        by_org = {}
        for person in persons:
            by_org[person.organisation.name] = by_org.get(person.organisation.name, 0) + 1
            if not dry_run:
                anonymise_person(person, end_reason=Accompaniment.EndReason.LOST_CONTACT)
        verb = "à anonymiser" if dry_run else "anonymisée(s)"
        self.stdout.write(f"{len(persons)} personne(s) sans activité depuis {days} jours {verb}.")
        for name, n in sorted(by_org.items()):
            self.stdout.write(f"  {name} : {n}")
