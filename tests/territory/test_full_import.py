"""The real reference files (data/reference) imported in full, as `make run` does."""

import csv
import time
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count, Sum

from entrepairs.territory.models import (
    Commune,
    ContextFigures,
    Department,
    Organisation,
    Region,
)

pytestmark = pytest.mark.django_db


def run(command):
    out = StringIO()
    started = time.monotonic()
    call_command(command, stdout=out, verbosity=0)
    return out.getvalue(), time.monotonic() - started


def lines_in_communes_file():
    path = settings.REFERENCE_DATA_DIR / "cog-communes.csv"
    with path.open(encoding="utf-8", newline="") as file:
        return sum(1 for _ in csv.DictReader(file))


def figures(discipline):
    return ContextFigures.objects.filter(year=2022, discipline=discipline).aggregate(
        rows=Count("pk"),
        sectors=Sum("sectors"),
        cmp=Sum("cmp_count"),
        cattp=Sum("cattp_count"),
        active_file=Sum("active_file"),
    )


def test_full_reference_import_then_a_second_run_creates_nothing():
    territory_output, territory_seconds = run("import_territory")
    sae_output, sae_seconds = run("import_sae")

    assert Region.objects.count() == 18
    assert Department.objects.count() == 101
    assert Commune.objects.count() == lines_in_communes_file()
    assert Organisation.objects.filter(kind=Organisation.Kind.HEALTH_ESTABLISHMENT).count() == 619
    gen = figures("GEN")
    assert gen == {
        "rows": 561,
        "sectors": 874,
        "cmp": 1685,
        "cattp": 1082,
        "active_file": 1790079,
    }
    inf = figures("INF")
    assert (inf["rows"], inf["sectors"]) == (345, 363)

    # One known establishment: Centre psychothérapique de l'Ain (Bourg-en-Bresse).
    cpa = Organisation.objects.get(finess_et="010000495")
    assert cpa.department.code == "01"
    assert cpa.finess_ej == "010783009"
    adults = cpa.context_figures.get(year=2022, discipline="GEN")
    assert (adults.sectors, adults.full_time_beds, adults.day_places) == (4, 304, 87)
    assert (adults.cmp_count, adults.cattp_count, adults.active_file) == (12, 13, 11422)
    assert adults.nurse_fte == Decimal("382.30")
    # Its prison psychiatry row leaves beds empty in the file: "not reported", not zero.
    prison = cpa.context_figures.get(year=2022, discipline="PEN")
    assert prison.full_time_beds is None
    assert prison.educator_fte is None
    assert prison.active_file == 887
    # Corsica and overseas codes resolved (2A, and SAE's 9D for La Réunion -> 974).
    assert Organisation.objects.filter(department__code="2A").exists()
    assert Organisation.objects.filter(department__code="974").count() == 4
    paris = Commune.objects.get(code="75056", kind="COM")
    assert paris.population_total > 2_000_000  # sum of its arrondissements

    counts = (
        Region.objects.count(),
        Department.objects.count(),
        Commune.objects.count(),
        Organisation.objects.count(),
        ContextFigures.objects.count(),
    )
    territory_again, _ = run("import_territory")
    sae_again, _ = run("import_sae")
    assert "communes : 0 créé(s), 0 mis à jour" in territory_again
    assert "établissements : 0 créé(s), 0 mis à jour, 619 inchangé(s)" in sae_again
    assert "0 créé(s), 0 mis à jour, 1664 inchangé(s)" in sae_again
    assert counts == (
        Region.objects.count(),
        Department.objects.count(),
        Commune.objects.count(),
        Organisation.objects.count(),
        ContextFigures.objects.count(),
    )
    print(f"import_territory {territory_seconds:.1f} s, import_sae {sae_seconds:.1f} s")
