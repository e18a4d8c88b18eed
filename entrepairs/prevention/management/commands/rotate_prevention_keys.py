"""Rewrap every plan's data key with the newest master key.

    PREVENTION_PLAN_KEYS=new,old manage.py rotate_prevention_keys

Then remove the old key from PREVENTION_PLAN_KEYS (docs/deploiement.md)."""

from django.core.management.base import BaseCommand

from entrepairs.prevention.operations import rotate_master_key


class Command(BaseCommand):
    help = "Rechiffre les clés des plans de prévention avec la clé maîtresse la plus récente."

    def handle(self, *args, **options):
        count = rotate_master_key()
        self.stdout.write(self.style.SUCCESS(f"{count} plan(s) rechiffré(s) avec la nouvelle clé."))
