"""import_sectors: a real sector ↔ commune file from an ARS."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from entrepairs.territory.models import Commune, Organisation, Sector
from tests.factories import SectorFactory

from .files import snapshot, write

pytestmark = pytest.mark.django_db

HEADER = "code_secteur;discipline;finess_et;code_commune"
GOOD = [
    HEADER,
    "59G21;GEN;590000782;59350",
    "59G21;GEN;590000782;59009",
    "59I03;INF;590000782;59350",
    "2AG01;GEN;2A0000287;2A004",
]


def run(path):
    out = StringIO()
    call_command("import_sectors", str(path), stdout=out, verbosity=0)
    return out.getvalue()


def communes_of(code):
    return set(Sector.objects.get(code=code).communes.values_list("code", flat=True))


def test_creates_real_sectors_with_their_communes(mini_territory, tmp_path):
    output = run(write(tmp_path / "secteurs.csv", GOOD))
    sector = Sector.objects.get(code="59G21")
    assert (sector.discipline, sector.organisation.finess_et, sector.is_demo) == (
        "GEN",
        "590000782",
        False,
    )
    assert communes_of("59G21") == {"59350", "59009"}
    assert communes_of("59I03") == {"59350"}
    assert communes_of("2AG01") == {"2A004"}
    assert "secteurs : 3 créé(s)" in output
    assert "4 ajoutée(s)" in output


def test_second_run_changes_nothing_and_a_new_file_replaces_the_communes(mini_territory, tmp_path):
    path = write(tmp_path / "secteurs.csv", GOOD)
    run(path)
    before = snapshot()
    assert "secteurs : 0 créé(s), 0 mis à jour, 3 inchangé(s)" in run(path)
    assert snapshot() == before

    write(path, [HEADER, "59G21;GEN;590000782;59009", "59G21;GEN;590000782;75101"])
    output = run(path)
    assert communes_of("59G21") == {"59009", "75101"}  # Lille removed, an arrondissement added
    assert communes_of("59I03") == {"59350"}  # not in the file: left as it was
    assert "secteurs : 0 créé(s), 1 mis à jour" in output
    assert "1 ajoutée(s), 1 retirée(s)" in output


def test_a_real_sector_replaces_a_demo_sector_of_the_same_code(mini_territory, tmp_path):
    demo = SectorFactory(code="59G21", is_demo=True)
    demo.communes.add(Commune.objects.get(code="2A004"))
    output = run(write(tmp_path / "secteurs.csv", GOOD))
    sector = Sector.objects.get(code="59G21")
    assert sector.pk == demo.pk
    assert sector.is_demo is False
    assert sector.organisation == Organisation.objects.get(finess_et="590000782")
    assert communes_of("59G21") == {"59350", "59009"}
    assert "1 secteur(s) de démonstration remplacé(s)" in output


def test_accepts_a_byte_order_mark(mini_territory, tmp_path):
    path = tmp_path / "secteurs.csv"
    path.write_bytes(b"\xef\xbb\xbf" + ("\r\n".join(GOOD) + "\r\n").encode())
    run(path)
    assert Sector.objects.count() == 3


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([HEADER, "59G21;GEN;590000782;59350"], None),
        (
            ["code_secteur;discipline;finess_et", "59G21;GEN;590000782"],
            ("ligne 1", "colonne « code_commune »", "absente"),
        ),
        (
            [HEADER.replace(";", ","), "59G21,GEN,590000782,59350"],
            ("ligne 1", "séparateur attendu : « ; »"),
        ),
        (
            [HEADER, "59G21;GEN;590000782;59350", "59G21;GEN;590000782;59350"],
            ("ligne 3", "colonne « code_commune »", "en double (déjà ligne 2)"),
        ),
        (
            [HEADER, "59G21;GEN;59000078;59350"],
            ("ligne 2", "colonne « finess_et »", "FINESS invalide"),
        ),
        (
            [HEADER, "59G21;GEN;590000999;59350"],
            ("ligne 2", "colonne « finess_et »", "590000999 inconnu"),
        ),
        (
            [HEADER, "59G21;GEN;590000782;59350", "59G21;GEN;590000782;59998"],
            ("ligne 3", "colonne « code_commune »", "59998"),
        ),
        (
            [HEADER, "59G21;ADO;590000782;59350"],
            ("ligne 2", "colonne « discipline »", "GEN, INF, PEN"),
        ),
        (
            [HEADER, "59G21;GEN;590000782;59350", "59G21;INF;590000782;59009"],
            ("ligne 3", "colonne « discipline »", "la ligne 2 indique « GEN »"),
        ),
        (
            [HEADER, "59G21;GEN;590000782;59350", "59G21;GEN;2A0000287;59009"],
            ("ligne 3", "colonne « finess_et »", "établissement différent"),
        ),
        (
            [HEADER, "SECTEUR TROP LONG;GEN;590000782;59350"],
            ("ligne 2", "colonne « code_secteur »"),
        ),
        ([HEADER], ("aucune ligne de données",)),
    ],
)
def test_bad_files_are_refused_with_file_line_and_column(mini_territory, tmp_path, lines, expected):
    path = write(tmp_path / "secteurs-ars.csv", lines)
    if expected is None:  # the control case: the same file without the defect is accepted
        run(path)
        assert Sector.objects.count() == 1
        return
    before = snapshot()
    with pytest.raises(CommandError) as error:
        run(path)
    message = str(error.value)
    assert "fichier secteurs-ars.csv" in message
    for part in expected:
        assert part in message, message
    assert snapshot() == before


def test_wrong_encoding_is_refused(mini_territory, tmp_path):
    path = write(tmp_path / "secteurs.csv", [*GOOD, "59G22;GEN;590000782;59350é"], "cp1252")
    before = snapshot()
    with pytest.raises(CommandError, match=r"ligne 6, colonne « code_commune ».*encodage"):
        run(path)
    assert snapshot() == before


def test_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="introuvable"):
        run(tmp_path / "absent.csv")
