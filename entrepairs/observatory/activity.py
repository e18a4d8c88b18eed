"""A peer's time by mission type: individual accompaniment, groups, institutional participation.

Time counted (see docs/missions.md):
- individual: duration of the peer's encounters that took place (missed or cancelled ones
  show in the timeline but count no time);
- groups: duration of each group session where the peer is marked present;
- institutional: duration of each institutional activity the peer took part in.
Everything is restricted to one organisation (the tenant boundary) and summed in SQL.
"""

import datetime
from dataclasses import dataclass

from django.db.models import F, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from entrepairs.accompaniment.models import Encounter
from entrepairs.groups.models import GroupSession
from entrepairs.institution.models import InstitutionalActivity
from entrepairs.workforce.models import PeerWorker

INDIVIDUAL, GROUPS, INSTITUTIONAL = "individual", "groups", "institutional"
MISSIONS = [
    (INDIVIDUAL, _("Accompagnement individuel")),
    (GROUPS, _("Groupes")),
    (INSTITUTIONAL, _("Participation institutionnelle")),
]


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First day of ``month`` and first day of the next month."""
    start = month.replace(day=1)
    end = (start + datetime.timedelta(days=32)).replace(day=1)
    return start, end


def parse_month(value: str | None) -> datetime.date | None:
    """ "2025-03" → date(2025, 3, 1); None when the value is not a month."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        if not 2000 <= year <= 2100:
            return None
        return datetime.date(year, month, 1)
    except ValueError:
        return None


def encounters_of(peer_id, organisation_id):
    return Encounter.objects.filter(peer_id=peer_id, organisation_id=organisation_id)


def group_presences_of(peer_id, organisation_id):
    through = GroupSession.peers_present.through
    return through.objects.filter(
        peerworker_id=peer_id, groupsession__group__organisation_id=organisation_id
    )


def activity_participations_of(peer_id, organisation_id):
    through = InstitutionalActivity.peers.through
    return through.objects.filter(
        peerworker_id=peer_id, institutionalactivity__organisation_id=organisation_id
    )


def _minutes(queryset, duration):
    """A correlated subquery: the sum of ``duration`` over ``queryset`` (0 when empty)."""
    summed = (
        queryset.order_by()
        .annotate(_one=Value(1))
        .values("_one")
        .annotate(total=Sum(duration))
        .values("total")
    )
    return Coalesce(Subquery(summed, output_field=IntegerField()), 0)


def largest_remainder(values: dict[str, int]) -> dict[str, int]:
    """Whole percentages of ``values`` that add up to exactly 100 (or all 0 when empty)."""
    total = sum(values.values())
    if not total:
        return dict.fromkeys(values, 0)
    exact = {key: value * 100 / total for key, value in values.items()}
    shares = {key: int(share) for key, share in exact.items()}
    missing = 100 - sum(shares.values())
    for key in sorted(exact, key=lambda k: exact[k] - shares[k], reverse=True)[:missing]:
        shares[key] += 1
    return shares


@dataclass
class MissionRow:
    key: str
    label: str
    minutes: int
    share: int
    target: int | None = None

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)


@dataclass
class MonthlySummary:
    month: datetime.date
    rows: list[MissionRow]

    @property
    def total_minutes(self) -> int:
        return sum(row.minutes for row in self.rows)

    @property
    def total_hours(self) -> float:
        return round(self.total_minutes / 60, 1)

    @property
    def has_targets(self) -> bool:
        return any(row.target is not None for row in self.rows)


def monthly_summary(peer, organisation_id, month: datetime.date) -> MonthlySummary:
    """Minutes and shares of each mission for one peer and one month, beside the targets of
    their signed mission charter: two SQL queries whatever the volume."""
    start, end = month_bounds(month)
    totals = (
        PeerWorker.objects.filter(pk=peer.pk)
        .annotate(
            individual=_minutes(
                encounters_of(OuterRef("pk"), organisation_id).filter(
                    date__gte=start, date__lt=end, outcome=Encounter.Outcome.HELD
                ),
                "duration_minutes",
            ),
            groups=_minutes(
                group_presences_of(OuterRef("pk"), organisation_id).filter(
                    groupsession__date__gte=start, groupsession__date__lt=end
                ),
                "groupsession__duration_minutes",
            ),
            institutional=_minutes(
                activity_participations_of(OuterRef("pk"), organisation_id).filter(
                    institutionalactivity__date__gte=start, institutionalactivity__date__lt=end
                ),
                "institutionalactivity__duration_minutes",
            ),
        )
        .values(INDIVIDUAL, GROUPS, INSTITUTIONAL)
        .get()
    )
    shares = largest_remainder(totals)
    targets = charter_shares_for(peer) or {}
    return MonthlySummary(
        month=start,
        rows=[
            MissionRow(key, str(label), totals[key], shares[key], targets.get(key))
            for key, label in MISSIONS
        ],
    )


