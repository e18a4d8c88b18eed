"""Cell parsing rules of the importers: a value is read exactly, or refused with its column."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from entrepairs.territory.importers.csvfile import CellError, Row


def cell(value):
    return Row(7, {"X": value})


@given(st.text(max_size=8))
def test_integer_is_read_exactly_or_refused(value):
    stripped = value.strip()
    try:
        result = cell(value).integer("X")
    except CellError as error:
        assert error.column == "X"
        assert stripped and not (stripped.isascii() and stripped.isdigit())
    else:
        assert result == (int(stripped) if stripped else None)


def test_numbers_too_large_for_the_database_are_refused():
    with pytest.raises(CellError, match="trop grand"):
        cell("2147483648").integer("X")
    with pytest.raises(CellError, match="trop grand"):
        cell("10000000").decimal("X")
    assert cell("9999999.99").decimal("X") == Decimal("9999999.99")


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=99))
def test_decimal_reads_point_and_comma(units, cents):
    expected = Decimal(f"{units}.{cents:02d}")
    assert cell(f"{units}.{cents:02d}").decimal("X") == expected
    assert cell(f"{units},{cents:02d}").decimal("X") == expected


@pytest.mark.parametrize("value", ["-1", "1e3", "NaN", "١٢", "1.2.3", "12 ", " 3,5"])
def test_decimal_refuses_or_reads_exactly(value):
    if value.strip() in ("12", "3,5"):
        assert cell(value).decimal("X") == Decimal(value.strip().replace(",", "."))
    else:
        with pytest.raises(CellError, match="nombre décimal positif attendu"):
            cell(value).decimal("X")


def test_empty_cells_are_not_reported_rather_than_zero():
    assert cell("").integer("X") is None
    assert cell("  ").decimal("X") is None
