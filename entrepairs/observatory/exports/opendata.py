"""The open-data bundle of the national figures: a zip of CSV files described by a Frictionless
data package (``datapackage.json``, Data Package v1 with Table Schema).

Layout: ``datapackage.json``, ``data/<table>.csv`` (one per published table),
``codebook.csv`` and ``indicateurs.csv`` (the definitions). Every numeric field declares the
tokens of withheld cells as missing values, so a validator reads ``secret`` and ``nd`` as
"no value" and never as a number.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Sequence

from django.utils import timezone

from .table import WITHHELD, Table
from .tabular import (
    ATTRIBUTION,
    CODEBOOK_HEADER,
    DEFINITION_FIELDS,
    Definition,
    codebook_csv,
    definitions_csv,
    table_csv,
)

LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
MISSING_VALUES = ["", *[marker.token for marker in WITHHELD]]
NAME = re.compile(r"^[a-z0-9._/-]+$")
# Fixed time inside the zip: the same figures give the same bytes.
ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def _field(code, type_, title, description="") -> dict:
    field = {"name": code, "type": type_, "title": title}
    if description:
        field["description"] = description
    return field


def _resource(name: str, path: str, title: str, fields: list[dict], description="") -> dict:
    if not NAME.match(name):
        raise ValueError(f"Nom de ressource invalide : {name!r}")
    resource = {
        "name": name,
        "path": path,
        "profile": "tabular-data-resource",
        "title": title,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {"fields": fields, "missingValues": MISSING_VALUES},
    }
    if description:
        resource["description"] = description
    return resource


def datapackage(
    tables: Sequence[Table], name: str, title: str, description: str = "", with_definitions=True
) -> dict:
    """The descriptor of the bundle (a dict ready for ``json.dumps``)."""
    if not NAME.match(name):
        raise ValueError(f"Nom de jeu de données invalide : {name!r}")
    resources = []
    for table in tables:
        fields = [
            _field(
                column.code,
                column.type,
                f"{column.label} ({column.unit})" if column.unit else column.label,
                column.description,
            )
            for column in table.columns
        ]
        notes = " ".join([table.period, table.source, *table.caveats, *table.footnotes]).strip()
        resources.append(
            _resource(table.code, f"data/{table.code}.csv", table.title, fields, notes)
        )
    resources.append(
        _resource(
            "codebook",
            "codebook.csv",
            "Dictionnaire des variables",
            [_field(header, "string", header) for header in CODEBOOK_HEADER],
        )
    )
    if with_definitions:
        resources.append(
            _resource(
                "indicateurs",
                "indicateurs.csv",
                "Définitions des indicateurs",
                [_field(header, "string", header) for _attr, header in DEFINITION_FIELDS],
            )
        )
    return {
        "profile": "tabular-data-package",
        "name": name,
        "title": title,
        "description": description,
        "licenses": [LICENCE],
        "contributors": [{"title": ATTRIBUTION, "role": "publisher"}],
        "created": timezone.now().replace(microsecond=0).isoformat(),
        "keywords": ["pair-aidance", "psychiatrie", "observatoire"],
        "resources": resources,
    }


def bundle(
    tables: Sequence[Table],
    definitions: Sequence[Definition],
    name: str,
    title: str,
    description: str = "",
) -> bytes:
    """The zip file (see the module docstring)."""
    codes = [table.code for table in tables]
    if len(set(codes)) != len(codes):
        raise ValueError("Deux tableaux portent le même code")
    descriptor = datapackage(tables, name, title, description)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def add(path, data: bytes):
            archive.writestr(zipfile.ZipInfo(path, ZIP_TIME), data, zipfile.ZIP_DEFLATED)

        add("datapackage.json", json.dumps(descriptor, ensure_ascii=False, indent=2).encode())
        for table in tables:
            add(f"data/{table.code}.csv", table_csv(table))
        add("codebook.csv", codebook_csv(tables))
        add("indicateurs.csv", definitions_csv(definitions))
    return buffer.getvalue()
