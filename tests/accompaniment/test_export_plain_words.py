"""Issue 11, point 17: the person's legal copy reads in plain French; the JSON keeps stable
keys and is described by a JSON Schema that every export validates against."""

import json
import re

import jsonschema
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from entrepairs.accompaniment.rights import export_schema
from entrepairs.core.roles import Role

from .test_rights import full_person

pytestmark = pytest.mark.django_db

RAW_KEYS = (
    "annee_de_naissance",
    "fiche_creee_le",
    "finalite",
    "Annee_de_naissance",
    "duree_minutes",
)


def _export(world, name, person, persona="peer_a"):
    return world.client(persona).get(reverse(f"accompaniment:{name}", args=[person.pk]))


def test_json_export_validates_against_its_published_schema(world):
    person = full_person(world)
    # Someone read the record: the access list holds a role.
    world.client("coordinator_a").get(reverse("accompaniment:person_detail", args=[person.pk]))
    data = json.loads(_export(world, "person_export_json", person).content)
    schema = json.loads(Client().get(reverse("accompaniment:person_export_schema")).content)
    assert schema == export_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    assert data["$schema"].endswith(reverse("accompaniment:person_export_schema"))
    # Stable keys: the first-level ones of the earlier exports are all still there.
    for key in ("personne", "consentements", "rencontres", "acces_au_dossier", "orientations"):
        assert key in data
    access = data["acces_au_dossier"][0]
    assert access["role"] in {str(label) for label in Role.labels} | {
        "la personne, depuis son espace"
    }
    assert access["role_code"] in Role.values + ["person", ""]


def test_every_role_code_is_in_the_schema():
    enum = export_schema()["properties"]["acces_au_dossier"]["items"]["properties"]["role_code"]
    assert set(Role.values) | {"person"} <= set(enum["enum"])


def test_timestamps_are_local_time_with_their_offset(world, settings):
    settings.TIME_ZONE = "Europe/Paris"
    person = full_person(world)
    data = json.loads(_export(world, "person_export_json", person).content)
    offset = timezone.localtime().strftime("%z")
    stamp = data["exporte_le"]
    assert stamp.endswith(f"{offset[:3]}:{offset[3:]}"), stamp
    assert all(not c["enregistre_le"].endswith("+00:00") for c in data["consentements"])


def test_printable_export_has_no_raw_field_name_nor_role_code(world):
    person = full_person(world)
    world.client("coordinator_a").get(reverse("accompaniment:person_detail", args=[person.pk]))
    page = _export(world, "person_export_html", person).content.decode()
    for raw in RAW_KEYS:
        assert raw not in page, raw
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", page)
    assert "coordinator" not in cells and "peer" not in cells
    assert "coordinateur·rice" in cells
    assert "Année de naissance" in page and "Pour quoi" in page
    # Dates in French, never ISO.
    assert not re.search(r">\s*\d{4}-\d{2}-\d{2}", page)


def test_pdf_export_uses_the_same_labels(world):
    person = full_person(world)
    pdf = _export(world, "person_export_pdf", person)
    assert pdf.content.startswith(b"%PDF")
    from entrepairs.accompaniment.rights import labelled_line

    line = labelled_line({"annee_de_naissance": 1980, "fiche_creee_le": "2026-01-02"}, "personne")
    assert line == "Année de naissance : 1980 ; Fiche créée le : 02/01/2026"
