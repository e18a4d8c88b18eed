"""Choropleth maps of départements and regions, drawn server-side as SVG.

The outlines are the simplified départements shipped in ``data/reference`` (IGN GEOFLA via
``gregoiredavid/france-geojson``, 96 metropolitan départements). They are projected once per
process in Lambert-93 (EPSG:2154, the official conformal conic projection of metropolitan
France) and kept as SVG path strings (``geometry()`` is cached): a request only picks colours.

Regions are the union of their départements: the départements of a region are filled with the
region's colour and the region's outline is drawn thicker. The outline is exact because the
file's départements share their border vertices: a border segment is a region's outline when
the two départements on either side belong to different regions (or when it has only one side).

The file has no overseas outlines: the five overseas départements and regions are drawn as
labelled tiles under the map (a schematic inset, said so on the map).

Colours: a five-class sequential blue palette whose lightness is monotone, so the order of
classes stays readable in greyscale; a hidden figure (disclosure control) is hatched, a missing
one is white with dots. Every map has a data table next to it in the page (``MapData.rows``).
"""

from __future__ import annotations

import csv
import json
import math
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .exports.table import NOT_AVAILABLE, SECRET, Withheld, display_value

OUTLINES_FILE = "departements-simplifie.geojson"
DEPARTMENTS_FILE = "cog-departements.csv"
REGIONS_FILE = "cog-regions.csv"

# ColorBrewer "Blues" (5 classes), light to dark: relative luminance strictly decreasing.
PALETTE = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
HATCH_COLOUR = "#3b3b3b"
OUTLINE_COLOUR = "#1e2a32"
WIDTH = 600  # SVG user units of the metropolitan map
MARGIN = 8
TILE_SIZE, TILE_STEP = 26, 34  # overseas tiles (bottom left of the map)

# Overseas départements and their region codes (COG), in the order of the tiles.
OVERSEAS = (("971", "01"), ("972", "02"), ("973", "03"), ("974", "04"), ("976", "06"))


# -- projection ---------------------------------------------------------------------------

# GRS80 ellipsoid and the Lambert-93 parameters (IGN, EPSG:2154).
_A = 6378137.0
_E = 0.0818191910428158
_LAT1, _LAT2, _LAT0, _LON0 = (math.radians(v) for v in (44.0, 49.0, 46.5, 3.0))
_X0, _Y0 = 700000.0, 6600000.0


def _m(phi):
    return math.cos(phi) / math.sqrt(1 - (_E * math.sin(phi)) ** 2)


def _t(phi):
    s = _E * math.sin(phi)
    return math.tan(math.pi / 4 - phi / 2) / ((1 - s) / (1 + s)) ** (_E / 2)


_N = (math.log(_m(_LAT1)) - math.log(_m(_LAT2))) / (math.log(_t(_LAT1)) - math.log(_t(_LAT2)))
_F = _m(_LAT1) / (_N * _t(_LAT1) ** _N)
_RHO0 = _A * _F * _t(_LAT0) ** _N


def lambert93(lon: float, lat: float) -> tuple[float, float]:
    """WGS84 degrees to Lambert-93 metres (the ~1 m gap between WGS84 and RGF93 is ignored)."""
    rho = _A * _F * _t(math.radians(lat)) ** _N
    theta = _N * (math.radians(lon) - _LON0)
    return _X0 + rho * math.sin(theta), _Y0 + _RHO0 - rho * math.cos(theta)


# -- geometry, computed once --------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    code: str
    name: str


@dataclass(frozen=True)
class Geometry:
    """Projected outlines, ready to draw: SVG path data per département and per region."""

    height: int
    department_paths: dict[str, str]
    region_outlines: dict[str, str]
    department_region: dict[str, str]
    departments: dict[str, Area]
    regions: dict[str, Area]
    overseas_tiles: dict[str, tuple[int, int, int]]  # département code -> (x, y, size)


def _rings(geometry):
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def _read_csv(path: Path):
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


