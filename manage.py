#!/usr/bin/env python
import os
import sys

# Commands of the demo app, which production settings do not install.
DEMO_COMMANDS = {"demo", "demo_logins"}


def refuse_demo_commands(argv):
    """Without the demo app Django would answer "Unknown command" in English: say why, in
    French, and stop with an error."""
    if len(argv) < 2 or argv[1] not in DEMO_COMMANDS:
        return
    import django
    from django.apps import apps

    django.setup()
    if not apps.is_installed("entrepairs.demo"):
        sys.exit(
            "Commande de démonstration refusée : les réglages de production n'installent pas "
            "l'application de démonstration (comptes au mot de passe publié)."
        )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    refuse_demo_commands(sys.argv)
    execute_from_command_line(sys.argv)
