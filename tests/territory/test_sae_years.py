"""SAE over the years: any year's files, a column mapping per year, figures absent from a
year's form stored as "non déclaré", identity from the latest year, implausible values
flagged, and no SAE year written in the code or the templates."""

import re
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from entrepairs.territory.importers.sae_layouts import ALTERNATIVES, FIGURES, LAYOUTS
from entrepairs.territory.models import ContextFigures, Organisation

from .files import snapshot
from .sae_years import SAMPLE, derive, read, real_sample, sample_reference

pytestmark = pytest.mark.django_db

CMP_MERGED = {"NB_CMP_SEUL": ["NB_CMP_SEUL_PA", "NB_CMP_SEUL_PL"]}
PSYCHIATRISTS_MERGED = {"ETP_PKT": ["ETPSAL_PKT", "EFFLIB_PKT"]}


def run(**options):
    out = StringIO()
    call_command("import_sae", stdout=out, verbosity=0, **options)
    return out.getvalue()


@pytest.fixture
def reference(tmp_path):
    directory = sample_reference(tmp_path / "reference")
    call_command("import_territory", dir=directory, verbosity=0)
    return directory


def real_rows():
    """{(FI, DIS): real 2022 row} of the sample."""
    _header, psy, _id_header, _ids = real_sample()
    return {(row["FI"], row["DIS"]): row for row in psy}


def number(cell):
    return Decimal(cell.replace(",", ".")) if cell.strip() else None


def figures_of(year):
    return {
        (f.organisation.finess_et, f.discipline): f
        for f in ContextFigures.objects.filter(year=year).select_related("organisation")
    }


def test_real_2022_sample_imports_every_row_with_its_values(reference):
    output = run(dir=reference, year=2022)
    rows = real_rows()
    stored = figures_of(2022)
    assert set(stored) == set(rows)
    assert Organisation.objects.count() == SAMPLE
    for key, row in rows.items():
        f = stored[key]
        assert f.sectors == (int(row["NB_SECT"]) if row["NB_SECT"].strip() else None)
        assert f.psychologist_fte == number(row["ETP_PSY"])
        assert f.flags == {}
    assert "correspondance des colonnes : SAE 2022, vérifiée sur les fichiers réels" in output
    assert "ISO-8859-1 (Windows-1252), séparateur point-virgule" in output


def test_merged_columns_of_another_year_utf8_bom_comma(reference):
    """A 2023 file in the merged layout (one CMP column, one psychiatrists' column), written
    by a spreadsheet: UTF-8 with BOM, comma separator."""
    derive(
        reference,
        2023,
        merge=CMP_MERGED | PSYCHIATRISTS_MERGED,
        encoding="utf-8",
        delimiter=",",
        bom=True,
    )
    output = run(dir=reference, year=2023)
    rows, stored = real_rows(), figures_of(2023)
    assert set(stored) == set(rows)
    for key, row in rows.items():
        pa, pl = number(row["NB_CMP_SEUL_PA"]), number(row["NB_CMP_SEUL_PL"])
        expected = None if pa is None and pl is None else int((pa or 0) + (pl or 0))
        assert stored[key].cmp_count == expected, key
        sal, lib = number(row["ETPSAL_PKT"]), number(row["EFFLIB_PKT"])
        expected = None if sal is None and lib is None else (sal or 0) + (lib or 0)
        assert stored[key].psychiatrist_fte == expected, key
    assert "correspondance des colonnes : SAE 2023, non vérifiée" in output
    assert "UTF-8, séparateur virgule" in output
    assert "lu dans" not in output  # the file matches the 2023 layout: nothing to say
    # The name is read as UTF-8 (no "Ã©"), the BOM is not part of the first column.
    assert not Organisation.objects.filter(name__contains="Ã").exists()