@lru_cache(maxsize=1)
def geometry() -> Geometry:
    """Read and project the outlines once per process (about 14,000 vertices)."""
    directory = Path(settings.REFERENCE_DATA_DIR)
    features = json.loads((directory / OUTLINES_FILE).read_text(encoding="utf-8"))["features"]
    region_names = {row["REG"]: row["LIBELLE"] for row in _read_csv(directory / REGIONS_FILE)}
    department_rows = _read_csv(directory / DEPARTMENTS_FILE)
    department_region = {row["DEP"]: row["REG"] for row in department_rows}
    departments = {row["DEP"]: Area(row["DEP"], row["LIBELLE"]) for row in department_rows}
    regions = {code: Area(code, name) for code, name in region_names.items()}

    projected = {}
    xs, ys = [], []
    for feature in features:
        code = feature["properties"]["code"]
        rings = [[lambert93(lon, lat) for lon, lat in ring] for ring in _rings(feature["geometry"])]
        projected[code] = rings
        for ring in rings:
            xs.extend(x for x, _y in ring)
            ys.extend(y for _x, y in ring)
    min_x, max_x, min_y, max_y = min(xs), max(xs), min(ys), max(ys)
    scale = (WIDTH - 2 * MARGIN) / (max_x - min_x)
    map_height = math.ceil((max_y - min_y) * scale) + 2 * MARGIN

    def to_svg(point):
        x, y = point
        return round(MARGIN + (x - min_x) * scale), round(MARGIN + (max_y - y) * scale)

    department_paths = {
        code: " ".join(_ring_path([to_svg(p) for p in ring]) for ring in rings)
        for code, rings in projected.items()
    }

    # Region outlines: segments whose two sides are not in the same region.
    sides: dict[frozenset, list[str]] = {}
    for code, rings in projected.items():
        for ring in rings:
            for a, b in zip(ring, ring[1:], strict=False):
                sides.setdefault(frozenset((a, b)), []).append(code)
    outlines: dict[str, list[list[tuple[int, int]]]] = {}
    for code, rings in projected.items():
        region = department_region.get(code, "")
        strokes = outlines.setdefault(region, [])
        for ring in rings:
            current: list = []
            for a, b in zip(ring, ring[1:], strict=False):
                neighbours = sides[frozenset((a, b))]
                is_outline = len(neighbours) == 1 or any(
                    department_region.get(other) != region for other in neighbours
                )
                if is_outline:
                    start, end = to_svg(a), to_svg(b)
                    if current and current[-1] == start:
                        if end != start:
                            current.append(end)
                    else:
                        if len(current) > 1:
                            strokes.append(current)
                        current = [start, end]
                elif len(current) > 1:
                    strokes.append(current)
                    current = []
                else:
                    current = []
            if len(current) > 1:
                strokes.append(current)
    region_outlines = {
        region: " ".join(_line_path(stroke) for stroke in strokes)
        for region, strokes in outlines.items()
    }

    # The Bay of Biscay is empty: the overseas tiles stand there, one under the other.
    top = map_height - MARGIN - len(OVERSEAS) * TILE_STEP
    tiles = {
        code: (MARGIN, top + i * TILE_STEP, TILE_SIZE) for i, (code, _r) in enumerate(OVERSEAS)
    }
    return Geometry(
        height=map_height,
        department_paths=department_paths,
        region_outlines=region_outlines,
        department_region=department_region,
        departments=departments,
        regions=regions,
        overseas_tiles=tiles,
    )


def _dedupe(points):
    """Drop consecutive points that fall on the same SVG unit (identical on shared borders,
    whatever the direction a border is walked in)."""
    kept = []
    for point in points:
        if not kept or kept[-1] != point:
            kept.append(point)
    return kept


def _relative(points) -> str:
    (x, y), rest = points[0], points[1:]
    parts = [f"M{x} {y}"]
    if rest:
        steps = []
        for nx, ny in rest:
            steps.append(f"{nx - x} {ny - y}")
            x, y = nx, ny
        parts.append("l" + " ".join(steps))
    return "".join(parts)


def _ring_path(points) -> str:
    points = _dedupe(points)
    if len(points) > 1 and points[0] == points[-1]:
        points = points[:-1]
    return _relative(points) + "z" if len(points) > 2 else ""


def _line_path(points) -> str:
    return _relative(_dedupe(points))


# -- colours and classes ------------------------------------------------------------------


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of ``#rrggbb``."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _nice(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10^k not below ``value``."""
    if value <= 0:
        return 1
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        candidate = step * 10**exponent
        if candidate >= value - 1e-9:
            return candidate
    return 10 ** (exponent + 1)  # pragma: no cover - the loop always returns


