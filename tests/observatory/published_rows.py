"""Published figures written straight into ``PublishedFigure``, for the page and export tests.

Pages and exports read the publication only, so their tests give it exact figures (hidden,
zero, shown) instead of running the publishing step, which has tests of its own.
"""

from entrepairs.observatory import published
from entrepairs.observatory.models import Level, Publication, PublishedFigure
from entrepairs.observatory.periods import Period

HIDDEN = None  # a hidden figure in the specs below


def publication(period: Period) -> Publication:
    return Publication.objects.get_or_create(period_kind=period.kind, period_start=period.start)[0]


def figure(
    period,
    level,
    area_code,
    label,
    indicator,
    value,
    *,
    breakdown="",
    region="",
    department="",
    denominator=None,
    numerator=None,
):
    hidden = value is HIDDEN
    return PublishedFigure(
        publication=publication(period),
        period_kind=period.kind,
        period_start=period.start,
        level=level,
        area_code=area_code,
        area_label=label,
        region_code=region,
        department_code=department,
        indicator=indicator,
        breakdown=breakdown,
        value=None if hidden else value,
        numerator=None if hidden else (numerator if numerator is not None else value),
        denominator=None if hidden else denominator,
        status=PublishedFigure.Status.HIDDEN if hidden else PublishedFigure.Status.SHOWN,
    )


def publish_world(world, period: Period, *, persons=(240, 12, HIDDEN), scale=1):
    """Figures for every indicator at every level: nation, Hauts-de-France (32) and its Nord
    (59), Bretagne (53), org A and org B. ``persons`` = (nation, org A, org B) for
    ``personnes_accompagnees``; ``scale`` more regions and départements (constant query tests).
    """
    a, b = world.org_a, world.org_b
    areas = [
        (Level.NATION, "FR", "France", "", ""),
        (Level.REGION, "32", "Hauts-de-France", "32", ""),
        (Level.REGION, "53", "Bretagne", "53", ""),
        (Level.DEPARTMENT, "59", "Nord", "32", "59"),
        (Level.DEPARTMENT, "29", "Finistère", "53", "29"),
        (Level.ORGANISATION, str(a.pk), a.name, "32", "59"),
        (Level.ORGANISATION, str(b.pk), b.name, "32", "59"),
    ]
    for i in range(scale - 1):
        areas.append((Level.DEPARTMENT, f"X{i}", f"Département {i}", "53", ""))
        areas.append((Level.ORGANISATION, str(10_000 + i), f"Établissement {i}", "53", "29"))
    rows = []
    for indicator in published.catalogue():
        for level, code, label, region, department in areas:
            if level not in indicator.levels:
                continue
            value = 30
            if indicator.code == "personnes_accompagnees":
                value = {"FR": persons[0], str(a.pk): persons[1], str(b.pk): persons[2]}.get(
                    code, 40
                )
            if code == "29":  # Finistère: no peer, persons hidden
                value = {"pairs": 0, "personnes_accompagnees": HIDDEN}.get(indicator.code, 30)
            denominator = None
            if indicator.is_ratio:
                value, denominator = (0.78, 50) if indicator.kind == "proportion" else (12.5, 50)
                if code == str(b.pk):
                    value = HIDDEN
            common = dict(region=region, department=department, denominator=denominator)
            rows.append(figure(period, level, code, label, indicator.code, value, **common))
            for n, (breakdown, _label) in enumerate(indicator.breakdowns):
                shown = HIDDEN if (value is HIDDEN or (n == 0 and code == str(a.pk))) else value
                rows.append(
                    figure(
                        period,
                        level,
                        code,
                        label,
                        indicator.code,
                        shown,
                        breakdown=breakdown,
                        **common,
                    )
                )
    PublishedFigure.objects.bulk_create(rows)
    return rows