def test_dropped_column_is_not_declared_with_a_status_not_zero(reference):
    derive(reference, 2021, drop=["FIL_AMB", "ETP_EDU"])
    output = run(dir=reference, year=2021)
    stored = figures_of(2021)
    assert len(stored) == len(real_rows())
    for f in stored.values():
        assert f.outpatient_active_file is None and f.educator_fte is None
        assert f.flags["outpatient_active_file"] == ContextFigures.NOT_IN_FORM
        assert f.flags["educator_fte"] == ContextFigures.NOT_IN_FORM
        assert "active_file" not in f.flags
    assert "file active exclusivement ambulatoire : colonne FIL_AMB absente du fichier" in output
    assert "chiffre « non déclaré » pour tous les établissements" in output


def test_renamed_column_found_through_the_known_alternatives(reference):
    # 2021 is documented with the 2022 layout; a file with the merged columns is still read.
    derive(reference, 2021, merge=CMP_MERGED, rename={"ETPSAL_PKT": "ETP_PKT"})
    output = run(dir=reference, year=2021)
    assert (
        "CMP : lu dans NB_CMP_SEUL (correspondance 2021 : NB_CMP_SEUL_PA + NB_CMP_SEUL_PL)"
        in output
    )
    assert "ETP de psychiatres : lu dans ETP_PKT" in output
    rows, stored = real_rows(), figures_of(2021)
    for key, row in rows.items():
        assert stored[key].psychiatrist_fte == number(row["ETPSAL_PKT"])


def test_year_without_layout_lowercase_header_tab_separated(reference):
    derive(reference, 2024, lower_header=True, delimiter="\t", merge=CMP_MERGED)
    output = run(dir=reference, year=2024)
    assert len(figures_of(2024)) == len(real_rows())
    assert "correspondance des colonnes : aucune (toutes les variantes connues)" in output
    assert "séparateur tabulation" in output


@pytest.mark.parametrize("order", [(2022, 2023), (2023, 2022)])
def test_identity_comes_from_the_latest_year_whatever_the_order(reference, order):
    _header, _psy, _id_header, ids = real_sample()
    renamed = ids[0]["fi"]
    moved = ids[1]["fi"]
    moved_to = ids[2]["COMINSEE"]  # another real commune of the sample

    def change(row):
        if row["fi"] == renamed:
            row["rs"] = "NOUVEAU NOM 2023"
        if row["fi"] == moved:
            row["COMINSEE"] = moved_to

    derive(reference, 2023, id_change=change)
    for year in order:
        run(dir=reference, year=year)
    org = Organisation.objects.get(finess_et=renamed)
    assert org.name == "NOUVEAU NOM 2023"
    assert org.sae_identity_year == 2023
    assert Organisation.objects.get(finess_et=moved).commune.code == moved_to
    assert ContextFigures.objects.filter(year=2022).count() == len(real_rows())
    assert ContextFigures.objects.filter(year=2023).count() == len(real_rows())
    assert Organisation.objects.count() == SAMPLE


def test_older_import_after_newer_says_identity_was_kept(reference):
    derive(reference, 2023)
    run(dir=reference, year=2023)
    output = run(dir=reference, year=2022)
    assert f"{SAMPLE} établissement(s) gardent le nom et la commune" in output


def test_implausible_values_are_kept_flagged_and_reported(reference):
    rows = real_rows()
    first = next(iter(rows))

    def change(row):
        if (row["FI"], row["DIS"]) == first:
            row["ETP_PSY"] = "1250"
            row["FIL_AMB"] = str(int(row["FIL_TOT"]) + 1)

    derive(reference, 2021, psy_change=change)
    output = run(dir=reference, year=2021)
    f = figures_of(2021)[first]
    assert f.psychologist_fte == Decimal("1250")
    assert f.flags["psychologist_fte"] == ContextFigures.IMPLAUSIBLE
    assert f.flags["outpatient_active_file"] == ContextFigures.IMPLAUSIBLE
    assert f"{first[0]} {first[1]}, ETP de psychologues (ETP_PSY) = 1\u202f250,00" in output
    assert "au-delà de 500 (borne de plausibilité)" in output
    assert "supérieure à la file active totale" in output
    others = [g for key, g in figures_of(2021).items() if key != first]
    assert all(g.flags == {} for g in others)


