"""Real psychiatry sectors from an ARS: which communes each sector serves.

Format (documented in docs/sources-de-donnees.md): UTF-8 (a BOM is accepted), ``;``,
header ``code_secteur;discipline;finess_et;code_commune``, one row per served commune.
Every sector of the file ends up with exactly the communes the file lists for it; sectors
absent from the file are left as they are. An imported sector is real data (is_demo=False),
also when it replaces a demo sector of the same code.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from entrepairs.territory.models import Commune, Discipline, Organisation, Sector

from .cog import COMMUNE_CODE
from .csvfile import CellError, CsvFile, Row
from .report import Summary, progress

COLUMNS = ["code_secteur", "discipline", "finess_et", "code_commune"]
SECTOR_CODE = re.compile(r"[0-9A-Z][0-9A-Z-]{0,11}")


@dataclass
class SectorRecord:
    code: str
    discipline: str
    organisation_id: int
    line: int
    commune_ids: set[int] = field(default_factory=set)


def read_sectors(path: Path, bar) -> dict[str, SectorRecord]:
    file = CsvFile(path, "utf-8", ";", COLUMNS)
    organisations = dict(Organisation.objects.exclude(finess_et="").values_list("finess_et", "pk"))
    communes: dict[str, int] = dict(
        Commune.objects.filter(
            kind__in=[Commune.Kind.COMMUNE, Commune.Kind.ARRONDISSEMENT]
        ).values_list("code", "pk")
    )

    def parse(row: Row):
        code = row.matching(
            "code_secteur", SECTOR_CODE, "un code de secteur (lettres, chiffres, 12 au plus)"
        )
        discipline = row.choice("discipline", Discipline.values)
        finess = row.finess("finess_et")
        if finess not in organisations:
            raise CellError(
                "finess_et",
                f"établissement {finess} inconnu (absent des établissements importés par import_sae)",
            )
        commune = row.matching("code_commune", COMMUNE_CODE, "un code commune INSEE (5 caractères)")
        if commune not in communes:
            raise CellError("code_commune", f"commune « {commune} » inconnue du COG importé")
        return code, discipline, organisations[finess], communes[commune]

    records = file.records(parse, progress=bar)
    file.check_unique(records, lambda r: (r[0], r[3]), "code_commune", "commune du secteur")
    sectors: dict[str, SectorRecord] = {}
    for row, (code, discipline, organisation_id, commune_id) in records:
        sector = sectors.setdefault(code, SectorRecord(code, discipline, organisation_id, row.line))
        if sector.discipline != discipline:
            file.problem(
                row.line,
                "discipline",
                f"secteur {code} : « {discipline} » alors que la ligne {sector.line} "
                f"indique « {sector.discipline} »",
            )
        elif sector.organisation_id != organisation_id:
            file.problem(
                row.line,
                "finess_et",
                f"secteur {code} : établissement différent de celui de la ligne {sector.line}",
            )
        sector.commune_ids.add(commune_id)
    if not records and not file.problems:
        file.problem(2, None, "aucune ligne de données après l'en-tête")
    file.raise_if_problems()
    return sectors


def import_sectors(path: Path, *, show_progress: bool = True) -> Summary:
    """Read and check the whole file, then write sectors and their communes in one transaction."""

    def bar(iterable, desc):
        return progress(iterable, desc=desc, enabled=show_progress)

    wanted = read_sectors(Path(path), bar)
    summary = Summary(f"Secteurs de psychiatrie ({Path(path).name})")
    with transaction.atomic():
        _write(wanted, summary)
    return summary


def _write(wanted: dict[str, SectorRecord], summary: Summary):
    existing = {s.code: s for s in Sector.objects.filter(code__in=list(wanted))}
    to_create, to_update, replaced_demo = [], [], 0
    for code, record in wanted.items():
        sector = existing.get(code)
        if sector is None:
            to_create.append(
                Sector(
                    code=code,
                    discipline=record.discipline,
                    organisation_id=record.organisation_id,
                    is_demo=False,
                )
            )
        elif (sector.discipline, sector.organisation_id, sector.is_demo) != (
            record.discipline,
            record.organisation_id,
            False,
        ):
            replaced_demo += sector.is_demo
            sector.discipline = record.discipline
            sector.organisation_id = record.organisation_id
            sector.is_demo = False
            to_update.append(sector)
    Sector.objects.bulk_create(to_create)
    Sector.objects.bulk_update(to_update, ["discipline", "organisation_id", "is_demo"])
    sector_ids = dict(Sector.objects.filter(code__in=list(wanted)).values_list("code", "pk"))

    Link = Sector.communes.through
    current: dict[int, set[int]] = {}
    for sector_id, commune_id in Link.objects.filter(sector_id__in=sector_ids.values()).values_list(
        "sector_id", "commune_id"
    ):
        current.setdefault(sector_id, set()).add(commune_id)
    added, removed_ids, changed_codes = [], [], {s.code for s in to_update}
    for code, record in wanted.items():
        sector_id = sector_ids[code]
        have = current.get(sector_id, set())
        for commune_id in record.commune_ids - have:
            added.append(Link(sector_id=sector_id, commune_id=commune_id))
        if have - record.commune_ids:
            removed_ids.append((sector_id, have - record.commune_ids))
        if code in existing and have != record.commune_ids:
            changed_codes.add(code)
    for sector_id, commune_ids in removed_ids:
        Link.objects.filter(sector_id=sector_id, commune_id__in=commune_ids).delete()
    Link.objects.bulk_create(added, batch_size=2000)

    created = len(to_create)
    summary.add(
        "secteurs",
        created=created,
        updated=len(changed_codes),
        skipped=len(wanted) - created - len(changed_codes),
    )
    removed = sum(len(ids) for _, ids in removed_ids)
    summary.info.append(
        f"communes desservies : {len(added)} ajoutée(s), {removed} retirée(s), "
        f"{sum(len(r.commune_ids) for r in wanted.values())} au total pour ces secteurs"
    )
    if replaced_demo:
        summary.info.append(
            f"{replaced_demo} secteur(s) de démonstration remplacé(s) par les données réelles"
        )
