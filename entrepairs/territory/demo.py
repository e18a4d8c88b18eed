"""Demo sectors and facilities, invented from each establishment's real SAE figures.

No open dataset maps sectors to communes: the sectors made here are plausible (as many as the
establishment's NB_SECT for adults, communes of its département) and flagged ``is_demo``.
"""

import csv
from collections import defaultdict
from pathlib import Path

from django.conf import settings

from entrepairs.territory.models import (
    Commune,
    ContextFigures,
    Facility,
    Organisation,
    Region,
    Sector,
)

# An establishment everybody in the field knows, so that the demo opens on familiar ground.
PREFERRED_DEPARTMENT = "59"


def pick_establishments(ctx) -> list[Organisation]:
    year = ContextFigures.objects.latest_year()
    figures = (
        ContextFigures.objects.filter(year=year, discipline="GEN", sectors__gte=2)
        .select_related("organisation__department")
        .order_by("organisation__finess_et")
    )
    candidates = [f.organisation for f in figures if f.organisation.department_id]
    preferred = [o for o in candidates if o.department.code == PREFERRED_DEPARTMENT]
    others = [o for o in candidates if o not in preferred[:1]]
    wanted = min(ctx.scale.establishments, len(candidates))
    chosen = preferred[:1] + ctx.rng.sample(others, wanted - len(preferred[:1]))
    return chosen


def commune_places(directory=None) -> dict[str, tuple[str, str]]:
    """INSEE code -> (arrondissement, canton) from the COG file, so that a demo sector
    serves neighbouring communes (an arrondissement, then whole cantons) rather than
    communes drawn at random across the département; {} when the file is absent."""
    path = Path(directory or settings.REFERENCE_DATA_DIR) / "cog-communes.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as handle:
        return {
            row["COM"]: (row.get("ARR") or "", row.get("CAN") or "")
            for row in csv.DictReader(handle)
            if row.get("TYPECOM") == "COM"
        }


def catchment_areas(establishments, communes_of_department, places) -> dict[int, list]:
    """organisation id -> its communes: the arrondissement of the establishment's own
    commune, shared canton by canton when several demo establishments stand in it; no commune
    is given to two establishments. An establishment without a commune gets an arrondissement
    no other establishment holds."""
    by_arr = defaultdict(list)
    for commune in communes_of_department:
        by_arr[places.get(commune.code, ("", ""))[0]].append(commune)
    home = {}
    for org in establishments:
        if org.commune_id and org.commune.code in places:
            home[org.pk] = places[org.commune.code][0]
    free = sorted(a for a in by_arr if a not in home.values())
    for org in establishments:
        if org.pk not in home:
            home[org.pk] = free.pop(0) if free else next(iter(sorted(by_arr)), "")
    areas = {}
    for arr in set(home.values()):
        owners = [o for o in establishments if home[o.pk] == arr]
        communes = by_arr.get(arr, [])
        if len(owners) == 1:
            areas[owners[0].pk] = communes
            continue
        by_canton = defaultdict(list)
        for commune in communes:
            by_canton[places.get(commune.code, ("", ""))[1]].append(commune)
        own = {
            o.pk: places.get(o.commune.code, ("", ""))[1] if o.commune_id else "" for o in owners
        }
        taken, result = set(), {o.pk: [] for o in owners}
        for owner in owners:
            if own[owner.pk] in by_canton and own[owner.pk] not in taken:
                result[owner.pk].extend(by_canton[own[owner.pk]])
                taken.add(own[owner.pk])
        rest = [c for c in sorted(by_canton) if c not in taken]
        for index, canton in enumerate(rest):
            result[owners[index % len(owners)].pk].extend(by_canton[canton])
        areas.update(result)
    return areas


