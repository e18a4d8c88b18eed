"""``manage.py write_indicator_docs``: write docs/indicateurs.md from the catalogue."""

from django.conf import settings
from django.core.management.base import BaseCommand

from entrepairs.observatory.catalogue import markdown

DOC = settings.BASE_DIR / "docs" / "indicateurs.md"


class Command(BaseCommand):
    help = "Écrit docs/indicateurs.md depuis le catalogue des indicateurs."

    def handle(self, *args, **options):
        DOC.write_text(markdown(), encoding="utf-8")
        self.stdout.write(f"{DOC} écrit")
