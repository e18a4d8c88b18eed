"""Demo sectors and facilities, invented from each establishment's real SAE figures.

No open dataset maps sectors to communes: the sectors made here are plausible (as many as the
establishment's NB_SECT for adults, communes of its département) and flagged ``is_demo``.
"""

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
    for org in establishments:
        dep = org.department
        communes = list(
            Commune.objects.filter(department=dep, kind=Commune.Kind.COMMUNE).order_by("code")
        )
        ctx.rng.shuffle(communes)
        count = min(sectors_per_org.get(org.pk) or 1, 8)
        facilities = []
        for index in range(count):
            number = next_number.get(dep.code, 0) + 1
            next_number[dep.code] = number
            sector, _ = Sector.objects.get_or_create(
                code=f"{dep.code}G{number:02d}D",
                defaults={"discipline": "GEN", "organisation": org, "is_demo": True},
            )
            share = communes[index::count]
            sector.communes.add(*share)
            town = share[0] if share else org.commune
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