def charter_shares_for(peer) -> dict[str, int] | None:
    """Target shares (%) of the peer's current mission charter, keyed like ``MISSIONS``
    (``individual``, ``groups``, ``institutional``), or None while the workforce app has no
    ``MissionCharter.current_for(peer)`` or the peer has no signed charter."""
    from entrepairs.workforce.models import MissionCharter

    charter = MissionCharter.current_for(peer)
    return charter.shares if charter else None


def timeline(peer_id, organisation_id):
    """(mission, id, date, minutes) of everything the peer did, newest first, as one UNION
    query so that it can be paginated in SQL."""

    def rows(queryset, mission, oid, date, minutes):
        # Annotations only, in the same order in the three queries, so the UNION lines up.
        return (
            queryset.order_by()
            .annotate(mission=Value(mission), oid=F(oid), day=F(date), minutes=F(minutes))
            .values_list("mission", "oid", "day", "minutes")
        )

    individual = rows(
        encounters_of(peer_id, organisation_id), INDIVIDUAL, "pk", "date", "duration_minutes"
    )
    groups = rows(
        group_presences_of(peer_id, organisation_id),
        GROUPS,
        "groupsession_id",
        "groupsession__date",
        "groupsession__duration_minutes",
    )
    institutional = rows(
        activity_participations_of(peer_id, organisation_id),
        INSTITUTIONAL,
        "institutionalactivity_id",
        "institutionalactivity__date",
        "institutionalactivity__duration_minutes",
    )
    return individual.union(groups, institutional, all=True).order_by("-day", "mission", "-oid")


@dataclass
class TimelineEntry:
    mission: str
    label: str
    date: datetime.date
    minutes: int
    what: str
    detail: str
    counted: bool = True


def timeline_entries(rows) -> list[TimelineEntry]:
    """Details of one page of ``timeline`` rows: three queries whatever the page size.
    Encounters show kind, mode and outcome, never the note nor who was met."""
    ids = {INDIVIDUAL: [], GROUPS: [], INSTITUTIONAL: []}
    for mission, oid, _day, _minutes in rows:
        ids[mission].append(oid)
    encounters = Encounter.objects.only("kinds", "mode", "outcome").in_bulk(ids[INDIVIDUAL])
    sessions = (
        GroupSession.objects.select_related("group")
        .only("theme", "headcount", "group__name", "group__kind")
        .in_bulk(ids[GROUPS])
    )
    activities = InstitutionalActivity.objects.only("title", "kind", "instance").in_bulk(
        ids[INSTITUTIONAL]
    )
    # Choice labels looked up once per page, not once per row (get_FOO_display rebuilds them).
    labels = dict(MISSIONS)
    kinds = dict(Encounter.Kind.choices)
    modes = dict(Encounter.Mode.choices)
    outcomes = dict(Encounter.Outcome.choices)
    entries = []
    for mission, oid, day, minutes in rows:
        counted = True
        if mission == INDIVIDUAL:
            encounter = encounters[oid]
            what = ", ".join(str(kinds.get(k, k)) for k in encounter.kinds) or str(_("rencontre"))
            mode = modes.get(encounter.mode, encounter.mode)
            detail = f"{mode} – {outcomes.get(encounter.outcome, encounter.outcome)}"
            counted = encounter.outcome == Encounter.Outcome.HELD
        elif mission == GROUPS:
            session = sessions[oid]
            what = session.group.name
            detail = f"{session.group.get_kind_display()} – " + str(
                _("%(n)s participant·es") % {"n": session.headcount}
            )
        else:
            activity = activities[oid]
            what = activity.title
            detail = activity.kind_label
        entries.append(
            TimelineEntry(mission, str(labels[mission]), day, minutes, what, detail, counted)
        )
    return entries


COLOURS = {INDIVIDUAL: "#1f5f8b", GROUPS: "#2e7d4f", INSTITUTIONAL: "#8a4b08"}


def shares_chart(summary: MonthlySummary) -> str:
    """A horizontal bar per mission (share of the month's time), as accessible SVG."""
    width, bar, gap, label_width = 480, 22, 12, 210
    height = len(summary.rows) * (bar + gap) + gap
    description = "; ".join(f"{row.label} : {row.share} %" for row in summary.rows)
    bars = format_html_join(
        "",
        '<text x="0" y="{}" font-size="14" fill="#1e2a32">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
        '<text x="{}" y="{}" font-size="14" fill="#1e2a32">{} %</text>',
        (
            (
                gap + i * (bar + gap) + 16,
                row.label,
                label_width,
                gap + i * (bar + gap),
                round(row.share * (width - label_width - 50) / 100),
                bar,
                COLOURS[row.key],
                label_width + round(row.share * (width - label_width - 50) / 100) + 6,
                gap + i * (bar + gap) + 16,
                row.share,
            )
            for i, row in enumerate(summary.rows)
        ),
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="{}" height="{}" '
        'role="img" aria-label="{}">{}</svg>',
        width,
        height,
        width,
        height,
        _("Part du temps par mission") + " : " + description,
        bars,
    )