def test_real_2022_values_are_all_within_the_bounds():
    """The bounds are above every value of the real 2022 form (one row, one discipline)."""
    _header, rows = read("drees-sae-2022-psy.csv")
    for name, alternatives in ALTERNATIVES.items():
        columns = alternatives[0]
        for row in rows:
            total = sum(number(row[c]) or 0 for c in columns)
            assert total <= FIGURES[name].upper_bound, (name, row["FI"], total)


def test_files_chosen_by_path(reference, tmp_path):
    id_path, psy_path = derive(
        tmp_path, 2023, merge=CMP_MERGED, names=("formulaire-psy.csv", "annuaire.csv")
    )
    run(year=2023, id=id_path, psy=psy_path)
    assert len(figures_of(2023)) == len(real_rows())


def test_by_path_needs_both_files_and_the_year(reference):
    with pytest.raises(CommandError, match="--id et --psy"):
        run(id=reference / "drees-sae-2022-id.csv")
    with pytest.raises(CommandError, match="--year"):
        run(id=reference / "drees-sae-2022-id.csv", psy=reference / "drees-sae-2022-psy.csv")


def test_directory_imports_every_year_or_none(reference):
    derive(reference, 2023, merge=CMP_MERGED)
    output = run(dir=reference)
    assert "DREES SAE 2022" in output and "DREES SAE 2023" in output
    assert ContextFigures.objects.latest_year() == 2023
    # A broken year stops the whole import: the years read before it are not half-saved.
    ContextFigures.objects.all().delete()
    Organisation.objects.all().delete()

    def broken(row):
        row["ETP_PSY"] = "beaucoup"

    derive(reference, 2023, psy_change=broken)
    before = snapshot()
    with pytest.raises(CommandError, match="nombre décimal positif"):
        run(dir=reference)
    assert snapshot() == before


def test_empty_directory_says_what_files_it_expects(tmp_path):
    with pytest.raises(CommandError, match="drees-sae-<année>-id.csv"):
        run(dir=tmp_path)


def test_every_layout_names_every_figure():
    for year, layout in LAYOUTS.items():
        assert set(layout.figures) == set(FIGURES), year
        for name, columns in layout.figures.items():
            assert columns == () or columns in ALTERNATIVES[name], (year, name)


# --- no SAE year written in the code or the templates -------------------------------------

ROOT = Path(settings.BASE_DIR)
SAE_PAGES = [
    "templates/core/_sae_figures.html",
    "templates/core/_sources.html",
    "templates/core/legal.html",
    "templates/home/home_national_observer.html",
    "templates/home/home_regional_observer.html",
    "entrepairs/home/views.py",
    "entrepairs/territory/demo.py",
]
YEAR = re.compile(r"\b20[0-9]{2}\b")
SAE_NEAR_YEAR = re.compile(r"SAE[^\n]{0,40}?\b(?:19|20)[0-9]{2}\b|SAE_YEAR\s*=")


def test_no_year_literal_in_the_pages_that_show_sae_figures():
    for relative in SAE_PAGES:
        text = (ROOT / relative).read_text(encoding="utf-8")
        assert not YEAR.findall(text), (relative, YEAR.findall(text))


def test_no_sae_year_literal_anywhere_in_code_or_templates():
    allowed = {
        # The per-year mappings and their documentation are where years belong.
        "entrepairs/territory/importers/sae_layouts.py",
    }
    found = []
    for folder, pattern in (("templates", "*.html"), ("entrepairs", "*.py")):
        for path in (ROOT / folder).rglob(pattern):
            relative = str(path.relative_to(ROOT))
            if relative in allowed or "/migrations/" in relative:
                continue
            found += [(relative, m) for m in SAE_NEAR_YEAR.findall(path.read_text("utf-8"))]
    assert found == []
