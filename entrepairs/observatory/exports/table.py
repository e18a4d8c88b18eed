"""The neutral shape every export writer reads: a titled table of published figures.

Pages, CSV, XLSX, PDF and the open-data bundle all write the same ``Table``: its columns carry
their label, unit and type (the codebook is made from them), its rows carry values already
protected by the publishing step. A value is a number, a text, or a ``Withheld`` marker that
says why no figure is given (disclosure control, or not available). Nothing here computes or
protects a figure: it only writes what was published.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Withheld:
    """A cell that is not published. ``token`` is what CSV files carry in its place."""

    token: str
    label: str
    explanation: str

    def __str__(self) -> str:
        return str(self.label)


# One marker for every figure hidden by disclosure control: telling the primary cells (1 to
# 10) from the secondary ones would tell which hidden cells are 0 or at least 11.
SECRET = Withheld(
    "secret",
    _("secret statistique"),
    _(
        "Masqué : moins de 11 personnes, ou case masquée pour qu'aucune autre ne puisse "
        "être recalculée."
    ),
)
NOT_AVAILABLE = Withheld(
    "nd",
    _("non disponible"),
    _("Non disponible : la donnée n'existe pas pour cette période ou ce territoire."),
)
WITHHELD = (SECRET, NOT_AVAILABLE)

# Table Schema types a column may have (https://specs.frictionlessdata.io/table-schema/).
COLUMN_TYPES = ("string", "integer", "number", "date", "year")


@dataclass(frozen=True)
class Column:
    """One column: ``code`` is its machine name (CSV header), ``label`` its French title."""

    code: str
    label: str
    type: str = "integer"
    unit: str = ""
    description: str = ""

    def __post_init__(self):
        if self.type not in COLUMN_TYPES:
            raise ValueError(f"Type de colonne inconnu : {self.type}")

    @property
    def is_numeric(self) -> bool:
        return self.type in ("integer", "number")


@dataclass
class Table:
    """A published table. ``code`` names its files (``[a-z0-9-]``)."""

    code: str
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    period: str = ""
    source: str = ""
    caveats: list[str] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)

    def __post_init__(self):
        width = len(self.columns)
        for row in self.rows:
            if len(row) != width:
                raise ValueError(f"Ligne de {len(row)} valeurs pour {width} colonnes : {row!r}")

    @property
    def withheld_count(self) -> int:
        return sum(isinstance(value, Withheld) for row in self.rows for value in row)

    def records(self):
        """Rows as ``{column code: value}``."""
        codes = [column.code for column in self.columns]
        return [dict(zip(codes, row, strict=True)) for row in self.rows]


def plain_value(value):
    """A cell as a CSV/XLSX writes it: numbers as numbers, a withheld cell as its token."""
    if isinstance(value, Withheld):
        return value.token
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    return value


def display_value(value, column: Column | None = None) -> str:
    """A cell as a French reader reads it (decimal comma, unit)."""
    if isinstance(value, Withheld):
        return str(value.label)
    if value is None:
        return ""
    if isinstance(value, float | Decimal):
        text = f"{float(value):.1f}".replace(".", ",")
    elif isinstance(value, int):
        text = f"{value:,}".replace(",", "\u202f")
    else:
        return str(value)
    if column is not None and column.unit == "%":
        return f"{text}\u202f%"
    return text
