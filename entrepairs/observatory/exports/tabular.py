"""CSV and XLSX files of published tables, with their codebook.

CSV: UTF-8 without BOM, comma-separated, a header of column codes, decimal point; a withheld
cell carries its token (``secret``: secret statistique, ``nd``: non disponible), explained in
the codebook. XLSX (openpyxl): a "Lisez-moi" sheet (period, source, caveats, what the tokens
mean), one sheet per table with French column titles, a "Codebook" sheet, and the indicator
definitions when given.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .table import WITHHELD, Table, Withheld, plain_value

ATTRIBUTION = "Entre Pairs — observatoire de la pair-aidance"
CODEBOOK_HEADER = ("table", "colonne", "libelle", "type", "unite", "description")
DEFINITION_FIELDS = (
    ("code", "code"),
    ("name", "nom"),
    ("definition", "definition"),
    ("numerator", "numerateur"),
    ("denominator", "denominateur"),
    ("unit", "unite"),
    ("source", "source"),
    ("levels", "niveaux"),
    ("disclosure", "regle_de_diffusion"),
    ("claim", "affirmation_de_l_article"),
)


@dataclass(frozen=True)
class Definition:
    """An indicator's definition as exports write it (from the catalogue)."""

    code: str
    name: str
    definition: str = ""
    numerator: str = ""
    denominator: str = ""
    unit: str = ""
    source: str = ""
    levels: str = ""
    disclosure: str = ""
    claim: str = ""

    def values(self) -> list[str]:
        return [str(getattr(self, attribute)) for attribute, _header in DEFINITION_FIELDS]


def _csv_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8")


def table_csv(table: Table) -> bytes:
    """One published table as CSV (see the module docstring for the format)."""
    return _csv_bytes(
        [column.code for column in table.columns],
        ([plain_value(value) for value in row] for row in table.rows),
    )


def codebook_rows(tables: Iterable[Table]) -> list[list[str]]:
    """One line per column of every table, then one per token of a withheld cell."""
    rows = []
    for table in tables:
        for column in table.columns:
            rows.append(
                [
                    table.code,
                    column.code,
                    column.label,
                    column.type,
                    column.unit,
                    column.description,
                ]
            )
    for marker in WITHHELD:
        rows.append(["*", marker.token, str(marker.label), "string", "", str(marker.explanation)])
    return rows


def codebook_csv(tables: Iterable[Table]) -> bytes:
    return _csv_bytes(CODEBOOK_HEADER, codebook_rows(tables))


def definitions_csv(definitions: Iterable[Definition]) -> bytes:
    return _csv_bytes(
        [header for _attribute, header in DEFINITION_FIELDS], (d.values() for d in definitions)
    )


# -- XLSX -----------------------------------------------------------------------------------

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_WITHHELD_FONT = Font(italic=True, color="595959")
_HEADER_FILL = PatternFill("solid", fgColor="DCE6F0")
_WRAP = Alignment(wrap_text=True, vertical="top")
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_name(title: str, taken: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of ``[]:*?/\\``, unique."""
    base = _FORBIDDEN.sub(" ", title).strip()[:31] or "Tableau"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def _write_rows(sheet, header, rows, widths=None):
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.alignment = _WRAP
    for row in rows:
        sheet.append(list(row))
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def workbook_bytes(
    tables: Sequence[Table], definitions: Sequence[Definition] = (), title: str = ""
) -> bytes:
    """The tables as one XLSX workbook (see the module docstring)."""
    workbook = Workbook()
    readme = workbook.active
    readme.title = _("Lisez-moi")
    readme.append([title or ATTRIBUTION])
    readme["A1"].font = _TITLE
    readme.append([_("Édité le %(date)s") % {"date": timezone.localdate().strftime("%d/%m/%Y")}])
    readme.append([])
    readme.append(
        [
            _(
                "Chiffres publiés après le contrôle du secret statistique : aucun effectif de 1 à "
                "10 personnes, aucune moyenne ou proportion calculée sur moins de 11 personnes, "
                "et aucune case masquée ne peut être recalculée à partir des autres tableaux."
            )
        ]
    )
    for marker in WITHHELD:
        readme.append([f"« {marker.label} » : {marker.explanation}"])
    readme.append([])
    readme.append([_("Tableaux"), _("Période"), _("Source"), _("Précautions de lecture")])
    for cell in readme[readme.max_row]:
        cell.font = _BOLD
    taken = {readme.title.lower(), "codebook", "définitions"}
    names = [sheet_name(table.title, taken) for table in tables]
    for table, name in zip(tables, names, strict=True):
        readme.append(
            [name, table.period, table.source, " ".join([*table.caveats, *table.footnotes])]
        )
    readme.column_dimensions["A"].width = 40
    for letter in "BCD":
        readme.column_dimensions[letter].width = 30

    for table, name in zip(tables, names, strict=True):
        sheet = workbook.create_sheet(name)
        header = [
            f"{column.label} ({column.unit})" if column.unit else column.label
            for column in table.columns
        ]
        _write_rows(sheet, header, [], widths=[max(12, min(45, len(h) + 2)) for h in header])
        for row in table.rows:
            sheet.append([str(v.label) if isinstance(v, Withheld) else plain_value(v) for v in row])
            for cell, value, column in zip(sheet[sheet.max_row], row, table.columns, strict=True):
                if isinstance(value, Withheld):
                    cell.font = _WITHHELD_FONT
                    cell.alignment = Alignment(horizontal="right")
                elif column.type == "integer":
                    cell.number_format = "#,##0"
                elif column.type == "number":
                    cell.number_format = "0.0"
        if table.caveats or table.footnotes:
            sheet.append([])
            for note in [*table.caveats, *table.footnotes]:
                sheet.append([note])

    codebook = workbook.create_sheet("Codebook")
    _write_rows(codebook, CODEBOOK_HEADER, codebook_rows(tables), widths=[22, 22, 40, 10, 12, 60])
    if definitions:
        sheet = workbook.create_sheet(_("Définitions"))
        _write_rows(
            sheet,
            [header for _a, header in DEFINITION_FIELDS],
            (d.values() for d in definitions),
            widths=[16, 36, 60, 40, 40, 12, 30, 24, 40, 50],
        )
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = _WRAP
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
