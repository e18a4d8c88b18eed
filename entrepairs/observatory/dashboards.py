"""Aggregates of the observer dashboards: per establishment of a region, or per region.

Only counts leave this module, never a person row. Every count of persons goes through
``suppress_small_cells`` (DESIGN.md, principle 7). Peers in post are staff, not persons
accompanied: they are shown as they are. The number of queries does not depend on the number
of rows: each figure is one ``values().annotate()`` query grouped by row.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from entrepairs.accompaniment.models import Accompaniment, Encounter
from entrepairs.groups.models import GroupSession
from entrepairs.institution.models import InstitutionalActivity
from entrepairs.territory.models import Organisation, Region
from entrepairs.workforce.models import PeerWorker

from .suppression import CountTable, suppress_small_cells

PERIOD_DAYS = 365
OBSERVER_KINDS = (Organisation.Kind.ARS, Organisation.Kind.NATIONAL_OBSERVATORY)


@dataclass
class Row:
    key: int
    label: str
    peers_in_post: int
    persons: int | None
    encounters: int | None
    group_sessions: int
    activities: int
    persons_by_setting: list[int | None]


@dataclass
class Dashboard:
    rows: list[Row]
    settings: list[tuple[str, str]]
    start: datetime.date
    end: datetime.date
    totals: dict
    persons_by_setting_totals: list[int | None]
    suppressed_count: int
    secondary_count: int
    threshold: int


def period(today=None):
    """The last twelve months, today included."""
    end = today or timezone.localdate()
    return end - datetime.timedelta(days=PERIOD_DAYS - 1), end


def _by_key(queryset, key, **aggregates):
    """``{row key: {name: value}}`` in one grouped query."""
    return {
        item["row_key"]: item
        for item in queryset.annotate(row_key=key).values("row_key").annotate(**aggregates)
    }


def build(rows, level, today=None) -> Dashboard:
    """The dashboard of ``rows`` (list of (key, label)): organisations (``level="organisation"``)
    or regions (``level="region"``)."""
    start, end = period(today)
    keys = [key for key, _label in rows]
    org = {
        "organisation": "",
        "region": "__region",
    }[level]
    peer_key = Coalesce(F(f"host_organisation{org}_id"), F(f"employer{org}_id"))
    encounter_key = F(f"organisation{org}_id")

    peers = _by_key(
        PeerWorker.objects.filter(status=PeerWorker.Status.IN_POST),
        peer_key,
        n=Count("pk"),
    )
    encounters = Encounter.objects.filter(
        outcome=Encounter.Outcome.HELD, date__range=(start, end)
    ).annotate(row_key=encounter_key)
    # Only the rows shown: totals stay the totals of the table (persons of an organisation
    # without a region are left out of the national table).
    encounters = encounters.filter(row_key__in=keys)
    per_row = {
        item["row_key"]: item
        for item in encounters.values("row_key").annotate(
            n=Count("pk"), persons=Count("accompaniment__person", distinct=True)
        )
    }
    per_cell = {
        (item["row_key"], item["accompaniment__setting"]): item["persons"]
        for item in encounters.values("row_key", "accompaniment__setting").annotate(
            persons=Count("accompaniment__person", distinct=True)
        )
    }
    per_setting = {
        item["accompaniment__setting"]: item["persons"]
        for item in encounters.values("accompaniment__setting").annotate(
            persons=Count("accompaniment__person", distinct=True)
        )
    }
    grand = encounters.aggregate(
        persons=Count("accompaniment__person", distinct=True), n=Count("pk")
    )
    sessions = _by_key(
        GroupSession.objects.filter(date__range=(start, end)),
        F(f"group__organisation{org}_id"),
        n=Count("pk"),
    )
    activities = _by_key(
        InstitutionalActivity.objects.filter(date__range=(start, end)),
        F(f"organisation{org}_id"),
        n=Count("pk"),
    )

    columns = list(Accompaniment.Setting.choices)
    threshold = settings.SMALL_CELL_THRESHOLD
    # Persons: a person accompanied in two settings counts once in the row total, so the
    # totals are distinct counts given to the suppression, not sums of cells.
    persons = suppress_small_cells(
        CountTable(
            cells=[[per_cell.get((key, code), 0) for code, _l in columns] for key in keys],
            row_totals=[per_row.get(key, {}).get("persons", 0) for key in keys],
            column_totals=[per_setting.get(code, 0) for code, _l in columns],
            grand_total=grand["persons"],
        ),
        threshold,
    )
    # A number of encounters below the threshold would bound the number of persons met: it is
    # hidden the same way (one column, with its total).
    encounter_counts = suppress_small_cells(
        CountTable(
            cells=[[per_row.get(key, {}).get("n", 0)] for key in keys],
            column_totals=[grand["n"]],
            grand_total=grand["n"],
        ),
        threshold,
    )
    table_rows = [
        Row(
            key=key,
            label=label,
            peers_in_post=peers.get(key, {}).get("n", 0),
            persons=persons.row_totals[i],
            encounters=encounter_counts.cells[i][0],
            group_sessions=sessions.get(key, {}).get("n", 0),
            activities=activities.get(key, {}).get("n", 0),
            persons_by_setting=persons.cells[i],
        )
        for i, (key, label) in enumerate(rows)
    ]
    totals = {
        "peers_in_post": sum(r.peers_in_post for r in table_rows),
        "persons": persons.grand_total,
        "encounters": encounter_counts.grand_total,
        "group_sessions": sum(r.group_sessions for r in table_rows),
        "activities": sum(r.activities for r in table_rows),
    }
    return Dashboard(
        rows=table_rows,
        settings=columns,
        start=start,
        end=end,
        totals=totals,
        persons_by_setting_totals=persons.column_totals,
        suppressed_count=persons.suppressed_count + encounter_counts.suppressed_count,
        secondary_count=len(persons.secondary) + len(encounter_counts.secondary),
        threshold=threshold,
    )


def regional(region, today=None) -> Dashboard:
    """One row per health establishment or association of ``region``."""
    organisations = (
        Organisation.objects.filter(region=region)
        .exclude(kind__in=OBSERVER_KINDS)
        .order_by("name", "pk")
        .values_list("pk", "name")
    )
    return build(list(organisations), "organisation", today)


def national(today=None) -> Dashboard:
    """One row per region."""
    regions = Region.objects.order_by("code").values_list("pk", "code", "name")
    return build([(pk, f"{name} ({code})") for pk, code, name in regions], "region", today)


def peers_chart(dashboard: Dashboard) -> str:
    """Horizontal bars of peers in post per row, as accessible SVG (data in the activity table).

    Peers are staff, not persons accompanied: no small-cell rule applies to them.
    """
    rows = [row for row in dashboard.rows if row.peers_in_post]
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
