"""Server-side SVG chart of the outcomes page: mean scores before and after, per instrument
scale, for the persons followed up. The same string works in the page and in a PDF; the
table next to it stays the data table.

Honest about small numbers: a row below the small-cell threshold gets no bar, only the words
"effectif trop faible". Bars are labelled "Avant" / "Après" in text: colour is never the
only cue.
"""

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

BEFORE_COLOUR = "#5c6670"  # contrast >= 3:1 on white (WCAG 1.4.11)
AFTER_COLOUR = "#1f5f8b"
TEXT_COLOUR = "#1e2a32"
MUTED_COLOUR = "#495057"
WIDTH = 720
LABEL_W = 70  # "Avant" / "Après" column
VALUE_W = 60  # room for the value after the bar
BAR_H = 18
TITLE_H = 22
ROW_GAP = 16
AXIS_H = 16


def _num(value) -> str:
    return number_format(round(float(value), 1), 1)


def _tick(value) -> str:
    """Axis ends: whole numbers without decimals (0, 25, 100)."""
    return number_format(value, 0) if float(value).is_integer() else _num(value)


def _row_height(row) -> int:
    if row["small"]:
        return TITLE_H + BAR_H + ROW_GAP
    return TITLE_H + 2 * (BAR_H + 4) + AXIS_H + ROW_GAP


def _bounds(row) -> tuple[float, float]:
    """The scale's own range when known, so that bars of different scales are not compared."""
    low, high = row.get("bounds") or (0, 0)
    if high <= low:
        low, high = 0, max(row["mean_before"], row["mean_after"], 1) * 1.1
    return low, high


def row_title(row) -> str:
    return f"{row['version'].title} – {row['label']}"


def aria_label(rows) -> str:
    """Every figure the chart draws, in words (and the rows it does not draw, saying why)."""
    parts = [_("Scores moyens avant et après, pour les personnes suivies.")]
    for row in rows:
        if row["small"]:
            parts.append(
                _("%(title)s : effectif trop faible (n = %(n)s), pas de barre.")
                % {"title": row_title(row), "n": row["n"]}
            )
        else:
            parts.append(
                _("%(title)s : avant %(before)s, après %(after)s (n = %(n)s).")
                % {
                    "title": row_title(row),
                    "before": _num(row["mean_before"]),
                    "after": _num(row["mean_after"]),
                    "n": row["n"],
                }
            )
    parts.append(_("Le tableau qui suit donne le détail."))
    return " ".join(parts)


def _bars(row, y) -> list[str]:
    low, high = _bounds(row)
    span_w = WIDTH - LABEL_W - VALUE_W
    out = []
    for index, (label, value, colour) in enumerate(
        (
            (_("Avant"), row["mean_before"], BEFORE_COLOUR),
            (_("Après"), row["mean_after"], AFTER_COLOUR),
        )
    ):
        top = y + index * (BAR_H + 4)
        width = max(1.0, span_w * (min(max(value, low), high) - low) / (high - low))
        out.append(
            f'<text x="{LABEL_W - 8}" y="{top + 13}" text-anchor="end" fill="{TEXT_COLOUR}">'
            f"{escape(label)}</text>"
            f'<rect x="{LABEL_W}" y="{top}" width="{width:.1f}" height="{BAR_H}" '
            f'fill="{colour}"/>'
            f'<text x="{LABEL_W + width + 6:.1f}" y="{top + 13}" fill="{TEXT_COLOUR}">'
            f"{escape(_num(value))}</text>"
        )
    axis_y = y + 2 * (BAR_H + 4)
    out.append(
        f'<line x1="{LABEL_W}" y1="{axis_y}" x2="{WIDTH - VALUE_W}" y2="{axis_y}" '
        f'stroke="{MUTED_COLOUR}"/>'
        f'<text x="{LABEL_W}" y="{axis_y + 13}" text-anchor="start" fill="{MUTED_COLOUR}">'
        f"{escape(_tick(low))}</text>"
        f'<text x="{WIDTH - VALUE_W}" y="{axis_y + 13}" text-anchor="end" fill="{MUTED_COLOUR}">'
        f"{escape(_tick(high))}</text>"
    )
    return out


def paired_chart(rows: list[dict]) -> str:
    """SVG of ``rows`` from ``outcomes.paired_results`` (already filtered for the viewer)."""
    if not rows:
        return ""
    height = sum(_row_height(row) for row in rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" class="img-fluid d-block" role="img" '
        f'aria-label="{escape(aria_label(rows))}" font-family="sans-serif" font-size="12">'
        '<g aria-hidden="true">'
    ]
    y = 0
    for row in rows:
        parts.append(
            f'<text x="0" y="{y + 15}" font-weight="bold" fill="{TEXT_COLOUR}">'
            f"{escape(row_title(row))} (n = {row['n']})</text>"
        )
        if row["small"]:
            parts.append(
                f'<text x="{LABEL_W}" y="{y + TITLE_H + 13}" fill="{TEXT_COLOUR}" '
                f'font-style="italic">{escape(_("effectif trop faible"))}</text>'
            )
        else:
            parts.extend(_bars(row, y + TITLE_H))
        y += _row_height(row)
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308 every interpolated text is escaped above
