"""FINESS numbers: 9 characters, digits, or 2A/2B first for Corsica."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from entrepairs.territory.importers.csvfile import CellError, Row
from entrepairs.territory.models import validate_finess

DIGITS = st.text(alphabet="0123456789", min_size=7, max_size=7)


@pytest.mark.parametrize("value", ["590000782", "2A0000287", "2B0000012", "970100400"])
def test_valid_finess(value):
    validate_finess(value)


@pytest.mark.parametrize(
    "value",
    [
        "59000078",
        "5900007820",
        "2C0000287",
        "2a000028",
        "59000078X",
        " 59000078",
        "A90000782",
        "590000782\n",
        "59٣٣٣٣٣٣٣",
    ],
)
def test_invalid_finess(value):
    with pytest.raises(ValidationError, match="Numéro FINESS invalide"):
        validate_finess(value)


@given(
    prefix=st.one_of(
        st.text(alphabet="0123456789", min_size=2, max_size=2), st.sampled_from(["2A", "2B"])
    ),
    rest=DIGITS,
)
def test_every_well_formed_number_is_accepted(prefix, rest):
    validate_finess(prefix + rest)


@given(st.text(max_size=12))
def test_accepted_values_are_exactly_nine_well_formed_characters(value):
    try:
        validate_finess(value)
    except ValidationError:
        accepted = False
    else:
        accepted = True
    well_formed = (
        len(value) == 9
        and value.isascii()
        and value[2:].isdigit()
        and (value[:2].isdigit() or value[:2] in ("2A", "2B"))
    )
    assert accepted == (well_formed or value == "")  # empty: "no FINESS" (blank fields)


@given(st.text(alphabet="0123456789AB", min_size=1, max_size=10))
def test_importer_cells_follow_the_same_rule(value):
    row = Row(2, {"FI": value})
    try:
        validate_finess(value)
    except ValidationError:
        with pytest.raises(CellError) as error:
            row.finess("FI")
        assert error.value.column == "FI"
    else:
        assert row.finess("FI") == value
