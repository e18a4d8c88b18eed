"""Small-cell suppression: primary and secondary, with hypothesis property tests."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from entrepairs.observatory.suppression import CountTable, suppress_small_cells

THRESHOLD = 11

counts = st.one_of(st.just(0), st.integers(1, 10), st.integers(11, 200))
tables = st.integers(1, 6).flatmap(
    lambda n_cols: st.lists(
        st.lists(counts, min_size=n_cols, max_size=n_cols), min_size=1, max_size=6
    )
)


def extended(table):
    """Input and output with margins, as the same grid shape."""
    rows = [list(r) + [sum(r)] for r in table]
    col_totals = [sum(r[j] for r in table) for j in range(len(table[0]))]
    rows.append(col_totals + [sum(col_totals)])
    return rows


def published(result):
    rows = [list(r) + [t] for r, t in zip(result.cells, result.row_totals, strict=True)]
    rows.append(list(result.column_totals) + [result.grand_total])
    return rows


@settings(max_examples=300, deadline=None)
@given(tables)
def test_no_shown_count_between_1_and_10(table):
    result = suppress_small_cells(table, THRESHOLD)
    for row in published(result):
        for value in row:
            assert value is None or value == 0 or value >= THRESHOLD


@settings(max_examples=300, deadline=None)
@given(tables)
def test_shown_values_equal_input(table):
    result = suppress_small_cells(table, THRESHOLD)
    for original, shown in zip(extended(table), published(result), strict=True):
        for value, out in zip(original, shown, strict=True):
            assert out is None or out == value


@settings(max_examples=300, deadline=None)
@given(tables)
def test_no_lonely_hidden_cell_in_a_row_or_column(table):
    result = suppress_small_cells(table, THRESHOLD)
    grid = published(result)
    n_rows, n_cols = len(grid) - 1, len(grid[0]) - 1
    for i in range(n_rows + 1):
        hidden = sum(1 for j in range(n_cols) if grid[i][j] is None)
        if grid[i][n_cols] is not None:
            assert hidden == 0 or hidden >= 2, (table, grid)
    for j in range(n_cols + 1):
        hidden = sum(1 for i in range(n_rows) if grid[i][j] is None)
        if grid[n_rows][j] is not None:
            assert hidden == 0 or hidden >= 2, (table, grid)


@settings(max_examples=300, deadline=None)
@given(tables)
def test_a_hidden_figure_cannot_be_rebuilt_from_its_line(table):
    """Stronger form: in every line, counting the total, never exactly one hidden figure."""
    grid = published(suppress_small_cells(table, THRESHOLD))
    n_rows, n_cols = len(grid) - 1, len(grid[0]) - 1
    for i in range(n_rows + 1):
        assert sum(1 for j in range(n_cols + 1) if grid[i][j] is None) != 1
    for j in range(n_cols + 1):
        assert sum(1 for i in range(n_rows + 1) if grid[i][j] is None) != 1


def test_primary_and_secondary_suppression_by_hand():
    result = suppress_small_cells([[3, 40, 25], [30, 50, 60]], THRESHOLD)
    # 3 is hidden; its row would give it back (68 - 40 - 25), so 25 is hidden too; then the
    # columns of 3 and 25 would give them back, so 30 and 60 are hidden in the second row.
    assert result.cells == [[None, 40, None], [None, 50, None]]
    assert result.row_totals == [68, 140]
    assert result.column_totals == [33, 90, 85]
    assert result.grand_total == 208
    assert result.primary == {(0, 0)}
    assert result.secondary == {(0, 2), (1, 0), (1, 2)}


def test_zero_is_shown_and_small_totals_hidden():
    result = suppress_small_cells([[0, 4], [0, 3]], THRESHOLD)
    assert result.cells == [[0, None], [0, None]]
    assert result.row_totals == [None, None]
    assert result.column_totals == [0, None]
    assert result.grand_total is None


def test_empty_table_stays_empty():
    result = suppress_small_cells([[0, 0], [0, 0]], THRESHOLD)
    assert result.cells == [[0, 0], [0, 0]]
    assert result.suppressed_count == 0


def test_distinct_totals_can_be_given():
    table = CountTable(cells=[[12, 15]], row_totals=[20], column_totals=[12, 15], grand_total=20)
    result = suppress_small_cells(table, THRESHOLD)
    assert result.cells == [[12, 15]]
    assert result.row_totals == [20]


def test_default_threshold_comes_from_settings(settings):
    settings.SMALL_CELL_THRESHOLD = 5
    assert suppress_small_cells([[6, 7]]).cells == [[6, 7]]


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        suppress_small_cells([[1, 2], [3]], THRESHOLD)
    with pytest.raises(ValueError):
        suppress_small_cells([[-1, 2]], THRESHOLD)


def determined(grid):
    """Hidden positions exactly computable from the published figures (linear algebra)."""
    n_rows, n_cols = len(grid) - 1, len(grid[0]) - 1
    hidden = [(i, j) for i in range(n_rows + 1) for j in range(n_cols + 1) if grid[i][j] is None]
    if not hidden:
        return []
    index = {p: k for k, p in enumerate(hidden)}
    equations = []
    for i in range(n_rows + 1):
        equations.append([(i, j, 1) for j in range(n_cols)] + [(i, n_cols, -1)])
    for j in range(n_cols + 1):
        equations.append([(i, j, 1) for i in range(n_rows)] + [(n_rows, j, -1)])
    matrix = np.zeros((len(equations), len(hidden)))
    for row, equation in enumerate(equations):
        for i, j, sign in equation:
            if (i, j) in index:
                matrix[row, index[(i, j)]] = sign
    rank = np.linalg.matrix_rank(matrix)
    found = []
    for p, k in index.items():
        unit = np.zeros((1, len(hidden)))
        unit[0, k] = 1
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            found.append(p)
    return found


@settings(max_examples=300, deadline=None)
@given(tables)
def test_no_hidden_figure_is_determined_by_the_whole_table(table):
    grid = published(suppress_small_cells(table, THRESHOLD))
    assert determined(grid) == [], (table, grid)


def test_a_figure_computable_from_several_lines_gets_a_partner():
    # Found by hypothesis: with the line rule alone, adding up several lines gives back a
    # hidden figure although no line has a single hidden figure.
    table = [[0, 0, 1], [0, 2, 9], [1, 0, 0], [10, 0, 0]]
    grid = published(suppress_small_cells(table, THRESHOLD))
    assert determined(grid) == []
