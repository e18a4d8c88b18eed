"""INSEE Code officiel géographique: regions, départements, communes and legal populations.

Files (UTF-8, see docs/sources-de-donnees.md): cog-regions.csv, cog-departements.csv,
cog-communes.csv (``,``) and insee-populations-communes.csv (``;``, CRLF).
"""

import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from entrepairs.territory.models import Commune, Department, Region, normalize_for_search

from .csvfile import CellError, CsvFile, Row
from .report import Summary, progress

REGIONS_FILE = "cog-regions.csv"
DEPARTMENTS_FILE = "cog-departements.csv"
COMMUNES_FILE = "cog-communes.csv"
POPULATIONS_FILE = "insee-populations-communes.csv"

REGION_CODE = re.compile(r"\d{2}")
DEPARTMENT_CODE = re.compile(r"\d{2,3}|2[AB]")
COMMUNE_CODE = re.compile(r"\d{5}|2[AB]\d{3}")
# Communes that have their own legal population (delegated and associated ones do not).
POPULATED_KINDS = (Commune.Kind.COMMUNE, Commune.Kind.ARRONDISSEMENT)
BATCH = 2000


@dataclass(frozen=True)
class CommuneRecord:
    code: str
    kind: str
    name: str
    department: str  # may be "" for delegated/associated communes: taken from the parent
    parent: str


@dataclass(frozen=True)
class PopulationRecord:
    code: str
    municipal: int | None
    total: int | None


def read_regions(directory: Path) -> dict[str, str]:
    file = CsvFile(directory / REGIONS_FILE, "utf-8", ",", ["REG", "LIBELLE"])
    records = file.records(
        lambda row: (
            row.matching("REG", REGION_CODE, "un code de région INSEE (2 chiffres)"),
            row.text("LIBELLE", max_length=100),
        )
    )
    file.check_unique(records, lambda r: r[0], "REG", "code de région")
    file.raise_if_problems()
    return dict(value for _, value in records)


