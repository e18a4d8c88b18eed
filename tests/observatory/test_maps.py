"""The choropleth maps: projection, outlines, palette, hidden figures, accessibility."""

import xml.etree.ElementTree as ET

import pytest

from entrepairs.observatory import maps
from entrepairs.observatory.exports.table import NOT_AVAILABLE, SECRET

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg):
    return ET.fromstring(str(svg))  # noqa: S314 - our own SVG


def areas(root):
    return {el.get("data-code"): el for el in root.iter() if el.get("data-code") and el.get("fill")}


def test_lambert93_matches_the_ign_coordinates_of_paris():
    # Notre-Dame de Paris: about X 652 400, Y 6 861 900 in Lambert-93 (EPSG:2154).
    x, y = maps.lambert93(2.3499, 48.8530)
    assert abs(x - 652_400) < 1_500
    assert abs(y - 6_861_650) < 1_500
    # The projection's origin: 3° E, 46.5° N.
    assert maps.lambert93(3.0, 46.5) == pytest.approx((700_000, 6_600_000), abs=0.01)


def test_every_department_of_the_file_and_the_overseas_tiles_are_drawn():
    geo = maps.geometry()
    assert len(geo.department_paths) == 96
    root = parse(maps.choropleth({}, "department", "Vide").svg)
    drawn = areas(root)
    assert set(geo.department_paths) <= set(drawn)
    assert {"971", "972", "973", "974", "976"} <= set(drawn)
    assert all(path for path in geo.department_paths.values())


def test_north_is_up_and_west_is_left():
    geo = maps.geometry()

    def first_point(code):
        x, y = geo.department_paths[code].split("l")[0][1:].split()
        return int(x), int(y)

    nord, pyrenees, finistere, bas_rhin = (first_point(c) for c in ("59", "66", "29", "67"))
    assert nord[1] < pyrenees[1]  # Nord above Pyrénées-Orientales
    assert finistere[0] < bas_rhin[0]  # Finistère left of Bas-Rhin


def test_region_map_has_one_shape_per_region_and_their_outlines():
    geo = maps.geometry()
    root = parse(maps.choropleth({"32": 40, "11": 100}, "region", "Régions").svg)
    drawn = areas(root)
    metropolitan = {geo.department_region[c] for c in geo.department_paths}
    assert len(metropolitan) == 13
    assert metropolitan | {"01", "02", "03", "04", "06"} == set(drawn)
    # Outlines: every region of the file has one, and the region's outline is shorter than
    # the sum of its départements' borders (inner borders are not drawn).
    assert set(geo.region_outlines) == metropolitan
    idf = geo.region_outlines["11"]
    inner = " ".join(geo.department_paths[c] for c in ("75", "92", "93", "94"))
    assert idf.count(" ") < inner.count(" ") + sum(
        geo.department_paths[c].count(" ") for c in ("77", "78", "91", "95")
    )


def test_geometry_is_read_once_not_per_request():
    maps.geometry()
    before = maps.geometry.cache_info()
    for _ in range(3):
        maps.choropleth({"59": 12}, "department", "Carte")
        maps.choropleth({"32": 12}, "region", "Carte")
    after = maps.geometry.cache_info()
    assert after.misses == before.misses
    assert after.hits >= before.hits + 6


def test_palette_lightness_is_monotone_so_it_reads_in_greyscale():
    luminances = [maps.relative_luminance(colour) for colour in maps.PALETTE]
    assert luminances == sorted(luminances, reverse=True)
    assert len(set(luminances)) == len(luminances)
    # Neighbouring classes stay apart in grey (at least a 1.3 contrast ratio between them).
    for lighter, darker in zip(luminances, luminances[1:], strict=False):
        assert (lighter + 0.05) / (darker + 0.05) >= 1.3


def test_larger_values_get_darker_colours():
    values = {"59": 0, "62": 20, "80": 45, "02": 70, "60": 100}
    drawn = areas(parse(maps.choropleth(values, "department", "Carte").svg))
    luminance = [maps.relative_luminance(drawn[c].get("fill")) for c in ("59", "62", "80", "02")]
    assert luminance == sorted(luminance, reverse=True)
    assert drawn["60"].get("fill") == maps.PALETTE[-1]
    assert drawn["59"].get("fill") == maps.PALETTE[0]


def test_hidden_figures_are_hatched_and_missing_ones_dotted_never_coloured():
    values = {"59": SECRET, "62": 30, "80": NOT_AVAILABLE}
    data = maps.choropleth(values, "department", "Carte", dom_id="m1")
    drawn = areas(parse(data.svg))
    assert drawn["59"].get("fill") == "url(#m1-secret)"
    assert drawn["80"].get("fill") == "url(#m1-nd)"
    assert drawn["02"].get("fill") == "url(#m1-nd)"  # absent: not available, not zero
    assert drawn["62"].get("fill") in maps.PALETTE
    assert "secret statistique" in drawn["59"].find(f"{SVG}title").text
    assert data.withheld_count == 1
    rows = {row.code: row for row in data.rows}
    assert rows["59"].text == "secret statistique"
    assert rows["80"].text == "non disponible"
    assert rows["62"].text == "30"
    # The hatch pattern is defined in the map itself.
    root = parse(data.svg)
    assert {p.get("id") for p in root.iter(f"{SVG}pattern")} == {"m1-secret", "m1-nd"}
    assert [entry.key for entry in data.legend][-2:] == ["secret", "nd"]


def test_map_is_an_image_with_a_title_and_a_description_naming_the_values():
    data = maps.choropleth({"59": 12, "62": SECRET}, "department", "Pairs en poste", "pairs")
    root = parse(data.svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "carte-title carte-desc"
    assert root.find(f"{SVG}title").text == "Pairs en poste"
    desc = root.find(f"{SVG}desc").text
    assert "Nord (59) : 12 pairs" in desc
    assert "Pas-de-Calais (62) : secret statistique" in desc


def test_names_in_the_map_are_escaped():
    data = maps.choropleth({}, "region", "<script>alert(1)</script>")
    assert "<script>" not in str(data.svg)
    assert parse(data.svg).find(f"{SVG}title").text == "<script>alert(1)</script>"


def test_class_breaks_are_round_and_cover_the_largest_value():
    assert maps.class_breaks([0, 3, 17, 48]) == [10, 20, 30, 40, 50]
    assert maps.class_breaks([0.2, 0.9]) == pytest.approx([0.2, 0.4, 0.6, 0.8, 1.0])
    assert maps.class_breaks([SECRET, NOT_AVAILABLE]) == [1, 2, 3, 4, 5]
    assert maps.class_breaks([]) == [1, 2, 3, 4, 5]
    for top in (1, 7, 11, 99, 101, 12_345):
        breaks = maps.class_breaks([0, top])
        assert breaks[-1] >= top
        assert maps.class_of(top, breaks) <= 4
    with pytest.raises(ValueError):
        maps.class_breaks([-1, 3])


def test_unknown_level_is_refused():
    with pytest.raises(ValueError):
        maps.choropleth({}, "commune", "Carte")
