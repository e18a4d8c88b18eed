"""DREES SAE psychiatry: one organisation per establishment reporting psychiatry, and its
yearly context figures per discipline.

Files (ISO-8859-1, ``;``): drees-sae-<year>-id.csv (directory of establishments) and
drees-sae-<year>-psy.csv (psychiatry form, one row per establishment × discipline).
An empty cell means "not reported" and stays None, never 0.
"""

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

DISCIPLINES = ("GEN", "INF", "PEN", "TOT")
# SAE writes overseas départements with a letter; the COG uses 971…976.
SAE_OVERSEAS = {"9A": "971", "9B": "972", "9C": "973", "9D": "974", "9F": "976"}
# Former Guadeloupe codes of Saint-Martin and Saint-Barthélemy, now collectivités d'outre-mer
# that the COG communes file leaves out: the establishment keeps its département, no commune.
OUTSIDE_COG_COMMUNES = {"97127": "Saint-Martin", "97123": "Saint-Barthélemy"}

# ContextFigures field -> SAE column(s). cmp_count adds two columns (see _cmp_count).
INTEGER_FIGURES = {
    "sectors": "NB_SECT",
    "full_time_beds": "CAP_HTP",
    "day_places": "CAP_HDJ",
    "cattp_count": "NB_CATTP",
    "active_file": "FIL_TOT",
    "outpatient_active_file": "FIL_AMB",
}
DECIMAL_FIGURES = {
    "nurse_fte": "ETP_INF",
    "psychologist_fte": "ETP_PSY",
    "educator_fte": "ETP_EDU",
    "care_assistant_fte": "ETP_AID",
    "psychiatrist_fte": "ETPSAL_PKT",
}
CMP_COLUMNS = ("NB_CMP_SEUL_PA", "NB_CMP_SEUL_PL")
FIGURE_FIELDS = [*INTEGER_FIGURES, "cmp_count", *DECIMAL_FIGURES]
ORGANISATION_FIELDS = [
    "kind",
    "name",
    "finess_ej",
    "sae_category",
    "region_id",
    "department_id",
    "commune_id",
]


def id_file_name(year: int) -> str:
    return f"drees-sae-{year}-id.csv"


def psy_file_name(year: int) -> str:
    return f"drees-sae-{year}-psy.csv"


@dataclass(frozen=True)
class Establishment:
    finess_et: str
    finess_ej: str
    name: str
    category: str
    region_id: int
    department_id: int
    commune_id: int | None


def _cmp_count(row: Row) -> int | None:
    """CMPs open full time + part time; None only when both cells are empty."""
    values = [row.integer(column) for column in CMP_COLUMNS]
    if all(value is None for value in values):
        return None
    return sum(value or 0 for value in values)


def read_figures(directory: Path, year: int, bar):
    """(FI, DIS) -> (row, figures) from the psychiatry form, and the file (for later checks)."""
    columns = [
        "AN",
        "FI",
        "DIS",
        *INTEGER_FIGURES.values(),
        *CMP_COLUMNS,
        *DECIMAL_FIGURES.values(),
    ]
    file = CsvFile(directory / psy_file_name(year), "iso-8859-1", ";", columns)

    def parse(row: Row):
        if row.integer("AN") != year:
            raise CellError("AN", f"année « {row.values['AN']} » au lieu de {year} (option --year)")
        figures = {name: row.integer(column) for name, column in INTEGER_FIGURES.items()}
        figures["cmp_count"] = _cmp_count(row)
        figures |= {name: row.decimal(column) for name, column in DECIMAL_FIGURES.items()}
        return (row.finess("FI"), row.choice("DIS", DISCIPLINES)), figures

    records = file.records(parse, progress=bar)
    file.check_unique(records, lambda r: r[0], "DIS", "couple établissement (FI) × discipline")
    file.raise_if_problems()
    result: dict[tuple[str, str], tuple[Row, dict]] = {}
    for row, (key, figures) in records:
        result.setdefault(key, (row, figures))
    return result, file