def class_breaks(values, classes: int = len(PALETTE)) -> list[float]:
    """Upper bounds of ``classes`` equal intervals from 0, on a round step (the last bound
    is at least the largest value). A class holds the values ``lower < v <= upper``; zero is in
    the first class."""
    numbers = [float(v) for v in values if _is_number(v)]
    top = max(numbers, default=0)
    low = min(numbers, default=0)
    if low < 0:
        raise ValueError("Les cartes ne représentent que des valeurs positives ou nulles.")
    step = _nice(top / classes) if top > 0 else 1
    return [step * (i + 1) for i in range(classes)]


def class_of(value, breaks) -> int:
    for index, upper in enumerate(breaks):
        if float(value) <= upper + 1e-9:
            return index
    return len(breaks) - 1


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _format_bound(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", "\u202f")
    return f"{value:.1f}".replace(".", ",")


# -- the map ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LegendEntry:
    key: str  # "0".."4", "secret" or "nd": the swatch to draw
    label: str
    fill: str


@dataclass(frozen=True)
class MapRow:
    code: str
    name: str
    value: object
    text: str
    fill: str


@dataclass(frozen=True)
class MapData:
    svg: SafeString
    legend: list[LegendEntry]
    rows: list[MapRow]
    level: str
    withheld_count: int


LEVELS = ("department", "region")


def choropleth(
    values: dict[str, object],
    level: str,
    title: str,
    unit: str = "",
    *,
    dom_id: str = "carte",
) -> MapData:
    """A map of ``values`` (``{INSEE code: number | Withheld}``) by ``level``
    (``"department"`` or ``"region"``). A code absent from ``values`` is "non disponible".

    ``dom_id`` prefixes the ids inside the SVG (title, description, patterns) so that several
    maps can share a page.
    """
    if level not in LEVELS:
        raise ValueError(f"Niveau de carte inconnu : {level}")
    geo = geometry()
    areas = geo.departments if level == "department" else geo.regions
    if level == "department":
        shown = [code for code in geo.department_paths] + [code for code, _r in OVERSEAS]
    else:
        shown = sorted({geo.department_region[c] for c in geo.department_paths}) + [
            region for _d, region in OVERSEAS
        ]
    shown = list(dict.fromkeys(shown))
    cells = {code: values.get(code, NOT_AVAILABLE) for code in shown}
    breaks = class_breaks(cells.values())

    def fill_of(value) -> str:
        if value is SECRET or (isinstance(value, Withheld) and value.token == SECRET.token):
            return f"url(#{dom_id}-secret)"
        if isinstance(value, Withheld) or not _is_number(value):
            return f"url(#{dom_id}-nd)"
        return PALETTE[class_of(value, breaks)]

    def label_of(code) -> str:
        area = areas.get(code)
        name = area.name if area else code
        return f"{name} ({code})"

    def text_of(value) -> str:
        text = display_value(value)
        if unit and _is_number(value) and unit != "%":
            return f"{text} {unit}"
        if unit == "%" and _is_number(value):
            return f"{text}\u202f%"
        return text

    shapes = []
    if level == "department":
        for code, path in geo.department_paths.items():
            value = cells[code]
            shapes.append(
                f'<path d="{path}" fill="{fill_of(value)}" stroke="#ffffff" stroke-width="0.6" '
                f'data-code="{code}"><title>{escape(label_of(code))} : '
                f"{escape(text_of(value))}</title></path>"
            )
    else:
        members: dict[str, list[str]] = {}
        for code, path in geo.department_paths.items():
            members.setdefault(geo.department_region[code], []).append(path)
        for region, paths in sorted(members.items()):
            value = cells[region]
            fill = fill_of(value)
            seam = fill if fill.startswith("#") else "none"
            shapes.append(
                f'<path d="{" ".join(paths)}" fill="{fill}" stroke="{seam}" stroke-width="0.6" '
                f'data-code="{region}"><title>{escape(label_of(region))} : '
                f"{escape(text_of(value))}</title></path>"
            )
    outline_width = "1.6" if level == "region" else "1.1"
    outlines = " ".join(geo.region_outlines.values())
    shapes.append(
        f'<path d="{outlines}" fill="none" stroke="{OUTLINE_COLOUR}" '
        f'stroke-width="{outline_width}" stroke-linejoin="round" aria-hidden="true"></path>'
    )

    tiles = []
    first_tile = geo.overseas_tiles[OVERSEAS[0][0]]
    tiles.append(
        f'<text x="{MARGIN}" y="{first_tile[1] - 6}" font-size="10" fill="{OUTLINE_COLOUR}">'
        f"{escape(_('Outre-mer (schéma)'))}</text>"
    )
    for department, region in OVERSEAS:
        code = department if level == "department" else region
        x, y, size = geo.overseas_tiles[department]
        value = cells[code]
        name = areas[code].name if code in areas else code
        tiles.append(
            f'<rect x="{x}" y="{y}" width="{size}" height="{size - 6}" fill="{fill_of(value)}" '
            f'stroke="{OUTLINE_COLOUR}" stroke-width="1" data-code="{code}"><title>'
            f"{escape(label_of(code))} : {escape(text_of(value))}</title></rect>"
            f'<text x="{x + size + 4}" y="{y + size // 2 + 1}" font-size="10" '
            f'fill="{OUTLINE_COLOUR}">{escape(_short(name))}</text>'
        )

    legend = [
        LegendEntry(
            str(i),
            (_("de 0 à %(upper)s") if i == 0 else _("plus de %(lower)s à %(upper)s"))
            % {"lower": _format_bound(breaks[i - 1]) if i else "0", "upper": _format_bound(b)},
            PALETTE[i],
        )
        for i, b in enumerate(breaks)
    ] + [
        LegendEntry("secret", _("secret statistique (hachuré)"), f"url(#{dom_id}-secret)"),
        LegendEntry("nd", _("non disponible (pointillé)"), f"url(#{dom_id}-nd)"),
    ]
    counts = Counter(
        "secret" if isinstance(v, Withheld) and v.token == SECRET.token else "value"
        for v in cells.values()
    )
    described = "; ".join(
        f"{label_of(code)} : {text_of(value)}" for code, value in cells.items() if code in areas
    )
    description = _(
        "Carte choroplèthe. Légende : %(legend)s. Les valeurs de chaque territoire sont dans "
        "le tableau à côté de la carte. %(values)s"
    ) % {"legend": ", ".join(entry.label for entry in legend), "values": described}
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {geo.height}" '
        f'width="100%" role="img" aria-labelledby="{dom_id}-title {dom_id}-desc" '
        f'class="ep-map" data-level="{level}" font-family="sans-serif">'
        f'<title id="{dom_id}-title">{escape(title)}</title>'
        f'<desc id="{dom_id}-desc">{escape(description)}</desc>'
        f"{_patterns(dom_id)}"
        f'<g class="ep-map-areas">{"".join(shapes)}</g>'
        f'<g class="ep-map-overseas">{"".join(tiles)}</g>'
        "</svg>"
    )
    rows = [
        MapRow(
            code, areas[code].name if code in areas else code, value, text_of(value), fill_of(value)
        )
        for code, value in sorted(cells.items())
    ]
    return MapData(
        svg=mark_safe(svg),  # noqa: S308 - every text above went through escape()
        legend=legend,
        rows=rows,
        level=level,
        withheld_count=counts["secret"],
    )


