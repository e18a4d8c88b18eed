"""import_territory: COG regions, départements, communes and legal populations."""

from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from entrepairs.territory.models import Commune, Department, Region

from .files import COG_COMMUNES_HEADER, lines_of, reference_dir, snapshot, write

pytestmark = pytest.mark.django_db


def run(directory, **options):
    out = StringIO()
    call_command("import_territory", dir=directory, stdout=out, verbosity=0, **options)
    return out.getvalue()


def test_imports_regions_departments_communes_and_populations(mini_reference):
    output = run(mini_reference)
    assert Region.objects.count() == 3
    assert Department.objects.get(code="2A").region.name == "Corse"
    lille = Commune.objects.get(code="59350", kind="COM")
    assert (lille.name, lille.department.code) == ("Lille", "59")
    assert (lille.population_municipal, lille.population_total) == (238246, 240109)
    assert lille.search_name == "lille"
    assert Commune.objects.get(code="59009").search_name == "villeneuve d ascq"
    # An associated commune takes its parent's département and has no population of its own.
    lomme = Commune.objects.get(code="59355")
    assert (lomme.kind, lomme.department.code, lomme.population_total) == ("COMA", "59", None)
    # Paris: only the arrondissements have a population in the file; the commune sums them.
    assert Commune.objects.get(code="75056", kind="COM").population_municipal == 15114
    # A commune without population is kept, population "not known" (None), and reported.
    assert Commune.objects.get(code="59999").population_total is None
    assert "1 commune(s) ou arrondissement(s) du COG sans population" in output
    assert "59999" in output
    # A population code that does not join (merged commune) is reported, not fatal.
    assert "1 rejetée(s)" in output
    assert "communes : 7 créé(s), 0 mis à jour, 0 inchangé(s)" in output


def test_second_run_creates_nothing_and_updates_what_changed(mini_reference):
    run(mini_reference)
    ids = set(Commune.objects.values_list("pk", flat=True))
    output = run(mini_reference)
    assert "communes : 0 créé(s), 0 mis à jour, 7 inchangé(s)" in output
    assert set(Commune.objects.values_list("pk", flat=True)) == ids

    lines = [
        line.replace("Villeneuve-d'Ascq,5940", "Villeneuve-d'Ascq-Renommée,5940")
        for line in lines_of("cog-communes.csv")
    ]
    write(mini_reference / "cog-communes.csv", lines)
    output = run(mini_reference)
    assert "communes : 0 créé(s), 1 mis à jour, 6 inchangé(s)" in output
    renamed = Commune.objects.get(code="59009")
    assert renamed.name == "Villeneuve-d'Ascq-Renommée"
    assert renamed.search_name == "villeneuve d ascq renommee"
    assert Commune.objects.count() == 7


def assert_refused(directory, *expected):
    """The import stops with a French message naming what is expected; nothing is written."""
    before = snapshot()
    with pytest.raises(CommandError) as error:
        run(directory)
    message = str(error.value)
    assert "la base n'a pas été modifiée" in message
    for part in expected:
        assert part in message, message
    assert snapshot() == before
    return message


def test_wrong_encoding_names_file_line_and_column(tmp_path):
    directory = reference_dir(tmp_path)
    # Île-de-France (line 2) is the first non-ASCII text: invalid UTF-8 once in Latin-1.
    write(directory / "cog-regions.csv", lines_of("cog-regions.csv"), encoding="iso-8859-1")
    assert_refused(
        directory, "fichier cog-regions.csv", "ligne 2", "colonne « NCCENR »", "encodage incorrect"
    )


def test_missing_column(tmp_path):
    lines = [line.rsplit(",", 1)[0] for line in lines_of("cog-communes.csv")]  # no COMPARENT
    directory = reference_dir(tmp_path, cog_communes_csv=lines)
    assert_refused(
        directory, "fichier cog-communes.csv", "ligne 1", "colonne « COMPARENT »", "absente"
    )


def test_wrong_separator_is_explained(tmp_path):
    lines = [line.replace(";", ",") for line in lines_of("insee-populations-communes.csv")]
    directory = reference_dir(tmp_path, insee_populations_communes_csv=lines)
    assert_refused(directory, "insee-populations-communes.csv", "ligne 1", "séparateur attendu")


def test_duplicate_code(tmp_path):
    lines = [*lines_of("cog-departements.csv"), "59,32,59350,2,NORD,Nord,Nord bis"]
    directory = reference_dir(tmp_path, cog_departements_csv=lines)
    assert_refused(
        directory,
        "fichier cog-departements.csv",
        "ligne 5",
        "colonne « DEP »",
        "en double (déjà ligne 3)",
    )


def test_duplicate_commune_code_of_the_same_kind(tmp_path):
    lines = [*lines_of("cog-communes.csv"), "COM,59350,32,59,59D,595,0,LILLE,Lille,Lille,5997,"]
    directory = reference_dir(tmp_path, cog_communes_csv=lines)
    assert_refused(directory, "cog-communes.csv", "ligne 9", "colonne « COM »", "en double")


def test_unknown_reference(tmp_path):
    lines = [COG_COMMUNES_HEADER, "COM,99001,32,99,,,0,NULLE PART,Nulle-Part,Nulle-Part,,"]
    directory = reference_dir(tmp_path, cog_communes_csv=lines)
    assert_refused(
        directory, "cog-communes.csv", "ligne 2", "colonne « DEP »", "département « 99 » inconnu"
    )


def test_unreadable_number(tmp_path):
    lines = lines_of("insee-populations-communes.csv")
    lines[3] = lines[3].replace("238246", "238 246")
    directory = reference_dir(tmp_path, insee_populations_communes_csv=lines)
    assert_refused(directory, "ligne 4", "colonne « PMUN »", "nombre entier positif attendu")


def test_missing_file(tmp_path):
    directory = reference_dir(tmp_path)
    (directory / "cog-regions.csv").unlink()
    assert_refused(directory, "fichier cog-regions.csv", "introuvable")


def test_refused_file_leaves_an_existing_territory_as_it_was(mini_reference, tmp_path):
    run(mini_reference)
    lines = [
        line.replace("Lille,Lille", "Lille-Changée,Lille-Changée")
        for line in lines_of("cog-communes.csv")
    ]
    lines.append("COM,59350,32,59,59D,595,0,LILLE,Lille,Lille,5997,")  # duplicate: refused
    directory = reference_dir(tmp_path / "bad", cog_communes_csv=lines)
    assert_refused(directory, "en double")
    assert Commune.objects.get(code="59350", kind="COM").name == "Lille"


def test_failure_while_writing_rolls_everything_back(mini_reference):
    """One transaction: regions written before a failure on communes are rolled back too."""
    with mock.patch.object(
        Commune.objects, "bulk_create", side_effect=RuntimeError("panne simulée")
    ):
        with pytest.raises(RuntimeError):
            run(mini_reference)
    assert Region.objects.count() == 0
    assert Department.objects.count() == 0
