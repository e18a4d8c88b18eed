"""Server-side SVG charts (a plain string): the same chart works in the page and in a PDF."""

import math
from html import escape

# Colour-blind safe, contrast >= 3:1 on white (WCAG 1.4.11 for graphical objects).
SERIES_COLOURS = ("#1f5f8b", "#b35900", "#2e7d32")
SERIES_DASHES = ("", "6 3", "2 3")


def radar_svg(axes, series, *, max_value=4, title="", size=420):
    """A radar chart. ``axes``: labels; ``series``: [(label, [value or None per axis]), …].

    Missing values are drawn at the centre. Returns an SVG string with role="img" and an
    aria-label summarising the values (the data table next to it gives the detail).
    """
    n = len(axes)
    centre = size / 2
    radius = size / 2 - 90
    summary = "; ".join(
        f"{label} : "
        + ", ".join(
            f"{axis} {'–' if v is None else f'{v:.1f}'}"
            for axis, v in zip(axes, values, strict=True)
        )
        for label, values in series
    )
    aria = escape(f"{title}. {summary}" if title else summary, quote=True)

    def point(i, value):
        angle = -math.pi / 2 + 2 * math.pi * i / max(n, 1)
        r = radius * (value or 0) / max_value
        return centre + r * math.cos(angle), centre + r * math.sin(angle)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size + 30 * len(series)}" '
        f'role="img" aria-label="{aria}" class="radar-chart">'
    ]
    for level in range(1, max_value + 1):
        ring = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, level) for i in range(n)))
        parts.append(f'<polygon points="{ring}" fill="none" stroke="#c7d2d9" stroke-width="1"/>')
    for i, axis in enumerate(axes):
        x, y = point(i, max_value)
        parts.append(
            f'<line x1="{centre:.1f}" y1="{centre:.1f}" x2="{x:.1f}" y2="{y:.1f}" '
            'stroke="#c7d2d9" stroke-width="1"/>'
        )
        lx, ly = point(i, max_value + 0.35)
        anchor = "middle" if abs(lx - centre) < 10 else ("start" if lx > centre else "end")
        words = escape(axis).split()
        lines = [" ".join(words[k : k + 3]) for k in range(0, len(words), 3)] or [""]
        tspans = "".join(
            f'<tspan x="{lx:.1f}" dy="{0 if k == 0 else 13}">{line}</tspan>'
            for k, line in enumerate(lines)
        )
        parts.append(
            f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="11" fill="#1e2a32" '
            f'text-anchor="{anchor}" aria-hidden="true">{tspans}</text>'
        )
    for s, (label, values) in enumerate(series):
        colour = SERIES_COLOURS[s % len(SERIES_COLOURS)]
        dash = SERIES_DASHES[s % len(SERIES_DASHES)]
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, v) for i, v in enumerate(values)))
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<polygon points="{pts}" fill="{colour}" fill-opacity="0.12" stroke="{colour}" '
            f'stroke-width="2.5"{dash_attr}/>'
        )
        ly = size + 18 + 30 * s - 10
        parts.append(
            f'<line x1="20" y1="{ly}" x2="50" y2="{ly}" stroke="{colour}" stroke-width="3"{dash_attr}/>'
            f'<text x="58" y="{ly + 4}" font-size="13" fill="#1e2a32" aria-hidden="true">'
            f"{escape(label)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