def legend_swatch(entry: LegendEntry, dom_id: str) -> SafeString:
    """A small SVG square for a legend entry (patterns re-declared, the map's are scoped)."""
    swatch_id = f"{dom_id}-sw-{entry.key}"
    fill = entry.fill.replace(f"url(#{dom_id}-", f"url(#{swatch_id}-")
    return mark_safe(  # noqa: S308 - only our own colours and ids
        f'<svg xmlns="http://www.w3.org/2000/svg" width="18" height="18" viewBox="0 0 18 18" '
        f'aria-hidden="true" focusable="false">{_patterns(swatch_id)}'
        f'<rect x="0.5" y="0.5" width="17" height="17" fill="{fill}" '
        f'stroke="{OUTLINE_COLOUR}"></rect></svg>'
    )


def _patterns(prefix: str) -> str:
    return (
        "<defs>"
        f'<pattern id="{prefix}-secret" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#ffffff"></rect>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{HATCH_COLOUR}" stroke-width="2.2"></line>'
        "</pattern>"
        f'<pattern id="{prefix}-nd" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" fill="#ffffff"></rect>'
        '<circle cx="3" cy="3" r="0.9" fill="#6b6b6b"></circle>'
        "</pattern>"
        "</defs>"
    )


def _short(name: str) -> str:
    return {"La Réunion": "Réunion"}.get(name, name)
