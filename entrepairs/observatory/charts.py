"""Time series of one indicator as small SVG charts drawn server-side (bars or a line).

The same SVG goes into the page and into the PDF report. Every chart is an image with a title
and a description that names every value; the page puts the data table next to it. A hidden
figure (disclosure control) draws no bar and no point: the chart says "secret" at its place,
so that a gap is never read as zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .exports.table import SECRET, display_value
from .maps import OUTLINE_COLOUR

BAR_COLOUR = "#1d5c8c"  # 7.3:1 on white
AXIS_COLOUR = "#5b6770"
WIDTH, HEIGHT = 480, 200
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 18, 34


@dataclass(frozen=True)
class Point:
    label: str  # the period's short label, e.g. "2026-T1"
    value: object  # number, Withheld or None (not computed)


def _number(value) -> float | None:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return float(value)
    return None


def _axis_top(value: float) -> float:
    """A round top of the axis just above ``value`` (61 gives 80, 0.42 gives 0.5)."""
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * magnitude >= value - 1e-9:
            return round(step * magnitude, 10)
    return 10 * magnitude  # pragma: no cover


def _text(value, unit: str) -> str:
    text = display_value(value)
    if _number(value) is None:
        return text or _("non disponible")
    if unit == "%":
        return f"{text}\u202f%"
    return f"{text} {unit}".strip()


def series_chart(
    points: list[Point], title: str, unit: str = "", *, kind: str = "bar", dom_id: str = "serie"
) -> SafeString:
    """Bars (counts) or a line (shares, means) of ``points``, oldest first."""
    if kind not in ("bar", "line"):
        raise ValueError(f"Type de graphique inconnu : {kind}")
    numbers = [n for n in (_number(p.value) for p in points) if n is not None]
    top = max(numbers, default=0)
    if unit == "%" and top <= 100:
        top = 100
    top = _axis_top(top)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(points), 1)
    base = TOP + plot_h

    def y_of(value: float) -> float:
        return round(base - value / top * plot_h, 1)

    parts = [
        # Axes and the top tick (0 and the maximum are labelled; the table has the rest).
        f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}" '
        f'stroke="{AXIS_COLOUR}" stroke-width="1"></line>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{base}" stroke="{AXIS_COLOUR}" '
        'stroke-width="1"></line>',
        f'<line x1="{LEFT - 3}" y1="{TOP}" x2="{WIDTH - RIGHT}" y2="{TOP}" stroke="#d5dbe0" '
        'stroke-width="1" stroke-dasharray="3 3"></line>',
        f'<text x="{LEFT - 5}" y="{base + 4}" font-size="11" text-anchor="end" '
        f'fill="{OUTLINE_COLOUR}">0</text>',
        f'<text x="{LEFT - 5}" y="{TOP + 4}" font-size="11" text-anchor="end" '
        f'fill="{OUTLINE_COLOUR}">{escape(display_value(int(top) if float(top).is_integer() else top))}</text>',
    ]
    line_points: list[list[tuple[float, float]]] = [[]]
    every = max(1, round(len(points) / 8))  # at most about eight period labels
    for index, point in enumerate(points):
        centre = round(LEFT + slot * (index + 0.5), 1)
        value = _number(point.value)
        if index % every == 0 or index == len(points) - 1:
            parts.append(
                f'<text x="{centre}" y="{base + 15}" font-size="10" text-anchor="middle" '
                f'fill="{OUTLINE_COLOUR}">{escape(point.label)}</text>'
            )
        if value is None:
            marker = "s" if point.value == SECRET else "nd"
            parts.append(
                f'<text x="{centre}" y="{base - 4}" font-size="10" text-anchor="middle" '
                f'fill="{AXIS_COLOUR}" data-missing="{marker}">'
                f"{escape(_('secret') if marker == 's' else _('nd'))}</text>"
            )
            if line_points[-1]:
                line_points.append([])
            continue
        y = y_of(value)
        if kind == "bar":
            bar_w = round(min(slot * 0.7, 40), 1)
            parts.append(
                f'<rect x="{round(centre - bar_w / 2, 1)}" y="{y}" width="{bar_w}" '
                f'height="{round(base - y, 1)}" fill="{BAR_COLOUR}" data-value="{value:g}"></rect>'
            )
        else:
            line_points[-1].append((centre, y))
            parts.append(
                f'<circle cx="{centre}" cy="{y}" r="3" fill="{BAR_COLOUR}" '
                f'data-value="{value:g}"></circle>'
            )
        if len(points) <= 12:
            parts.append(
                f'<text x="{centre}" y="{round(y - 4, 1)}" font-size="10" text-anchor="middle" '
                f'fill="{OUTLINE_COLOUR}">{escape(display_value(point.value))}</text>'
            )
    for segment in line_points:
        if len(segment) > 1:
            coords = " ".join(f"{x},{y}" for x, y in segment)
            parts.insert(
                5,
                f'<polyline points="{coords}" fill="none" stroke="{BAR_COLOUR}" '
                'stroke-width="2"></polyline>',
            )
    description = "; ".join(f"{p.label} : {_text(p.value, unit)}" for p in points) or _(
        "aucune période publiée"
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'role="img" aria-labelledby="{dom_id}-title {dom_id}-desc" class="ep-chart" '
        f'font-family="sans-serif" data-kind="{kind}">'
        f'<title id="{dom_id}-title">{escape(title)}</title>'
        f'<desc id="{dom_id}-desc">{escape(description)}</desc>'
        f"{''.join(parts)}</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - every text above went through escape()
