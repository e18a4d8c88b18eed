"""The export writers over a published table: files open and say what they should."""

import csv
import io
import json
import zipfile

import openpyxl
import pypdf
import pytest

from entrepairs.observatory.charts import Point, series_chart
from entrepairs.observatory.exports import opendata, pdf, tabular
from entrepairs.observatory.exports.table import NOT_AVAILABLE, SECRET, Column, Table


def sample_table(code="personnes-par-region"):
    return Table(
        code=code,
        title="Personnes accompagnées par région",
        columns=[
            Column("region", "Région", "string"),
            Column("personnes", "Personnes accompagnées", "integer", "personnes"),
            Column("part_mieux_compris", "Se sentent mieux comprises", "number", "%"),
        ],
        rows=[
            ["Hauts-de-France", 240, 78.5],
            ["Bretagne", SECRET, SECRET],
            ["Corse", 0, NOT_AVAILABLE],
            ["Île-de-France, « Paris »", 1234, 61.0],
        ],
        period="2025",
        source="Entre Pairs",
        caveats=["Une personne accompagnée dans deux régions compte dans chacune."],
    )


DEFINITIONS = [
    tabular.Definition(
        code="persons",
        name="Personnes accompagnées",
        definition="Personnes distinctes rencontrées au moins une fois.",
        numerator="Personnes distinctes",
        unit="personnes",
        source="Rencontres tenues",
        levels="établissement, département, région, France",
        disclosure="Aucun effectif de 1 à 10",
        claim="« plus de 300 pairs »",
    )
]


def test_csv_reads_back_with_tokens_for_withheld_cells():
    rows = list(csv.reader(io.StringIO(tabular.table_csv(sample_table()).decode("utf-8"))))
    assert rows[0] == ["region", "personnes", "part_mieux_compris"]
    assert rows[1] == ["Hauts-de-France", "240", "78.5"]
    assert rows[2] == ["Bretagne", "secret", "secret"]
    assert rows[3] == ["Corse", "0", "nd"]
    assert rows[4][0] == "Île-de-France, « Paris »"  # quoted comma survives
    assert len(rows) == 5


def test_codebook_lists_every_column_and_the_tokens():
    rows = list(csv.DictReader(io.StringIO(tabular.codebook_csv([sample_table()]).decode())))
    columns = {(r["table"], r["colonne"]): r for r in rows}
    assert columns[("personnes-par-region", "personnes")]["unite"] == "personnes"
    assert columns[("personnes-par-region", "part_mieux_compris")]["type"] == "number"
    assert {r["colonne"] for r in rows if r["table"] == "*"} == {"secret", "nd"}


def test_xlsx_loads_back_with_its_codebook_and_definitions():
    tables = [sample_table(), sample_table("autre")]
    data = tabular.workbook_bytes(tables, DEFINITIONS, "Rapport national 2025")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames[0] == "Lisez-moi"
    assert "Codebook" in book.sheetnames and "Définitions" in book.sheetnames
    # Two tables with the same title get two distinct sheet names.
    table_sheets = book.sheetnames[1:3]
    assert len(set(table_sheets)) == 2 and all(len(n) <= 31 for n in table_sheets)
    sheet = book[table_sheets[0]]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=1, max_row=5)]
    assert values[0] == [
        "Région",
        "Personnes accompagnées (personnes)",
        "Se sentent mieux comprises (%)",
    ]
    assert values[1] == ["Hauts-de-France", 240, 78.5]
    assert values[2] == ["Bretagne", "secret statistique", "secret statistique"]
    assert values[3] == ["Corse", 0, "non disponible"]
    codebook = [[c.value for c in row] for row in book["Codebook"].iter_rows(min_row=2)]
    assert ["autre", "personnes", "Personnes accompagnées", "integer", "personnes", None] in [
        [v if v != "" else None for v in row] for row in codebook
    ]
    definitions = [[c.value for c in row] for row in book["Définitions"].iter_rows()]
    assert definitions[1][:2] == ["persons", "Personnes accompagnées"]
    readme = " ".join(str(c.value) for row in book["Lisez-moi"].iter_rows() for c in row)
    assert "Rapport national 2025" in readme and "moins de 11 personnes" in readme


def test_sheet_names_are_valid_for_excel():
    taken = set()
    names = [tabular.sheet_name("Tableau : a/b [c]* ?" + "x" * 40, taken) for _ in range(3)]
    assert len(set(names)) == 3
    for name in names:
        assert len(name) <= 31
        assert not set(name) & set("[]:*?/\\")


def test_open_data_bundle_is_a_valid_frictionless_package(tmp_path):
    frictionless = pytest.importorskip("frictionless")
    data = opendata.bundle(
        [sample_table(), sample_table("autre")],
        DEFINITIONS,
        "entre-pairs-national-2025",
        "Observatoire national 2025",
    )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path)
    assert names == {
        "datapackage.json",
        "data/personnes-par-region.csv",
        "data/autre.csv",
        "codebook.csv",
        "indicateurs.csv",
    }
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    assert descriptor["licenses"][0]["name"] == "etalab-2.0"
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldNumber", "type", "note"])
    # Withheld tokens are read as missing values, numbers as numbers.
    package = frictionless.Package(str(tmp_path / "datapackage.json"))
    rows = package.get_resource("personnes-par-region").read_rows()
    assert rows[0]["personnes"] == 240
    assert rows[1]["personnes"] is None and rows[1]["part_mieux_compris"] is None
    assert float(rows[0]["part_mieux_compris"]) == 78.5


def test_open_data_validator_catches_a_broken_file(tmp_path):
    """The validation above can fail: a number column holding text is an error."""
    frictionless = pytest.importorskip("frictionless")
    table = sample_table()
    table.rows[0][1] = "beaucoup"
    data = opendata.bundle([table], DEFINITIONS, "casse", "Cassé")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(tmp_path)
    assert not frictionless.validate(str(tmp_path / "datapackage.json")).valid


def test_open_data_refuses_bad_names_and_duplicate_tables():
    with pytest.raises(ValueError):
        opendata.bundle([sample_table()], [], "Pas Valide", "x")
    with pytest.raises(ValueError):
        opendata.bundle([sample_table(), sample_table()], [], "ok", "x")


def test_pdf_report_reads_back_with_its_sections_figures_and_caveats():
    chart = series_chart(
        [Point("2025-T1", 12), Point("2025-T2", SECRET), Point("2025-T3", 40)], "Personnes"
    )
    report = pdf.Report(
        title="Rapport annuel 2025 — France",
        subtitle="Observatoire de la pair-aidance",
        period="2025",
        sections=[
            pdf.ReportSection(
                "La voix des personnes",
                [
                    pdf.ReportItem(
                        "Personnes accompagnées",
                        headline="1 474 personnes",
                        chart_svg=chart,
                        table=sample_table(),
                        definition=DEFINITIONS[0],
                    )
                ],
            )
        ],
        caveats=["Les chiffres de 2025 sont provisoires."],
        source="Sources : Entre Pairs",
    )
    data = pdf.report_pdf(report)
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 3
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in (
        "Rapport annuel 2025",
        "La voix des personnes",
        "Personnes accompagnées",
        "Hauts-de-France",
        "secret statistique",
        "Définition : Personnes distinctes",
        "Précautions de lecture",
        "provisoires",
    ):
        assert expected in text, expected
    assert reader.metadata.title == "Rapport annuel 2025 — France"