def read_departments(directory: Path, regions: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Department code -> (name, region code)."""
    file = CsvFile(directory / DEPARTMENTS_FILE, "utf-8", ",", ["DEP", "REG", "LIBELLE"])

    def parse(row: Row):
        code = row.matching("DEP", DEPARTMENT_CODE, "un code de département INSEE")
        region = row.text("REG")
        if region not in regions:
            raise CellError("REG", f"région « {region} » inconnue (absente de {REGIONS_FILE})")
        return code, (row.text("LIBELLE", max_length=100), region)

    records = file.records(parse)
    file.check_unique(records, lambda r: r[0], "DEP", "code de département")
    file.raise_if_problems()
    return dict(value for _, value in records)


def read_communes(directory: Path, departments: dict, bar) -> list[CommuneRecord]:
    file = CsvFile(
        directory / COMMUNES_FILE,
        "utf-8",
        ",",
        ["TYPECOM", "COM", "DEP", "LIBELLE", "COMPARENT"],
    )
    kinds = Commune.Kind.values

    def parse(row: Row) -> CommuneRecord:
        kind = row.choice("TYPECOM", kinds)
        code = row.matching("COM", COMMUNE_CODE, "un code commune INSEE (5 caractères)")
        department = row.text("DEP", required=kind in POPULATED_KINDS)
        if department and department not in departments:
            raise CellError(
                "DEP", f"département « {department} » inconnu (absent de {DEPARTMENTS_FILE})"
            )
        parent = row.text("COMPARENT", required=not department)
        return CommuneRecord(code, kind, row.text("LIBELLE", max_length=100), department, parent)

    records = file.records(parse, progress=bar)
    file.check_unique(records, lambda c: (c.code, c.kind), "COM", "code commune (même TYPECOM)")
    parents = {c.code: c.department for _, c in records if c.kind == Commune.Kind.COMMUNE}
    result = []
    for row, commune in records:
        if not commune.department:
            if commune.parent not in parents:
                file.problem(
                    row.line,
                    "COMPARENT",
                    f"commune parente « {commune.parent} » absente du fichier",
                )
                continue
            commune = CommuneRecord(
                commune.code, commune.kind, commune.name, parents[commune.parent], commune.parent
            )
        result.append(commune)
    file.raise_if_problems()
    return result


def read_populations(directory: Path, bar) -> list[tuple[Row, PopulationRecord]]:
    file = CsvFile(directory / POPULATIONS_FILE, "utf-8", ";", ["COM", "PMUN", "PTOT"])
    records = file.records(
        lambda row: PopulationRecord(
            row.matching("COM", COMMUNE_CODE, "un code commune INSEE (5 caractères)"),
            row.integer("PMUN"),
            row.integer("PTOT"),
        ),
        progress=bar,
    )
    file.check_unique(records, lambda p: p.code, "COM", "code commune")
    file.raise_if_problems()
    return records


def import_territory(directory: Path, *, show_progress: bool = True) -> Summary:
    """Read and check the four COG files, then write everything in one transaction."""
    directory = Path(directory)

    def bar(iterable, desc):
        return progress(iterable, desc=desc, enabled=show_progress)

    regions = read_regions(directory)
    departments = read_departments(directory, regions)
    communes = read_communes(directory, departments, bar)
    populations = read_populations(directory, bar)

    summary = Summary("Territoire (INSEE COG et populations légales)")
    with transaction.atomic():
        region_ids = _write_simple(
            Region, {code: {"name": name} for code, name in regions.items()}, summary, "régions"
        )
        _write_simple(
            Department,
            {
                code: {"name": name, "region_id": region_ids[region]}
                for code, (name, region) in departments.items()
            },
            summary,
            "départements",
        )
        department_ids = dict(Department.objects.values_list("code", "pk"))
        _write_communes(communes, populations, department_ids, summary, bar)
    return summary


def _write_simple(model, wanted: dict[str, dict], summary: Summary, label: str) -> dict[str, int]:
    """Create or update rows keyed by ``code``; returns code -> pk."""
    existing = {obj.code: obj for obj in model.objects.all()}
    to_create, to_update = [], []
    fields = sorted({name for values in wanted.values() for name in values})
    for code, values in wanted.items():
        obj = existing.get(code)
        if obj is None:
            to_create.append(model(code=code, **values))
        elif any(getattr(obj, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(obj, name, value)
            to_update.append(obj)
    model.objects.bulk_create(to_create)
    model.objects.bulk_update(to_update, fields)
    summary.add(
        label,
        created=len(to_create),
        updated=len(to_update),
        skipped=len(wanted) - len(to_create) - len(to_update),
    )
    return dict(model.objects.values_list("code", "pk"))


COMMUNE_FIELDS = [
    "name",
    "search_name",
    "department_id",
    "population_municipal",
    "population_total",
]


def _sum_arrondissements(communes, by_code) -> dict[str, PopulationRecord]:
    """Paris, Lyon and Marseille: INSEE lists the population of each arrondissement only."""
    sums: dict[str, list[int | None]] = {}
    for record in communes:
        population = by_code.get(record.code)
        if record.kind == Commune.Kind.ARRONDISSEMENT and population:
            total = sums.setdefault(record.parent, [0, 0])
            for index, value in enumerate((population.municipal, population.total)):
                total[index] = (
                    None if value is None or total[index] is None else total[index] + value
                )
    return {
        code: PopulationRecord(code, municipal, total)
        for code, (municipal, total) in sums.items()
        if code not in by_code
    }


def _write_communes(communes, populations, department_ids, summary: Summary, bar):
    by_code = {p.code: p for _, p in populations}
    summed = _sum_arrondissements(communes, by_code)
    existing = {
        (values[0], values[1]): values[2:]
        for values in Commune.objects.values_list("code", "kind", "pk", *COMMUNE_FIELDS)
    }
    to_create, to_update = [], []
    joined: set[str] = set()
    without_population = []
    for record in bar(communes, "communes (écriture)"):
        population = None
        if record.kind in POPULATED_KINDS:
            population = by_code.get(record.code) or summed.get(record.code)
        if record.code in by_code and record.kind in POPULATED_KINDS:
            joined.add(record.code)
        elif record.kind in POPULATED_KINDS and not population:
            without_population.append(record)
        values = (
            record.name,
            normalize_for_search(record.name),
            department_ids[record.department],
            population.municipal if population else None,
            population.total if population else None,
        )
        current = existing.get((record.code, record.kind))
        if current is None:
            to_create.append(
                Commune(
                    code=record.code,
                    kind=record.kind,
                    **dict(zip(COMMUNE_FIELDS, values, strict=True)),
                )
            )
        elif tuple(current[1:]) != values:
            to_update.append(
                Commune(pk=current[0], **dict(zip(COMMUNE_FIELDS, values, strict=True)))
            )
    Commune.objects.bulk_create(to_create, batch_size=BATCH)
    Commune.objects.bulk_update(to_update, COMMUNE_FIELDS, batch_size=500)
    summary.add(
        "communes",
        created=len(to_create),
        updated=len(to_update),
        skipped=len(communes) - len(to_create) - len(to_update),
    )
    unjoined = [(row, p) for row, p in populations if p.code not in joined]
    summary.info.append(
        f"populations légales : {len(populations)} ligne(s) lue(s), {len(joined)} rattachée(s) "
        f"à une commune, {len(unjoined)} rejetée(s) (code absent du COG)"
    )
    if summed:
        summary.info.append(
            f"population de {', '.join(sorted(summed))} calculée comme somme de ses "
            "arrondissements municipaux (INSEE ne la publie que par arrondissement)"
        )
    if unjoined:
        examples = ", ".join(f"{p.code} (ligne {row.line})" for row, p in unjoined[:5])
        summary.notes.append(
            f"{len(unjoined)} code(s) de {POPULATIONS_FILE} sans commune dans le COG "
            f"(communes fusionnées ?), ignoré(s) : {examples}"
        )
    if without_population:
        examples = ", ".join(f"{c.code} {c.name}" for c in without_population[:5])
        summary.notes.append(
            f"{len(without_population)} commune(s) ou arrondissement(s) du COG sans population "
            f"légale (population laissée vide) : {examples}"
        )
