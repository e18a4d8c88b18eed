"""Exports through the pages: files open, contain published figures only, are logged, and
refuse periods that are not published. The public Définitions page and its CSV."""

import csv
import io
import json
import zipfile

import openpyxl
import pypdf
import pytest
from django.urls import reverse
from django.utils.html import escape

from entrepairs.core.models import AccessEvent, Action
from entrepairs.observatory import published as published_api
from entrepairs.observatory.models import Publication
from entrepairs.observatory.periods import Period

from .published_rows import publish_world

pytestmark = pytest.mark.django_db

YEAR = Period.year(2025)


@pytest.fixture
def published(world):
    for period in (YEAR, Period.quarter(2025, 1)):
        publish_world(world, period)
    return world


def download(world, persona, name, *args, **query):
    response = world.client(persona).get(reverse(f"observatory:{name}", args=args), query)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Disposition"].startswith("attachment;")
    return response


def test_csv_of_one_indicator_reads_back_with_secret_tokens(published):
    response = download(published, "regional_observer", "regional_csv", "personnes_accompagnees")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    by_code = {row["code_territoire"]: row for row in rows}
    assert by_code["32"]["total"] == "40"
    assert by_code[str(published.org_a.pk)]["total"] == "12"
    assert by_code[str(published.org_b.pk)]["total"] == "secret"  # hidden, never a number
    assert "29" not in by_code  # another region's département


def test_xlsx_has_every_indicator_a_codebook_and_the_definitions(published):
    response = download(published, "national_observer", "national_xlsx", periode="2025")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert {"Lisez-moi", "Codebook", "Définitions"} <= set(book.sheetnames)
    indicators = [i for i in published_api.catalogue() if "nation" in i.levels]
    assert len(book.sheetnames) == len(indicators) + 3
    definitions = [row[0].value for row in book["Définitions"].iter_rows(min_row=2)]
    assert definitions == [i.code for i in published_api.catalogue()]


def test_pdf_report_of_the_nation_reads_back(published):
    response = download(published, "national_observer", "national_pdf", periode="2025")
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Rapport annuel 2025" in text
    assert "Personnes accompagnées" in text
    assert "Précautions de lecture" in text
    assert "Définition" in text


def test_pdf_report_of_an_establishment_shows_published_figures_to_its_coordinator(published):
    """The coordinator sees unprotected figures on the page, never in the report."""
    response = download(published, "coordinator_b", "etablissement_pdf", periode="2025")
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert "CH Bêta" in text
    assert "secret statistique" in text  # org B's hidden persons stay hidden


def test_report_is_annual_and_periods_must_be_published(published):
    client = published.client("national_observer")
    quarter = client.get(reverse("observatory:national_pdf"), {"periode": "2025-T1"})
    assert quarter.status_code == 400
    assert "année" in quarter.content.decode()
    for name in ("national_xlsx", "national_open_data"):
        for bad in ("2019", "2025-T4", "n'importe quoi", "9" * 400):
            response = client.get(reverse(f"observatory:{name}"), {"periode": bad})
            assert response.status_code == 400, (name, bad)


def test_no_export_before_anything_is_published(world):
    response = world.client("national_observer").get(reverse("observatory:national_xlsx"))
    assert response.status_code == 400
    assert "publiée" in response.content.decode()


def test_open_data_bundle_validates_as_a_frictionless_package(published, tmp_path):
    frictionless = pytest.importorskip("frictionless")
    response = download(published, "national_observer", "national_open_data", periode="2025")
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        archive.extractall(tmp_path)
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    assert descriptor["name"] == "entre-pairs-observatoire-france-2025"
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldNumber", "type", "note"])
    # National and regional rows only: no establishment, no département.
    package = frictionless.Package(str(tmp_path / "datapackage.json"))
    resource = next(r for r in package.resources if r.name.startswith("personnes-accompagnees"))
    levels = {row["niveau"] for row in resource.read_rows()}
    assert levels == {"France", "région"}


def test_exports_are_logged_as_exports_of_the_publication(published):
    before = AccessEvent.objects.filter(action=Action.EXPORT).count()
    download(published, "national_observer", "national_xlsx", periode="2025")
    download(published, "director_a", "etablissement_csv", "pairs", periode="2025")
    events = AccessEvent.objects.filter(action=Action.EXPORT).order_by("pk")[before:]
    assert len(events) == 2
    publication = Publication.objects.get(period_kind="year", period_start=YEAR.start)
    assert all(e.object_type == "observatory.publication" for e in events)
    assert all(e.object_ids == [publication.pk] for e in events)
    assert events[1].role == "director"


def test_definitions_page_has_one_anchor_per_indicator(client, db):
    response = client.get(reverse("observatory:definitions"))
    assert response.status_code == 200
    html = response.content.decode()
    for indicator in published_api.catalogue():
        assert f'id="{indicator.code}"' in html
        assert escape(indicator.claim) in html
        assert escape(indicator.definition) in html
    for label in ("Numérateur", "Dénominateur", "Unité", "Source", "Niveaux", "Règle de diffusion"):
        assert label in html


def test_definitions_csv_lists_the_catalogue(client, db):
    response = client.get(reverse("observatory:definitions_csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["code"] for row in rows] == [i.code for i in published_api.catalogue()]
    assert all(row["regle_de_diffusion"] for row in rows)
