"""Observer dashboards: per establishment of a region, or per region.

They read the published tables only (``published.py``), already protected by the publishing
step over every level and period: a fixed calendar period (the latest published year by
default), never a rolling window, never raw rows. The number of queries is constant.
Hidden figures are ``None``. (The observatory pages are being redone on the same API.)
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from entrepairs.accompaniment.models import Accompaniment
from entrepairs.territory.models import Organisation, Region

from . import published
from .models import Level
from .periods import Period

OBSERVER_KINDS = (Organisation.Kind.ARS, Organisation.Kind.NATIONAL_OBSERVATORY)


@dataclass
class Row:
    key: int
    label: str
    peers_in_post: int | None
    persons: int | None
    encounters: int | None
    group_sessions: int | None
    activities: int | None
    persons_by_setting: list[int | None]


@dataclass
class Dashboard:
    rows: list[Row]
    settings: list[tuple[str, str]]
    start: datetime.date | None
    end: datetime.date | None
    totals: dict
    persons_by_setting_totals: list[int | None]
    suppressed_count: int
    secondary_count: int
    threshold: int
    period: Period | None = None
    periods: list = field(default_factory=list)


def _value(figure):
    if figure is None or figure.hidden:
        return None
    return None if figure.value is None else int(figure.value)


def default_period(code=None):
    """The published period ``code`` if given and published, else the latest published year,
    else the latest published quarter; None when nothing is published."""
    periods = published.periods()
    if code:
        chosen = next((p for p in periods if p.code == code), None)
        if chosen:
            return chosen, periods
    years = [p for p in periods if p.kind == "year"]
    return (years[0] if years else (periods[0] if periods else None)), periods


def build(level, within, total_level, total_area, keys, period_code=None) -> Dashboard:
    """The dashboard of the areas of ``level`` (inside ``within``) with the totals of
    ``total_level``/``total_area``, read from the published tables (a fixed number of
    queries)."""
    period, periods = default_period(period_code)
    columns = list(Accompaniment.Setting.choices)
    threshold = settings.SMALL_CELL_THRESHOLD
    if period is None:
        totals = dict.fromkeys(
            ("peers_in_post", "persons", "encounters", "group_sessions", "activities")
        )
        return Dashboard([], columns, None, None, totals, [None] * len(columns), 0, 0, threshold)
    codes = {
        "peers": "pairs",
        "persons": "personnes_accompagnees",
        "encounters": "rencontres_par_mode",
        "sessions": "seances_groupe",
        "activities": "actions_institutionnelles",
    }
    tables = {name: published.cross(code, level, period, within) for name, code in codes.items()}
    totals = {
        name: published.cross(code, total_level, period).get(total_area, {})
        for name, code in codes.items()
    }
    hidden = 0
    rows = []
    for area, figures in tables["persons"].items():
        by_setting = [_value(figures.get(code)) for code, _l in columns]
        hidden += sum(1 for f in figures.values() if f.hidden)
        encounters = tables["encounters"].get(area, {}).get("")
        hidden += bool(encounters and encounters.hidden)
        rows.append(
            Row(
                key=keys.get(area, int(area) if level == Level.ORGANISATION else area),
                label=figures[""].label,
                peers_in_post=_value(tables["peers"].get(area, {}).get("en_poste")),
                persons=_value(figures.get("")),
                encounters=_value(encounters),
                group_sessions=_value(tables["sessions"].get(area, {}).get("")),
                activities=_value(tables["activities"].get(area, {}).get("")),
                persons_by_setting=by_setting,
            )
        )
    return Dashboard(
        rows=rows,
        settings=columns,
        start=period.start,
        end=period.end,
        totals={
            "peers_in_post": _value(totals["peers"].get("en_poste")),
            "persons": _value(totals["persons"].get("")),
            "encounters": _value(totals["encounters"].get("")),
            "group_sessions": _value(totals["sessions"].get("")),
            "activities": _value(totals["activities"].get("")),
        },
        persons_by_setting_totals=[_value(totals["persons"].get(c)) for c, _l in columns],
        suppressed_count=hidden,
        secondary_count=0,
        threshold=threshold,
        period=period,
        periods=periods,
    )


def regional(region, today=None, period=None) -> Dashboard:
    """One row per participating establishment or association of ``region``."""
    return build(
        Level.ORGANISATION, (Level.REGION, region.code), Level.REGION, region.code, {}, period
    )


def national(today=None, period=None) -> Dashboard:
    """One row per region."""
    keys = dict(Region.objects.values_list("code", "pk"))
    return build(Level.REGION, None, Level.NATION, "FR", keys, period)


def peers_chart(dashboard: Dashboard) -> str:
    """Horizontal bars of peers in post per row, as accessible SVG (data in the activity table).

    Peers are staff, not persons accompanied: no small-cell rule applies to them.
    """
    rows = [row for row in dashboard.rows if row.peers_in_post]  # hidden (None) or 0: no bar
    if not rows:
        return ""
    width, bar, gap, label_width = 560, 20, 10, 260
    top = max(row.peers_in_post for row in rows)
    scale = (width - label_width - 40) / top
    height = len(rows) * (bar + gap) + gap
    description = "; ".join(f"{row.label} : {row.peers_in_post}" for row in rows)
    bars = format_html_join(
        "",
        '<text x="0" y="{}" font-size="13" fill="#1e2a32">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="#1d5c8c"></rect>'
        '<text x="{}" y="{}" font-size="13" fill="#1e2a32">{}</text>',
        (
            (
                gap + i * (bar + gap) + 15,
                Truncator(row.label).chars(34),
                label_width,
                gap + i * (bar + gap),
                round(row.peers_in_post * scale),
                bar,
                label_width + round(row.peers_in_post * scale) + 6,
                gap + i * (bar + gap) + 15,
                row.peers_in_post,
            )
            for i, row in enumerate(rows)
        ),
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" '
        'role="img" aria-label="{}">{}</svg>',
        width,
        height,
        _("Pairs en poste") + " : " + description,
        bars,
    )
