"""Print the demo logins with their TOTP secret and current code. Refused in production."""

import base64

from django.core.management.base import BaseCommand
from django_otp.oath import totp

from entrepairs.accounts.demo import DEMO_LOGINS
from entrepairs.accounts.models import User
from entrepairs.demo.context import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, refuse_without_demo_tools


class Command(BaseCommand):
    help = "Affiche les comptes de démonstration (un par rôle) et leur code TOTP actuel."

    def handle(self, *args, **options):
        refuse_without_demo_tools()
        self.stdout.write("")
        self.stdout.write("Comptes de démonstration — mot de passe commun : " + DEMO_PASSWORD)
        self.stdout.write(
            "Second facteur : ajoutez la clé dans une application TOTP, ou relancez "
            "`.venv/bin/python manage.py demo_logins` pour lire le code du moment (30 s)."
        )
        emails = [f"{local}@{DEMO_EMAIL_DOMAIN}" for local, *_ in DEMO_LOGINS]
        users = User.objects.filter(email__in=emails).prefetch_related(
            "memberships__organisation", "totpdevice_set"
        )
        by_email = {u.email: u for u in users}
        for email in emails:
            user = by_email.get(email)
            if user is None:
                continue
            device = user.totpdevice_set.first()
            membership = user.memberships.first()
            code = f"{totp(device.bin_key, step=device.step, t0=device.t0):06d}" if device else "-"
            self.stdout.write(
                f"  {email:<36} {membership.get_role_display():<34} {membership.organisation}"
            )
            if device:
                secret = base64.b32encode(device.bin_key).decode()
                self.stdout.write(f"      clé TOTP (base32) {secret}   code actuel {code}")
        self.stdout.write("")
        self.stdout.write("Démo servie sur http://127.0.0.1:8000")
