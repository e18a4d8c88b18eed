"""Reading reference CSV files strictly: expected encoding, expected columns, precise errors.

Every problem names the file, the line (1 = header) and the column, in French, so that
whoever prepared the file can fix it. Importers read and validate everything first, then
write in one transaction: a file with any problem changes nothing in the database.
"""

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from entrepairs.territory.models import validate_finess

# Beyond this many problems, listing more does not help whoever fixes the file.
MAX_PROBLEMS = 20

INTEGER = re.compile(r"[0-9]+")
DECIMAL = re.compile(r"[0-9]+(?:[.,][0-9]+)?")
# What the columns hold (PositiveIntegerField; DecimalField(max_digits=9, decimal_places=2)).
MAX_INTEGER = 2_147_483_647
MAX_DECIMAL = Decimal("9999999.99")
ENCODING_LABELS = {"utf-8": "UTF-8", "iso-8859-1": "ISO-8859-1 (Latin-1)"}


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self):
        where = f"fichier {self.file}"
        if self.line:
            where += f", ligne {self.line}"
        if self.column:
            where += f", colonne « {self.column} »"
        return f"{where} : {self.message}"


class ImportAborted(Exception):
    """The import cannot run; nothing has been written. The message is French, for the user."""


class ImportFileError(ImportAborted):
    """One or more problems in the files; nothing has been written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(str(self))

    def __str__(self):
        shown = self.problems[:MAX_PROBLEMS]
        lines = [
            f"Import interrompu, la base n'a pas été modifiée ({len(self.problems)} erreur(s)) :"
        ]
        lines += [f"  - {problem}" for problem in shown]
        if len(self.problems) > MAX_PROBLEMS:
            lines.append(f"  - … et {len(self.problems) - MAX_PROBLEMS} autre(s)")
        return "\n".join(lines)


class CellError(Exception):
    """A value that cannot be read; raised by Row helpers, recorded by CsvFile.records()."""

    def __init__(self, column: str | None, message: str):
        self.column = column
        self.message = message
        super().__init__(message)


@dataclass
class Row:
    line: int
    values: dict[str, str]

    def text(self, column: str, *, required: bool = True, max_length: int | None = None) -> str:
        value = self.values[column].strip()
        if required and not value:
            raise CellError(column, "valeur obligatoire manquante")
        if max_length and len(value) > max_length:
            raise CellError(
                column, f"valeur trop longue ({len(value)} caractères, {max_length} au plus)"
            )
        return value

    def choice(self, column: str, choices) -> str:
        value = self.text(column)
        if value not in choices:
            allowed = ", ".join(choices)
            raise CellError(column, f"valeur « {value} » inconnue (attendu : {allowed})")
        return value

    def integer(self, column: str) -> int | None:
        """A non-negative integer; an empty cell is None ("not reported"), never 0."""
        value = self.values[column].strip()
        if not value:
            return None
        if not INTEGER.fullmatch(value):
            raise CellError(column, f"nombre entier positif attendu, lu « {value} »")
        if int(value) > MAX_INTEGER:
            raise CellError(column, f"nombre trop grand : « {value} »")
        return int(value)

    def decimal(self, column: str) -> Decimal | None:
        """A non-negative decimal, with "." or "," as separator; empty is None."""
        value = self.values[column].strip()
        if not value:
            return None
        if not DECIMAL.fullmatch(value):
            raise CellError(column, f"nombre décimal positif attendu, lu « {value} »")
        number = Decimal(value.replace(",", ".")).quantize(Decimal("0.01"))
        if number > MAX_DECIMAL:
            raise CellError(column, f"nombre trop grand : « {value} »")
        return number

    def finess(self, column: str, *, required: bool = True) -> str:
        value = self.text(column, required=required).upper()
        try:
            validate_finess(value)
        except ValidationError as exc:
            raise CellError(column, f"« {value} » : {exc.messages[0]}") from None
        return value

    def matching(self, column: str, pattern: re.Pattern, expected: str) -> str:
        value = self.text(column).upper()
        if not pattern.fullmatch(value):
            raise CellError(column, f"« {value} » n'est pas {expected}")
        return value


@dataclass
class CsvFile:
    """A CSV file read in full, with its encoding and header checked.

    ``required`` lists the columns the importer reads; other columns are ignored.
    ``encoding="auto"``: UTF-8 (with or without a byte-order mark) when the bytes are valid
    UTF-8, else Windows-1252 (ISO-8859-1 in practice); ``delimiter="auto"``: the one of
    ``;``, ``,`` and tab the header uses most; ``fold_case``: column names compared in upper
    case (``Row.values`` keys are then upper case).
    """

    path: Path
    encoding: str
    delimiter: str
    required: list[str]
    problems: list[Problem] = field(default_factory=list)
    fold_case: bool = False

    def __post_init__(self):
        self.path = Path(self.path)
        self.name = self.path.name
        self.header: list[str] = []
        self._text = self._decode()
        if self.delimiter == "auto":
            first = self._text.split("\n", 1)[0]
            self.delimiter = max(";,\t", key=first.count)
        self._rows = list(self._parse())

    def __len__(self):
        return len(self._rows)

    # --- problems -----------------------------------------------------------------------

    @property
    def full(self) -> bool:
        """Enough problems to stop reading: the first ones are what needs fixing."""
        return len(self.problems) >= MAX_PROBLEMS

    def problem(self, line: int | None, column: str | None, message: str):
        self.problems.append(Problem(self.name, line, column, message))

    def fail(self, line: int | None, column: str | None, message: str):
        raise ImportFileError([Problem(self.name, line, column, message)])

    def raise_if_problems(self):
        if self.problems:
            raise ImportFileError(sorted(self.problems, key=lambda p: p.line or 0))

    # --- reading --------------------------------------------------------------------------

    def _decode(self) -> str:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            self.fail(None, None, "fichier introuvable")
        except OSError as exc:
            self.fail(None, None, f"lecture impossible ({exc.strerror})")
        if self.encoding == "auto":
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                self.encoding = "iso-8859-1"
            else:
                self.encoding = "utf-8"
        expected = ENCODING_LABELS.get(self.encoding, self.encoding)
        if self.encoding == "utf-8":
            if data.startswith(b"\xef\xbb\xbf"):  # BOM written by spreadsheet software
                data = data[3:]
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError as exc:
                self._encoding_error(data, exc.start, f"octet invalide en {expected}")
        # ISO-8859-1 decodes any byte: recognise a UTF-8 file by its valid multi-byte sequences.
        if not data.isascii():
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                pass
            else:
                first = next(i for i, byte in enumerate(data) if byte > 127)
                self._encoding_error(
                    data, first, f"le fichier semble encodé en UTF-8, {expected} attendu"
                )
        # Files said to be ISO-8859-1 are in practice Windows-1252 (the SAE directory has
        # typographic apostrophes, 0x92): read them as such, and refuse bytes that neither
        # encoding uses for text.
        control = re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x81\x8d\x8f\x90\x9d]", data)
        if control:
            self._encoding_error(
                data, control.start(), f"caractère de contrôle, {expected} attendu"
            )
        return data.decode("cp1252" if self.encoding == "iso-8859-1" else self.encoding)

    def _encoding_error(self, data: bytes, offset: int, message: str):
        line = data.count(b"\n", 0, offset) + 1
        start = data.rfind(b"\n", 0, offset) + 1
        first = data.split(b"\n", 1)[0].decode("ascii", "replace").strip()
        delimiter = max(";,\t", key=first.count) if self.delimiter == "auto" else self.delimiter
        header = first.split(delimiter)
        index = data.count(delimiter.encode(), start, offset)
        column = header[index] if index < len(header) and line > 1 else None
        self.fail(line, column, f"encodage incorrect ({message})")

    def _parse(self) -> Iterator[Row]:
        reader = csv.reader(io.StringIO(self._text, newline=""), delimiter=self.delimiter)
        try:
            header = [name.strip() for name in next(reader)]
        except StopIteration:
            self.fail(1, None, "fichier vide, ligne d'en-tête attendue")
        if self.fold_case:
            header = [name.upper() for name in header]
        self.header = header
        missing = [name for name in self.required if name not in header]
        if missing:
            hint = ""
            if len(header) == 1:
                hint = f" (séparateur attendu : « {self.delimiter} »)"
            names = ", ".join(f"« {name} »" for name in missing)
            self.fail(1, missing[0], f"colonne(s) obligatoire(s) absente(s) : {names}{hint}")
        doubled = sorted({name for name in header if name and header.count(name) > 1})
        if doubled:
            self.fail(1, doubled[0], "colonne présente plusieurs fois dans l'en-tête")
        try:
            for values in reader:
                if self.full:
                    return
                if not values or values == [""]:
                    continue
                if len(values) != len(header):
                    self.problem(
                        reader.line_num,
                        None,
                        f"{len(values)} colonnes au lieu de {len(header)} (voir l'en-tête)",
                    )
                    continue
                yield Row(reader.line_num, dict(zip(header, values, strict=True)))
        except csv.Error as exc:
            self.problem(reader.line_num, None, f"ligne CSV illisible ({exc})")

    # --- records --------------------------------------------------------------------------

    def rows(self) -> list[Row]:
        return self._rows

    def records(self, parse: Callable[[Row], Any], progress=None) -> list[tuple[Row, Any]]:
        """Apply ``parse`` to every row; CellErrors become problems naming line and column.

        Rows with a problem are left out; call raise_if_problems() once the cross-row
        checks (duplicates, references) are done.
        """
        results = []
        rows = progress(self._rows, desc=self.name) if progress else self._rows
        for row in rows:
            if self.full:
                break
            try:
                results.append((row, parse(row)))
            except CellError as error:
                self.problem(row.line, error.column, error.message)
        return results

    def check_unique(self, records, key: Callable[[Any], Any], column: str, label: str):
        """Report every record whose key was already seen on an earlier line."""
        seen: dict[Any, int] = {}
        for row, value in records:
            k = key(value)
            if k in seen:
                self.problem(row.line, column, f"{label} en double (déjà ligne {seen[k]})")
            else:
                seen[k] = row.line