def read_establishments(directory: Path, year: int, wanted: set[str], bar):
    """FINESS -> Establishment for the establishments of ``wanted``, references resolved."""
    file = CsvFile(
        directory / id_file_name(year),
        "iso-8859-1",
        ";",
        ["fi", "fi_ej", "rs", "cat", "reg", "dep", "COMINSEE"],
    )
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
        if row.values["fi"].strip().upper() not in wanted:
            return None
        finess_et = row.finess("fi")
        region = row.text("reg")
        if region not in regions:
            raise CellError("reg", f"région « {region} » inconnue du territoire importé")
        dep = row.text("dep").upper()
        dep = SAE_OVERSEAS.get(dep, dep)
        if dep not in departments:
            raise CellError("dep", f"département « {dep} » inconnu du territoire importé")
        code = row.text("COMINSEE").upper()
        if code[:2] in SAE_OVERSEAS:
            code = "97" + code[2:]
        if code not in communes and code not in OUTSIDE_COG_COMMUNES:
            raise CellError("COMINSEE", f"commune « {code} » inconnue du territoire importé")
        return Establishment(
            finess_et=finess_et,
            finess_ej=row.finess("fi_ej", required=False),
            name=row.text("rs", max_length=200),
            category=row.text("cat", required=False, max_length=4),
            region_id=regions[region],
            department_id=departments[dep],
            commune_id=communes.get(code),
        )

    records = [(row, e) for row, e in file.records(parse, progress=bar) if e is not None]
    file.check_unique(records, lambda e: e.finess_et, "fi", "établissement (FINESS)")
    file.raise_if_problems()
    return {e.finess_et: e for _, e in records}, len(file)


def import_sae(directory: Path, year: int = 2022, *, show_progress: bool = True) -> Summary:
    """Read and check both SAE files, then write everything in one transaction."""
    directory = Path(directory)

    def bar(iterable, desc):
        return progress(iterable, desc=desc, enabled=show_progress)

    figures, psy_file = read_figures(directory, year, bar)
    wanted = {finess for finess, _ in figures}
    establishments, directory_rows = read_establishments(directory, year, wanted, bar)
    for (finess, _), (row, _) in sorted(figures.items(), key=lambda item: item[1][0].line):
        if finess not in establishments and not psy_file.full:
            psy_file.problem(
                row.line, "FI", f"établissement {finess} absent de {id_file_name(year)}"
            )
    psy_file.raise_if_problems()

    summary = Summary(f"DREES SAE {year} (psychiatrie)")
    with transaction.atomic():
        org_ids = _write_organisations(establishments, summary)
        _write_figures(figures, org_ids, year, summary, bar)
    summary.info.append(
        f"{directory_rows - len(establishments)} établissement(s) de l'annuaire sans "
        "formulaire psychiatrie, ignoré(s)"
    )
    without_commune = sorted(e.finess_et for e in establishments.values() if not e.commune_id)
    if without_commune:
        summary.notes.append(
            f"{len(without_commune)} établissement(s) dans une collectivité d'outre-mer absente "
            f"du COG (Saint-Martin, Saint-Barthélemy), sans commune : {', '.join(without_commune)}"
        )
    return summary


def _write_organisations(establishments: dict[str, Establishment], summary) -> dict[str, int]:
    existing = {
        org.finess_et: org
        for org in Organisation.objects.filter(finess_et__in=list(establishments))
    }
    to_create, to_update = [], []
    for finess, e in establishments.items():
        values = {
            "kind": Organisation.Kind.HEALTH_ESTABLISHMENT,
            "name": e.name,
            "finess_ej": e.finess_ej,
            "sae_category": e.category,
            "region_id": e.region_id,
            "department_id": e.department_id,
            "commune_id": e.commune_id,
        }
        org = existing.get(finess)
        if org is None:
            to_create.append(Organisation(finess_et=finess, **values))
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
    return dict(
        Organisation.objects.filter(finess_et__in=list(establishments)).values_list(
            "finess_et", "pk"
        )
    )


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
    for (finess, discipline), (_, values) in bar(figures.items(), "chiffres de contexte"):
        key = (org_ids[finess], discipline)
        current = existing.get(key)
        if current is None:
            to_create.append(
                ContextFigures(
                    organisation_id=key[0],
                    year=year,
                    discipline=discipline,
                    source=source,
                    **values,
                )
            )
        elif current.source != source or not all(
            _same(getattr(current, name), value) for name, value in values.items()
        ):
            for name, value in values.items():
                setattr(current, name, value)
            current.source = source
            to_update.append(current)
    ContextFigures.objects.bulk_create(to_create, batch_size=500)
    ContextFigures.objects.bulk_update(to_update, [*FIGURE_FIELDS, "source"], batch_size=500)
    summary.add(
        "chiffres de contexte (établissement × discipline)",
        created=len(to_create),
        updated=len(to_update),
        skipped=len(figures) - len(to_create) - len(to_update),
    )
