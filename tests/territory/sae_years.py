"""Other SAE years, derived from the real 2022 files of data/reference.

``sample_reference(directory)`` writes a small territory (the real regions and départements,
the real communes of the sampled establishments) and the real 2022 rows of the first
``SAMPLE`` establishments of the psychiatry form. ``derive(...)`` writes another year's
files from those rows: year changed, columns renamed, merged or dropped, header case,
encoding, byte-order mark and separator chosen, so that each test reads a realistic file.
"""

import csv
import io
from decimal import Decimal
from pathlib import Path

from django.conf import settings

SAMPLE = 25
REAL = Path(settings.REFERENCE_DATA_DIR)


def read(name: str, encoding="cp1252", delimiter=";") -> tuple[list[str], list[dict]]:
    with (REAL / name).open(encoding=encoding, newline="") as handle:
        reader = csv.DictReader(handle, delimiter=delimiter)
        return list(reader.fieldnames), list(reader)


def real_sample():
    """(psy header, psy rows, id header, id rows) of the first SAMPLE metropolitan
    establishments of the real 2022 psychiatry form."""
    psy_header, psy_rows = read("drees-sae-2022-psy.csv")
    id_header, id_rows = read("drees-sae-2022-id.csv")
    directory = {row["fi"]: row for row in id_rows}
    chosen = []
    for row in psy_rows:
        fi = row["FI"]
        if fi not in chosen and not directory[fi]["dep"].startswith("9"):
            chosen.append(fi)
        if len(chosen) == SAMPLE:
            break
    psy = [row for row in psy_rows if row["FI"] in chosen]
    ids = [directory[fi] for fi in chosen]
    return psy_header, psy, id_header, ids


def write_csv(path: Path, header, rows, *, encoding="cp1252", delimiter=";", bom=False):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    data = buffer.getvalue().encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def sample_reference(directory: Path) -> Path:
    """A territory covering the sample, and the sample's real 2022 files."""
    directory.mkdir(parents=True, exist_ok=True)
    psy_header, psy, id_header, ids = real_sample()
    for name in ("cog-regions.csv", "cog-departements.csv"):
        (directory / name).write_bytes((REAL / name).read_bytes())
    communes = {row["COMINSEE"] for row in ids}
    header, rows = read("cog-communes.csv", "utf-8", ",")
    write_csv(
        directory / "cog-communes.csv",
        header,
        [r for r in rows if r["COM"] in communes and r["TYPECOM"] in ("COM", "ARM")],
        encoding="utf-8",
        delimiter=",",
    )
    header, rows = read("insee-populations-communes.csv", "utf-8", ";")
    write_csv(
        directory / "insee-populations-communes.csv",
        header,
        [r for r in rows if r["COM"] in communes],
        encoding="utf-8",
    )
    write_csv(directory / "drees-sae-2022-psy.csv", psy_header, psy)
    write_csv(directory / "drees-sae-2022-id.csv", id_header, ids)
    return directory


def _number(value: str) -> Decimal:
    return Decimal(value.replace(",", ".")) if value.strip() else Decimal(0)


def derive(
    directory: Path,
    year: int,
    *,
    rename=None,
    merge=None,
    drop=(),
    lower_header=False,
    encoding="cp1252",
    delimiter=";",
    bom=False,
    psy_change=None,
    id_change=None,
    names=None,
):
    """Write drees-sae-<year>-psy.csv and -id.csv from the real 2022 sample.

    ``rename``: {old: new}; ``merge``: {new: [old, old]} (the new column is the sum, empty when
    every old cell is empty); ``drop``: columns removed; ``psy_change`` / ``id_change``: a
    function applied to each row (dict) before writing; ``names``: file names to use.
    """
    rename, merge = rename or {}, merge or {}
    psy_header, psy, id_header, ids = real_sample()
    rows = []
    for original in psy:
        row = dict(original, AN=str(year))
        for new, olds in merge.items():
            cells = [row.pop(old) for old in olds]
            total = sum(_number(cell) for cell in cells)
            row[new] = "" if all(not cell.strip() for cell in cells) else f"{total.normalize():f}"
        for old, new in rename.items():
            row[new] = row.pop(old)
        for column in drop:
            row.pop(column)
        if psy_change:
            psy_change(row)
        rows.append(row)
    header = []
    for column in psy_header:
        target = next((new for new, olds in merge.items() if column in olds), None)
        column = target or rename.get(column, column)
        if column not in header and column not in drop:
            header.append(column)
    directory_rows = []
    for original in ids:
        row = dict(original, an=str(year))
        if id_change:
            id_change(row)
        directory_rows.append(row)
    id_columns = list(id_header)
    if lower_header:
        header = [c.lower() for c in header]
        rows = [{k.lower(): v for k, v in row.items()} for row in rows]
        id_columns = [c.lower() for c in id_columns]
        directory_rows = [{k.lower(): v for k, v in row.items()} for row in directory_rows]
    psy_name, id_name = names or (f"drees-sae-{year}-psy.csv", f"drees-sae-{year}-id.csv")
    options = {"encoding": encoding, "delimiter": delimiter, "bom": bom}
    write_csv(directory / psy_name, header, rows, **options)
    write_csv(directory / id_name, id_columns, directory_rows, **options)
    return directory / id_name, directory / psy_name
