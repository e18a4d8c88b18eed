"""DREES SAE psychiatry: one organisation per establishment reporting psychiatry, and its
yearly context figures per discipline, for any year of the SAE.

Files: drees-sae-<year>-id.csv (directory of establishments) and drees-sae-<year>-psy.csv
(psychiatry form, one row per establishment × discipline), or any two paths. Encoding
(UTF-8 with or without BOM, or ISO-8859-1/Windows-1252) and separator (``;``, ``,`` or tab)
are recognised; column names are compared without case. Each year's columns come from its
layout (sae_layouts.py): a figure that year's form does not ask for is stored as None with
the status ``not_in_form`` ("non déclaré"), an empty cell as None ("not reported"), never 0.
Identity details (name, FINESS juridique, category, commune) come from the latest SAE year
imported, whatever the order of the imports. Values above a figure's plausibility bound are
kept as declared, flagged ``implausible`` and listed in the report.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from entrepairs.territory.models import (
    Commune,
    ContextFigures,
    Department,
    Organisation,
    Region,
)

from .csvfile import CellError, CsvFile, ImportAborted, Row
from .report import Summary, progress
from .sae_layouts import (
    FIGURE_NAMES,
    FIGURES,
    ID_COLUMNS,
    PSY_KEYS,
    implausible,
    layout_for,
    resolve,
)

DISCIPLINES = ("GEN", "INF", "PEN", "TOT")
# SAE writes overseas départements with a letter; the COG uses 971…976.
SAE_OVERSEAS = {"9A": "971", "9B": "972", "9C": "973", "9D": "974", "9F": "976"}
# Former Guadeloupe codes of Saint-Martin and Saint-Barthélemy, now collectivités d'outre-mer
# that the COG communes file leaves out: the establishment keeps its département, no commune.
OUTSIDE_COG_COMMUNES = {"97127": "Saint-Martin", "97123": "Saint-Barthélemy"}
FIGURE_FIELDS = FIGURE_NAMES
ORGANISATION_FIELDS = [
    "kind",
    "name",
    "finess_ej",
    "sae_category",
    "region_id",
    "department_id",
    "commune_id",
    "sae_identity_year",
]
# Beyond this many, the report counts the implausible values instead of listing them.
MAX_LISTED = 20
FILE_NAME = re.compile(r"drees-sae-(?P<year>[0-9]{4})-(?P<part>id|psy)\.csv")
FIRST_YEAR, LAST_YEAR = 1990, 2100


def id_file_name(year: int) -> str:
    return f"drees-sae-{year}-id.csv"


def psy_file_name(year: int) -> str:
    return f"drees-sae-{year}-psy.csv"


@dataclass(frozen=True)
class YearFiles:
    year: int
    id_path: Path
    psy_path: Path


def files_of_year(directory: Path, year: int) -> YearFiles:
    directory = Path(directory)
    return YearFiles(year, directory / id_file_name(year), directory / psy_file_name(year))


def years_in(directory: Path) -> list[YearFiles]:
    """Every year whose two files are in ``directory``, oldest first."""
    found: dict[int, set[str]] = {}
    for path in Path(directory).glob("drees-sae-*-*.csv"):
        match = FILE_NAME.fullmatch(path.name)
        if match:
            found.setdefault(int(match["year"]), set()).add(match["part"])
    return [
        files_of_year(directory, year) for year in sorted(found) if found[year] >= {"id", "psy"}
    ]


@dataclass(frozen=True)
class Establishment:
    finess_et: str
    finess_ej: str
    name: str
    category: str
    region_id: int
    department_id: int
    commune_id: int | None


def _figure(row: Row, name: str, columns: tuple[str, ...]):
    """The sum of ``columns`` (CMPs full time + part time); None when every cell is empty."""
    if not columns:
        return None
    read = row.decimal if FIGURES[name].decimal else row.integer
    values = [read(column) for column in columns]
    if all(value is None for value in values):
        return None
    return sum(value or 0 for value in values)


def read_figures(path: Path, year: int, bar):
    """(FI, DIS) -> (row, figures, flags) from the psychiatry form; the file; report notes."""
    file = CsvFile(path, "auto", "auto", list(PSY_KEYS), fold_case=True)
    layout = layout_for(year)
    columns, notes = resolve(layout, set(file.header))
    absent = {name: "not_in_form" for name, cols in columns.items() if not cols}

    def parse(row: Row):
        if row.integer("AN") != year:
            raise CellError("AN", f"année « {row.values['AN']} » au lieu de {year} (option --year)")
        figures = {name: _figure(row, name, cols) for name, cols in columns.items()}
        discipline = row.text("DIS").upper()
        if discipline not in DISCIPLINES:
            raise CellError(
                "DIS", f"valeur « {discipline} » inconnue (attendu : {', '.join(DISCIPLINES)})"
            )
        return (row.finess("FI"), discipline), figures

    records = file.records(parse, progress=bar)
    file.check_unique(records, lambda r: r[0], "DIS", "couple établissement (FI) × discipline")
    file.raise_if_problems()
    result: dict[tuple[str, str], tuple[Row, dict, dict]] = {}
    for row, (key, figures) in records:
        flags = dict(absent)
        for name, value in figures.items():
            if implausible(name, value):
                flags[name] = "implausible"
        active, outpatient = figures["active_file"], figures["outpatient_active_file"]
        if active is not None and outpatient is not None and outpatient > active:
            flags["outpatient_active_file"] = "implausible"
        result.setdefault(key, (row, figures, flags))
    return result, file, layout, notes, columns


def read_establishments(path: Path, wanted: set[str], bar):
    """FINESS -> Establishment for the establishments of ``wanted``, references resolved."""
    required = [ID_COLUMNS[name][0] for name in ("finess_et", "name", "region", "department")]
    file = CsvFile(path, "auto", "auto", required, fold_case=True)
    commune_column = next((c for c in ID_COLUMNS["commune"] if c in file.header), None)
    if commune_column is None:
        names = ", ".join(f"« {c} »" for c in ID_COLUMNS["commune"])
        file.fail(1, ID_COLUMNS["commune"][0], f"colonne de la commune absente (une de : {names})")
    optional = {
        name: ID_COLUMNS[name][0] if ID_COLUMNS[name][0] in file.header else None
        for name in ("finess_ej", "category")
    }
    regions = dict(Region.objects.values_list("code", "pk"))
    departments = dict(Department.objects.values_list("code", "pk"))
    communes: dict[str, int] = {}
    # An arrondissement (Paris, Lyon, Marseille) when SAE gives one, the commune otherwise.
    for code, kind, pk in Commune.objects.filter(
        kind__in=[Commune.Kind.COMMUNE, Commune.Kind.ARRONDISSEMENT]
    ).values_list("code", "kind", "pk"):
        if kind == Commune.Kind.COMMUNE or code not in communes:
            communes[code] = pk
    if not regions or not departments or not communes:
        raise ImportAborted(
            "Le territoire n'est pas importé : lancez d'abord « manage.py import_territory »."
        )

    def parse(row: Row):
        if row.values["FI"].strip().upper() not in wanted:
            return None
        finess_et = row.finess("FI")
        region = row.text("REG")
        if region not in regions:
            raise CellError("REG", f"région « {region} » inconnue du territoire importé")
        dep = row.text("DEP").upper()
        dep = SAE_OVERSEAS.get(dep, dep)
        if dep not in departments:
            raise CellError("DEP", f"département « {dep} » inconnu du territoire importé")
        code = row.text(commune_column).upper()
        if code[:2] in SAE_OVERSEAS:
            code = "97" + code[2:]
        if code not in communes and code not in OUTSIDE_COG_COMMUNES:
            raise CellError(commune_column, f"commune « {code} » inconnue du territoire importé")
        ej, category = optional["finess_ej"], optional["category"]
        return Establishment(
            finess_et=finess_et,
            finess_ej=row.finess(ej, required=False) if ej else "",
            name=row.text("RS", max_length=200),
            category=row.text(category, required=False, max_length=4) if category else "",
            region_id=regions[region],
            department_id=departments[dep],
            commune_id=communes.get(code),
        )

    records = [(row, e) for row, e in file.records(parse, progress=bar) if e is not None]
    file.check_unique(records, lambda e: e.finess_et, "FI", "établissement (FINESS)")
    file.raise_if_problems()
    return {e.finess_et: e for _, e in records}, len(file), file


def _file_format(file: CsvFile) -> str:
    separator = {";": "point-virgule", ",": "virgule", "\t": "tabulation"}[file.delimiter]
    encoding = "UTF-8" if file.encoding == "utf-8" else "ISO-8859-1 (Windows-1252)"
    return f"{file.name} : {encoding}, séparateur {separator}, {len(file)} ligne(s)"


def import_sae(directory: Path, year: int, *, show_progress: bool = True) -> Summary:
    """One year from ``directory`` by its file names (see ``import_year``)."""
    return import_year(files_of_year(directory, year), show_progress=show_progress)


def import_year(files: YearFiles, *, show_progress: bool = True) -> Summary:
    """Read and check both files of one SAE year, then write everything in one transaction."""
    year = files.year
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ImportAborted(f"Année SAE « {year} » invalide (entre {FIRST_YEAR} et {LAST_YEAR}).")

    def bar(iterable, desc):
        return progress(iterable, desc=desc, enabled=show_progress)

    figures, psy_file, layout, layout_notes, columns = read_figures(files.psy_path, year, bar)
    wanted = {finess for finess, _ in figures}
    establishments, directory_rows, id_file = read_establishments(files.id_path, wanted, bar)
    for (finess, _), (row, _, _) in sorted(figures.items(), key=lambda item: item[1][0].line):
        if finess not in establishments and not psy_file.full:
            psy_file.problem(row.line, "FI", f"établissement {finess} absent de {id_file.name}")
    psy_file.raise_if_problems()

    summary = Summary(f"DREES SAE {year} (psychiatrie)")
    with transaction.atomic():
        org_ids, kept = _write_organisations(establishments, year, summary)
        _write_figures(figures, org_ids, year, summary, bar)
    status = "vérifiée sur les fichiers réels" if layout.verified else "non vérifiée"
    documented = f"SAE {layout.year}" if layout.year else "aucune (toutes les variantes connues)"
    summary.info.append(f"correspondance des colonnes : {documented}, {status} ({layout.note})")
    summary.info += [_file_format(psy_file), _file_format(id_file)]
    summary.info.append(
        f"{directory_rows - len(establishments)} établissement(s) de l'annuaire sans "
        "formulaire psychiatrie, ignoré(s)"
    )
    if kept:
        summary.info.append(
            f"{kept} établissement(s) gardent le nom et la commune d'une année SAE plus récente"
        )
    summary.notes += layout_notes
    summary.notes += _implausible_notes(figures, columns, psy_file.name)
    without_commune = sorted(e.finess_et for e in establishments.values() if not e.commune_id)
    if without_commune:
        summary.notes.append(
            f"{len(without_commune)} établissement(s) dans une collectivité d'outre-mer absente "
            f"du COG (Saint-Martin, Saint-Barthélemy), sans commune : {', '.join(without_commune)}"
        )
    return summary


def _implausible_notes(figures, columns, file_name) -> list[str]:
    found = []
    for (finess, discipline), (row, values, flags) in sorted(
        figures.items(), key=lambda item: item[1][0].line
    ):
        for name, flag in flags.items():
            if flag != "implausible":
                continue
            figure = FIGURES[name]
            value = values[name]
            shown = f"{value:,.2f}" if figure.decimal else f"{value:,}"
            shown = shown.replace(",", "\u202f").replace(".", ",")
            if name == "outpatient_active_file" and value <= figure.upper_bound:
                reason = "supérieure à la file active totale"
            else:
                reason = f"au-delà de {figure.upper_bound:,} (borne de plausibilité)".replace(
                    ",", "\u202f"
                )
            found.append(
                f"valeur à vérifier, {file_name} ligne {row.line}, {finess} {discipline}, "
                f"{figure.label} ({' + '.join(columns[name])}) = {shown} : {reason} ; "
                "gardée telle que déclarée"
            )
    if len(found) > MAX_LISTED:
        found = [
            *found[:MAX_LISTED],
            f"… et {len(found) - MAX_LISTED} autre(s) valeur(s) à vérifier",
        ]
    return found


def _write_organisations(
    establishments: dict[str, Establishment], year: int, summary
) -> tuple[dict[str, int], int]:
    """Create or update the organisations; identity details come from the latest SAE year:
    an organisation whose identity comes from a later year than ``year`` keeps it."""
    existing = {
        org.finess_et: org
        for org in Organisation.objects.filter(finess_et__in=list(establishments))
    }
    to_create, to_update, kept = [], [], 0
    for finess, e in establishments.items():
        values = {
            "kind": Organisation.Kind.HEALTH_ESTABLISHMENT,
            "name": e.name,
            "finess_ej": e.finess_ej,
            "sae_category": e.category,
            "region_id": e.region_id,
            "department_id": e.department_id,
            "commune_id": e.commune_id,
            "sae_identity_year": year,
        }
        org = existing.get(finess)
        if org is None:
            to_create.append(Organisation(finess_et=finess, **values))
        elif org.sae_identity_year is not None and org.sae_identity_year > year:
            kept += 1
        elif any(getattr(org, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(org, name, value)
            to_update.append(org)
    Organisation.objects.bulk_create(to_create, batch_size=500)
    Organisation.objects.bulk_update(to_update, ORGANISATION_FIELDS, batch_size=500)
    summary.add(
        "établissements",
        created=len(to_create),
        updated=len(to_update),
        skipped=len(establishments) - len(to_create) - len(to_update),
    )
    ids = dict(
        Organisation.objects.filter(finess_et__in=list(establishments)).values_list(
            "finess_et", "pk"
        )
    )
    return ids, kept


def _same(current, value) -> bool:
    if isinstance(value, Decimal) and current is not None:
        return Decimal(current) == value
    return current == value


def _write_figures(figures, org_ids: dict[str, int], year: int, summary, bar):
    existing = {
        (f.organisation_id, f.discipline): f
        for f in ContextFigures.objects.filter(year=year, organisation_id__in=org_ids.values())
    }
    source = f"DREES SAE {year}"
    to_create, to_update = [], []
    for (finess, discipline), (_, values, flags) in bar(figures.items(), "chiffres de contexte"):
        key = (org_ids[finess], discipline)
        current = existing.get(key)
        if current is None:
            to_create.append(
                ContextFigures(
                    organisation_id=key[0],
                    year=year,
                    discipline=discipline,
                    source=source,
                    flags=flags,
                    **values,
                )
            )
        elif (
            current.source != source
            or current.flags != flags
            or not all(_same(getattr(current, name), value) for name, value in values.items())
        ):
            for name, value in values.items():
                setattr(current, name, value)
            current.source = source
            current.flags = flags
            to_update.append(current)
    ContextFigures.objects.bulk_create(to_create, batch_size=500)
    ContextFigures.objects.bulk_update(
        to_update, [*FIGURE_FIELDS, "source", "flags"], batch_size=500
    )
    summary.add(
        "chiffres de contexte (établissement × discipline)",
        created=len(to_create),
        updated=len(to_update),
        skipped=len(figures) - len(to_create) - len(to_update),
    )
