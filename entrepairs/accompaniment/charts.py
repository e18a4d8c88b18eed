"""Server-side SVG of a recovery plan's ratings over time (one small panel per life domain).

The same string works in the page and in a PDF. The person's ratings are a solid line with
round markers, the peer's a dashed line with square markers: colour is never the only cue.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

PERSON_COLOUR = "#1f5f8b"
PEER_COLOUR = "#8a4500"
PANEL_W, PANEL_H = 300, 150
PAD_L, PAD_R, PAD_T, PAD_B = 30, 12, 26, 26
COLUMNS = 2


def _points(values, dates, x_of, y_of):
    return [(x_of(i), y_of(v)) for i, v in enumerate(values) if v is not None]


def ratings_chart(plan_rows: list[dict], dates: list) -> str:
    """SVG for ``plan_rows`` = [{"domain": name, "person": [..], "peer": [..]}], one value per
    review date (None where not rated)."""
    n_panels = len(plan_rows)
    rows = (n_panels + COLUMNS - 1) // COLUMNS or 1
    legend_h = 30
    width, height = PANEL_W * COLUMNS, PANEL_H * rows + legend_h
    label = _(
        "Évolution des notes de 0 à 10 par domaine de vie, sur %(n)s points : "
        "trait plein pour la personne, tirets pour le ou la pair-aidant·e. "
        "Les valeurs sont dans le tableau qui suit."
    ) % {"n": len(dates)}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(label)}" '
        f'font-family="sans-serif" font-size="11">'
    ]
    # Legend.
    parts.append(
        f'<g aria-hidden="true"><line x1="10" y1="15" x2="40" y2="15" stroke="{PERSON_COLOUR}" '
        f'stroke-width="2.5"/><circle cx="25" cy="15" r="3.5" fill="{PERSON_COLOUR}"/>'
        f'<text x="46" y="19" fill="#1e2a32">{escape(_("la personne"))}</text>'
        f'<line x1="170" y1="15" x2="200" y2="15" stroke="{PEER_COLOUR}" stroke-width="2.5" '
        f'stroke-dasharray="5 3"/><rect x="181.5" y="11.5" width="7" height="7" '
        f'fill="{PEER_COLOUR}"/><text x="206" y="19" fill="#1e2a32">'
        f"{escape(_('le ou la pair-aidant·e'))}</text></g>"
    )
    n = len(dates)
    for index, row in enumerate(plan_rows):
        ox = (index % COLUMNS) * PANEL_W
        oy = legend_h + (index // COLUMNS) * PANEL_H
        inner_w = PANEL_W - PAD_L - PAD_R
        inner_h = PANEL_H - PAD_T - PAD_B

        def x_of(i, ox=ox, inner_w=inner_w):
            if n <= 1:
                return ox + PAD_L + inner_w / 2
            return ox + PAD_L + inner_w * i / (n - 1)

        def y_of(v, oy=oy, inner_h=inner_h):
            return oy + PAD_T + inner_h * (1 - v / 10)

        parts.append('<g aria-hidden="true">')
        parts.append(
            f'<text x="{ox + PAD_L}" y="{oy + 16}" font-weight="bold" fill="#1e2a32">'
            f"{escape(row['domain'])}</text>"
        )
        for tick in (0, 5, 10):
            y = y_of(tick)
            parts.append(
                f'<line x1="{ox + PAD_L}" y1="{y:.1f}" x2="{ox + PANEL_W - PAD_R}" y2="{y:.1f}" '
                f'stroke="#d5dde3"/><text x="{ox + PAD_L - 6}" y="{y + 4:.1f}" '
                f'text-anchor="end" fill="#495057">{tick}</text>'
            )
        if n:
            for i in sorted({0, n - 1}):
                parts.append(
                    f'<text x="{x_of(i):.1f}" y="{oy + PANEL_H - 8}" text-anchor="middle" '
                    f'fill="#495057">{dates[i]:%m/%y}</text>'
                )
        for key, colour, dash, marker in (
            ("person", PERSON_COLOUR, "", "circle"),
            ("peer", PEER_COLOUR, ' stroke-dasharray="5 3"', "square"),
        ):
            points = _points(row[key], dates, x_of, y_of)
            if len(points) > 1:
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
                parts.append(
                    f'<polyline points="{path}" fill="none" stroke="{colour}" '
                    f'stroke-width="2.5"{dash}/>'
                )
            for x, y in points:
                if marker == "circle":
                    parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>')
                else:
                    parts.append(
                        f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" '
                        f'fill="{colour}"/>'
                    )
        parts.append("</g>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 every interpolated text is escaped above


def plan_series(plan) -> tuple[list, list[dict]]:
    """(review dates, [{"domain", "person": [...], "peer": [...]}]) from a prefetched plan."""
    reviews = plan.reviews_list()
    dates = [review.date for review in reviews]
    rows = []
    for domain in plan.domains_list():
        person, peer = [], []
        for review in reviews:
            rating = next((r for r in review.ratings.all() if r.domain_id == domain.pk), None)
            person.append(rating.person_score if rating else None)
            peer.append(rating.peer_score if rating else None)
        if any(v is not None for v in person + peer):
            rows.append({"domain": domain.name, "person": person, "peer": peer})
    return dates, rows