def sectors_of(communes, count, places, home_commune):
    """Split an establishment's communes into ``count`` sectors of whole cantons, the
    establishment's own canton in the first."""
    by_canton = defaultdict(list)
    for commune in communes:
        by_canton[places.get(commune.code, ("", ""))[1]].append(commune)
    home = places.get(home_commune.code, ("", ""))[1] if home_commune else None
    cantons = sorted(by_canton, key=lambda c: (c != home, c))
    count = max(1, min(count, len(cantons)))
    shares = [[] for _ in range(count)]
    for index, canton in enumerate(cantons):
        shares[index % count].extend(by_canton[canton])
    return shares


def main_town(communes, home_commune):
    if home_commune is not None and home_commune in communes:
        return home_commune
    return max(communes, key=lambda c: c.population_total or 0, default=None)


def generate(ctx):
    establishments = pick_establishments(ctx)
    sectors_per_org = {
        f.organisation_id: f.sectors
        for f in ContextFigures.objects.filter(
            year=ContextFigures.objects.latest_year(),
            discipline="GEN",
            organisation__in=establishments,
        )
    }
    next_number: dict[str, int] = {}
    places = commune_places()
    areas = {}
    for dep_id in {o.department_id for o in establishments}:
        same = [o for o in establishments if o.department_id == dep_id]
        communes = list(
            Commune.objects.filter(department_id=dep_id, kind=Commune.Kind.COMMUNE).order_by("code")
        )
        areas.update(catchment_areas(same, communes, places))
    for org in establishments:
        dep = org.department
        count = min(sectors_per_org.get(org.pk) or 1, 8)
        facilities = []
        for index, share in enumerate(
            sectors_of(areas.get(org.pk, []), count, places, org.commune)
        ):
            number = next_number.get(dep.code, 0) + 1
            next_number[dep.code] = number
            sector, _ = Sector.objects.get_or_create(
                code=f"{dep.code}G{number:02d}D",
                defaults={"discipline": "GEN", "organisation": org, "is_demo": True},
            )
            sector.communes.add(*share)
            town = main_town(share, org.commune) or org.commune
            facilities.append(
                Facility(
                    name=f"CMP {town.name if town else sector.code}",
                    kind=Facility.Kind.CMP,
                    organisation=org,
                    sector=sector,
                    commune=town,
                    is_demo=True,
                )
            )
            kind = (Facility.Kind.CATTP, Facility.Kind.DAY_HOSPITAL)[index % 2]
            facilities.append(
                Facility(
                    name=f"{Facility.Kind(kind).label} {sector.code}",
                    kind=kind,
                    organisation=org,
                    sector=sector,
                    commune=town,
                    is_demo=True,
                )
            )
            ctx.count("secteurs (démo)")
        facilities.append(
            Facility(
                name=f"Unité d'admission – {org.name[:60]}",
                kind=Facility.Kind.INPATIENT_UNIT,
                organisation=org,
                commune=org.commune,
                is_demo=True,
            )
        )
        facilities.append(
            Facility(
                name=f"Équipe mobile précarité – {dep.name}",
                kind=Facility.Kind.MOBILE_TEAM,
                organisation=org,
                commune=org.commune,
                is_demo=True,
            )
        )
        ctx.facilities[org.pk] = Facility.objects.bulk_create(facilities)
        ctx.count("dispositifs (démo)", len(facilities))
    ctx.organisations = establishments
    first = establishments[0]
    ctx.association = Organisation.objects.create(
        name=f"Association d'usagers {first.department.name} (démo)",
        kind=Organisation.Kind.ASSOCIATION,
        department=first.department,
        region=first.region,
        is_demo=True,
    )
    region = first.region or Region.objects.get(code=first.department.region.code)
    ctx.ars = Organisation.objects.create(
        name=f"ARS {region.name} (démo)", kind=Organisation.Kind.ARS, region=region, is_demo=True
    )
    ctx.observatory = Organisation.objects.create(
        name="Observatoire national de la pair-aidance (démo)",
        kind=Organisation.Kind.NATIONAL_OBSERVATORY,
        is_demo=True,
    )
    ctx.count("organisations (démo)", 3)
