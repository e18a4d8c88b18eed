"""Walk the hash chain of the audit log and report every change, deletion or insertion."""

import re
import time

from django.core.management.base import BaseCommand, CommandError

from entrepairs.core.chain import verify_chain

SHOWN = 200


def anchor(value: str) -> tuple[int, str]:
    match = re.fullmatch(r"(\d+):([0-9a-f]{64})", value.strip())
    if not match:
        raise CommandError(f"Ancre invalide « {value} » : attendu ID:EMPREINTE (64 hexadécimaux).")
    return int(match[1]), match[2]


class Command(BaseCommand):
    help = (
        "Vérifie la chaîne d'empreintes du journal des accès : signale tout événement modifié, "
        "supprimé ou inséré, et sort en erreur (code 1) si la chaîne est rompue."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="ID:EMPREINTE",
            help="tête notée lors d'une vérification précédente (répétable) : elle doit être "
            "toujours là, avec la même empreinte",
        )

    def handle(self, *args, **options):
        anchors = [anchor(value) for value in options["anchor"]]
        started = time.monotonic()
        report = verify_chain(anchors)
        elapsed = time.monotonic() - started
        for item in report.breaks[:SHOWN]:
            self.stdout.write(str(item))
        if len(report.breaks) > SHOWN:
            self.stdout.write(f"… et {len(report.breaks) - SHOWN} autres ruptures.")
        self.stdout.write(
            f"{report.checked} événements vérifiés en {elapsed:.1f} s. "
            f"Tête : {report.head_id or 0}:{report.head_hash}"
        )
        if not report.ok:
            raise CommandError(
                f"Journal des accès : {len(report.breaks)} rupture(s) de la chaîne d'empreintes."
            )
        self.stdout.write(self.style.SUCCESS("Journal des accès intact."))
