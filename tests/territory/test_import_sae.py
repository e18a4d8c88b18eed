"""import_sae: SAE psychiatry establishments and their yearly figures per discipline."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from entrepairs.territory.models import ContextFigures, Organisation

from .files import lines_of, snapshot, write

pytestmark = pytest.mark.django_db


def run(directory, **options):
    out = StringIO()
    call_command("import_sae", dir=directory, stdout=out, verbosity=0, **options)
    return out.getvalue()


@pytest.fixture
def territory(mini_reference):
    call_command("import_territory", dir=mini_reference, verbosity=0)
    return mini_reference


def test_one_organisation_per_establishment_with_psychiatry(territory):
    output = run(territory)
    assert set(Organisation.objects.values_list("finess_et", flat=True)) == {
        "590000782",
        "2A0000287",
    }
    epsm = Organisation.objects.get(finess_et="590000782")
    assert epsm.kind == Organisation.Kind.HEALTH_ESTABLISHMENT
    assert epsm.name == "EPSM LILLE MÉTROPOLE"  # read as ISO-8859-1
    assert (epsm.finess_ej, epsm.sae_category) == ("590000766", "292")
    assert (epsm.region.code, epsm.department.code, epsm.commune.code) == ("32", "59", "59350")
    corsica = Organisation.objects.get(finess_et="2A0000287")
    assert corsica.department.code == "2A"
    assert "établissements : 2 créé(s)" in output
    assert "1 établissement(s) de l'annuaire sans formulaire psychiatrie" in output


def test_figures_per_discipline_keep_not_reported_as_none(territory):
    run(territory)
    gen = ContextFigures.objects.get(organisation__finess_et="590000782", discipline="GEN")
    assert (gen.year, gen.sectors, gen.full_time_beds, gen.day_places) == (2022, 9, 250, 80)
    assert gen.cmp_count == 12  # NB_CMP_SEUL_PA empty + NB_CMP_SEUL_PL 12
    assert (gen.cattp_count, gen.active_file, gen.outpatient_active_file) == (10, 20000, 15000)
    assert gen.nurse_fte == Decimal("300.50")
    assert gen.psychologist_fte == Decimal("40.25")
    assert gen.psychiatrist_fte == Decimal("35.70")
    inf = ContextFigures.objects.get(organisation__finess_et="590000782", discipline="INF")
    assert inf.full_time_beds is None  # empty cell: not reported, not zero
    assert inf.cmp_count == 2
    assert inf.educator_fte is None
    tot = ContextFigures.objects.get(organisation__finess_et="590000782", discipline="TOT")
    assert tot.cmp_count is None  # both CMP cells empty
    assert tot.active_file is None
    assert ContextFigures.objects.count() == 4
    assert set(ContextFigures.objects.values_list("source", flat=True)) == {"DREES SAE 2022"}


def test_second_run_creates_nothing(territory):
    run(territory)
    before = snapshot()
    output = run(territory)
    assert "établissements : 0 créé(s), 0 mis à jour, 2 inchangé(s)" in output
    assert "0 créé(s), 0 mis à jour, 4 inchangé(s)" in output
    assert snapshot() == before


def test_changed_figure_is_updated_in_place(territory):
    run(territory)
    lines = lines_of("drees-sae-2022-psy.csv")
    lines[1] = lines[1].replace(";9;250;", ";10;250;")
    write(territory / "drees-sae-2022-psy.csv", lines, encoding="iso-8859-1")
    output = run(territory)
    assert "1 mis à jour" in output
    figures = ContextFigures.objects.get(organisation__finess_et="590000782", discipline="GEN")
    assert figures.sectors == 10
    assert ContextFigures.objects.count() == 4


def test_another_year_is_loaded_beside(territory):
    run(territory)
    for name in ("drees-sae-2022-id.csv", "drees-sae-2022-psy.csv"):
        lines = [line.replace(";2022;", ";2023;") for line in lines_of(name)]
        write(territory / name.replace("2022", "2023"), lines, encoding="iso-8859-1")
    run(territory, year=2023)
    assert ContextFigures.objects.filter(year=2022).count() == 4
    assert ContextFigures.objects.filter(year=2023).count() == 4
    assert Organisation.objects.count() == 2


def assert_refused(directory, *expected, **options):
    before = snapshot()
    with pytest.raises(CommandError) as error:
        run(directory, **options)
    message = str(error.value)
    assert "la base n'a pas été modifiée" in message
    for part in expected:
        assert part in message, message
    assert snapshot() == before
    return message


def test_utf8_file_is_read_as_utf8(territory):
    # The encoding is recognised (DREES and spreadsheets write both): no mojibake.
    write(territory / "drees-sae-2022-id.csv", lines_of("drees-sae-2022-id.csv"), "utf-8")
    run(territory)
    assert Organisation.objects.get(finess_et="590000782").name == "EPSM LILLE MÉTROPOLE"


def test_missing_key_column(territory):
    lines = [line.replace(";DIS;", ";DISCIPLINE;") for line in lines_of("drees-sae-2022-psy.csv")]
    write(territory / "drees-sae-2022-psy.csv", lines, encoding="iso-8859-1")
    assert_refused(territory, "drees-sae-2022-psy.csv", "ligne 1", "colonne « DIS »")


def test_control_character_is_refused(territory):
    lines = lines_of("drees-sae-2022-psy.csv")
    lines[1] = lines[1].replace("EPSM LILLE", "EPSM\x01LILLE")
    write(territory / "drees-sae-2022-psy.csv", lines, encoding="iso-8859-1")
    assert_refused(territory, "ligne 2", "colonne « RS »", "caractère de contrôle")


def test_duplicate_establishment_discipline(territory):
    lines = lines_of("drees-sae-2022-psy.csv")
    write(territory / "drees-sae-2022-psy.csv", [*lines, lines[1]], encoding="iso-8859-1")
    assert_refused(territory, "ligne 6", "colonne « DIS »", "en double (déjà ligne 2)")


def test_invalid_finess(territory):
    lines = lines_of("drees-sae-2022-psy.csv")
    lines[4] = lines[4].replace("PSY;2022;2A0000287", "PSY;2022;2C0000287")
    write(territory / "drees-sae-2022-psy.csv", lines, encoding="iso-8859-1")
    assert_refused(territory, "ligne 5", "colonne « FI »", "2C0000287", "FINESS invalide")


def test_establishment_missing_from_directory(territory):
    lines = lines_of("drees-sae-2022-id.csv")
    write(territory / "drees-sae-2022-id.csv", lines[:2], encoding="iso-8859-1")
    assert_refused(
        territory, "drees-sae-2022-psy.csv", "ligne 5", "colonne « FI »", "2A0000287 absent"
    )


def test_unknown_commune(territory):
    lines = [
        line.replace(";59350;LILLE", ";59998;LILLE") for line in lines_of("drees-sae-2022-id.csv")
    ]
    write(territory / "drees-sae-2022-id.csv", lines, encoding="iso-8859-1")
    assert_refused(territory, "drees-sae-2022-id.csv", "ligne 2", "colonne « COMINSEE »", "59998")


def test_negative_or_text_figure(territory):
    lines = lines_of("drees-sae-2022-psy.csv")
    lines[1] = lines[1].replace(";300.5;", ";-3;")
    write(territory / "drees-sae-2022-psy.csv", lines, encoding="iso-8859-1")
    assert_refused(territory, "ligne 2", "colonne « ETP_INF »", "nombre décimal positif")


def test_year_must_match_the_an_column(territory):
    for name in ("drees-sae-2023-id.csv", "drees-sae-2023-psy.csv"):
        write(territory / name, lines_of(name.replace("2023", "2022")), encoding="iso-8859-1")
    assert_refused(territory, "drees-sae-2023-psy.csv", "colonne « AN »", year=2023)


def test_territory_must_be_imported_first(mini_reference):
    with pytest.raises(CommandError, match="lancez d'abord « manage.py import_territory »"):
        run(mini_reference)
    assert Organisation.objects.count() == 0


def test_comma_decimal_separator_is_read(territory):
    lines = lines_of("drees-sae-2022-psy.csv")
    lines[1] = lines[1].replace(";300.5;", ";300,5;")
    write(territory / "drees-sae-2022-psy.csv", lines, encoding="iso-8859-1")
    run(territory)
    figures = ContextFigures.objects.get(organisation__finess_et="590000782", discipline="GEN")
    assert figures.nurse_fte == Decimal("300.50")
