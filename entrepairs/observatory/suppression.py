"""Statistical disclosure control for published tables of person counts (DESIGN.md, principle 7).

A table of person counts is a grid of cells with a total per row, a total per column and a
grand total. ``suppress_small_cells`` hides:

1. **Primary suppression**: every figure (cell or total) between 1 and ``threshold - 1``
   (``settings.SMALL_CELL_THRESHOLD``, 11: no count from 1 to 10 is ever shown). Zero is shown.
2. **Secondary suppression**: a hidden figure must not be rebuilt by difference. The table is
   read as a set of *lines*: every row (its cells and its row total), every column (its cells
   and its column total), the row of column totals (ending with the grand total) and the column
   of row totals (ending with the grand total). In a line where exactly one figure is hidden, the
   reader could compute it from the others, so the smallest non-zero figure still shown among the
   line's cells is hidden too (the line's total when no cell is left). This is repeated until no
   line has exactly one hidden figure.
3. **No figure rebuilt from several lines**: with the totals counted negatively every line sums
   to zero, so the hidden figures form a graph between lines; a hidden figure lying on no cycle
   of that graph (a bridge) is still computable by adding up lines. Such a figure gets a partner:
   the smallest figure (non-zero first) that closes a cycle through it. Steps 2 and 3 repeat
   until stable.

Hence, for every row and column whose total is shown, the number of hidden cells is 0 or at
least 2. No hidden figure is exactly determined by the published ones.
Limit (documented in docs/indicateurs.md): counts cannot be negative, so a hidden figure may
still be narrowed to an interval (interval protection is not computed).

The module is pure Python (no Django import at module level beyond ``settings`` read at call
time) so that it can be property-tested with hypothesis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

Position = tuple[int, int]


@dataclass(frozen=True)
class CountTable:
    """A grid of person counts. Totals default to sums; give them when a person may be counted
    in several cells (distinct persons: the total is then smaller than the sum)."""

    cells: Sequence[Sequence[int]]
    row_totals: Sequence[int] | None = None
    column_totals: Sequence[int] | None = None
    grand_total: int | None = None


@dataclass
class SuppressedTable:
    """The published table: hidden figures are ``None``."""

    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    grand_total: int | None
    threshold: int
    primary: set[Position] = field(default_factory=set)
    secondary: set[Position] = field(default_factory=set)

    @property
    def suppressed_count(self) -> int:
        return len(self.primary) + len(self.secondary)


def _extended(table: CountTable) -> list[list[int]]:
    """The table with its margins: row ``R`` holds column totals, column ``C`` row totals."""
    cells = [list(map(int, row)) for row in table.cells]
    n_rows = len(cells)
    n_cols = len(cells[0]) if cells else 0
    if any(len(row) != n_cols for row in cells):
        raise ValueError("Toutes les lignes du tableau doivent avoir le même nombre de colonnes.")
    row_totals = list(table.row_totals) if table.row_totals is not None else [sum(r) for r in cells]
    column_totals = (
        list(table.column_totals)
        if table.column_totals is not None
        else [sum(cells[i][j] for i in range(n_rows)) for j in range(n_cols)]
    )
    if len(row_totals) != n_rows or len(column_totals) != n_cols:
        raise ValueError("Les totaux ne correspondent pas aux dimensions du tableau.")
    grand = table.grand_total if table.grand_total is not None else sum(row_totals)
    values = [row + [int(total)] for row, total in zip(cells, row_totals, strict=True)]
    values.append([int(t) for t in column_totals] + [int(grand)])
    if any(v < 0 for row in values for v in row):
        raise ValueError("Un effectif ne peut pas être négatif.")
    return values


def _lines(n_rows: int, n_cols: int) -> list[tuple[list[Position], Position]]:
    """Every additive line of the extended table: (its cells, its total)."""
    lines = []
    for i in range(n_rows + 1):  # each row, and the row of column totals
        lines.append(([(i, j) for j in range(n_cols)], (i, n_cols)))
    for j in range(n_cols + 1):  # each column, and the column of row totals
        lines.append(([(i, j) for i in range(n_rows)], (n_rows, j)))
    return lines


def _value(values, position: Position) -> int:
    return values[position[0]][position[1]]


def _hide_lonely(values, hidden: set[Position], lines) -> bool:
    """One pass of the line rule; True when something was hidden."""
    changed = False
    for cells, total in lines:
        if sum(1 for p in (*cells, total) if p in hidden) != 1:
            continue
        candidates = [p for p in cells if p not in hidden and _value(values, p) > 0]
        if candidates:
            choice = min(candidates, key=lambda p: (_value(values, p), p))
        elif total not in hidden and _value(values, total) > 0:
            choice = total
        else:  # only zeros left: nothing more to hide (cannot happen with consistent totals)
            continue
        hidden.add(choice)
        changed = True
    return changed


def _side(hidden: set[Position], start, without: Position) -> set:
    """Line nodes (``("r", i)`` / ``("c", j)``) reachable from ``start`` through hidden
    figures, ``without`` one of them."""
    seen, todo = {start}, [start]
    while todo:
        kind, index = todo.pop()
        for i, j in hidden:
            if (i, j) == without:
                continue
            if kind == "r" and i == index:
                other = ("c", j)
            elif kind == "c" and j == index:
                other = ("r", i)
            else:
                continue
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


def _break_bridge(values, hidden: set[Position], n_rows: int, n_cols: int) -> bool:
    """Hide one more figure when a hidden figure could be computed from several lines.

    With the totals counted negatively, every line of the extended table sums to zero: the
    hidden figures are the edges of a graph between line nodes (row i, column j), and a hidden
    figure is determined exactly when it lies on no cycle of that graph (a bridge). For such a
    figure, hide the smallest figure joining its two sides, which closes a cycle through it.
    """
    for bridge in sorted(hidden):
        row_side = _side(hidden, ("r", bridge[0]), bridge)
        if ("c", bridge[1]) in row_side:
            continue
        column_side = _side(hidden, ("c", bridge[1]), bridge)
        candidates = [
            (i, j)
            for i in range(n_rows + 1)
            for j in range(n_cols + 1)
            if (i, j) not in hidden
            and (
                (("r", i) in row_side and ("c", j) in column_side)
                or (("r", i) in column_side and ("c", j) in row_side)
            )
        ]
        if not candidates:  # pragma: no cover - a bridge always has two non-trivial sides
            continue
        hidden.add(min(candidates, key=lambda p: (_value(values, p) == 0, _value(values, p), p)))
        return True
    return False


def suppress_small_cells(table, threshold: int | None = None) -> SuppressedTable:
    """Apply primary then secondary suppression to ``table`` (a ``CountTable`` or a list of
    rows of counts); return a ``SuppressedTable`` where hidden figures are ``None``."""
    if threshold is None:
        from django.conf import settings

        threshold = settings.SMALL_CELL_THRESHOLD
    if not isinstance(table, CountTable):
        table = CountTable(cells=table)
    values = _extended(table)
    n_rows = len(values) - 1
    n_cols = len(values[0]) - 1

    primary = {
        (i, j)
        for i, row in enumerate(values)
        for j, value in enumerate(row)
        if 0 < value < threshold
    }
    hidden = set(primary)
    lines = _lines(n_rows, n_cols)
    changed = True
    while changed:
        changed = _hide_lonely(values, hidden, lines)
        if not changed:
            changed = _break_bridge(values, hidden, n_rows, n_cols)

    def shown(i, j):
        return None if (i, j) in hidden else values[i][j]

    return SuppressedTable(
        cells=[[shown(i, j) for j in range(n_cols)] for i in range(n_rows)],
        row_totals=[shown(i, n_cols) for i in range(n_rows)],
        column_totals=[shown(n_rows, j) for j in range(n_cols)],
        grand_total=shown(n_rows, n_cols),
        threshold=threshold,
        primary=primary,
        secondary=hidden - primary,
    )
