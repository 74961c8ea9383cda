"""Small-cell suppression for published tables: primary and secondary.

Primary suppression: a count under the threshold (10 by default, configurable) and above zero is
replaced by the marker ``<threshold``; every share computed from it is hidden too.

Secondary suppression: a hidden count must not be recoverable from what is still published. A
table publishes *lines*: a set of cells whose sum is known, either because a total cell is
shown (a ``Totaal`` row, a total column) or because shares of the total are shown (a share of
46.2% next to 465 routes gives the total away). When a line has exactly one hidden cell, that
cell equals the total minus the other cells. :func:`protect` therefore also hides the smallest
other cell of such a line (a cell above zero when there is one), or the total when no other
cell is left, and repeats until no hidden cell can be solved exactly from the linear equations
of all published lines together (rows and columns at once, not only one line at a time).
Secondary cells get the marker ``x``: their value is not small, it is hidden so that the small
one stays hidden.

What this does not cover: bounds (knowing a hidden count lies between 1 and 9 can narrow a
range) and figures in other tables or publications.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

DEFAULT_THRESHOLD = 10
MARKER = f"<{DEFAULT_THRESHOLD}"
SECONDARY_MARKER = "x"

Cell = tuple[int, int]


@dataclass(frozen=True)
class Line:
    """Cells (row, column positions) whose sum is published.

    ``total`` is the position of the cell holding the sum; ``None`` means the sum is known in
    another way (shares of the total are shown), as long as at least one part is published.
    """

    parts: tuple[Cell, ...]
    total: Cell | None = None


def primary_mask(values: np.ndarray, threshold: int) -> np.ndarray:
    """Counts above zero and under ``threshold``; missing values are never hidden."""
    numbers = np.nan_to_num(np.asarray(values, dtype=float), nan=0.0)
    return (numbers > 0) & (numbers < threshold)


def _equations(lines: Sequence[Line], hidden: np.ndarray) -> list[dict[Cell, float]]:
    """Per line that is published: the coefficients of its hidden cells (the published cells
    are constants and do not matter for what can be solved)."""
    equations = []
    for line in lines:
        if line.total is None and all(hidden[cell] for cell in line.parts):
            continue  # no published part, so no share that gives the total away
        coefficients = {cell: 1.0 for cell in line.parts if hidden[cell]}
        if line.total is not None and hidden[line.total]:
            coefficients[line.total] = coefficients.get(line.total, 0.0) - 1.0
        if coefficients:
            equations.append(coefficients)
    return equations


def solvable_cells(lines: Sequence[Line], hidden: np.ndarray) -> list[Cell]:
    """Hidden cells whose value follows exactly from the published lines: those whose unit
    vector lies in the row space of the equations restricted to the hidden cells."""
    equations = _equations(lines, hidden)
    if not equations:
        return []
    unknowns = sorted({cell for equation in equations for cell in equation})
    column = {cell: i for i, cell in enumerate(unknowns)}
    matrix = np.zeros((len(equations), len(unknowns)))
    for row, equation in enumerate(equations):
        for cell, coefficient in equation.items():
            matrix[row, column[cell]] = coefficient
    rank = np.linalg.matrix_rank(matrix)
    solved = []
    for cell in unknowns:
        unit = np.zeros((1, len(unknowns)))
        unit[0, column[cell]] = 1.0
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            solved.append(cell)
    return solved


def _candidate(line: Line, values: np.ndarray, hidden: np.ndarray) -> Cell | None:
    """The cell to hide next in ``line``: the smallest published part above zero, else the
    smallest published part, else the published total."""
    published = [cell for cell in line.parts if not hidden[cell]]

    def size(cell: Cell) -> tuple[float, Cell]:
        value = values[cell]
        return (float("inf") if np.isnan(value) else float(value), cell)

    positive = [cell for cell in published if values[cell] > 0]
    for pool in (positive, published):
        if pool:
            return min(pool, key=size)
    if line.total is not None and not hidden[line.total]:
        return line.total
    return None


def protect(values: np.ndarray, primary: np.ndarray, lines: Sequence[Line]) -> np.ndarray:
    """Secondary suppression: the cells to hide (a superset of ``primary``) so that no hidden
    cell can be solved exactly from the published lines. Pure; deterministic."""
    numbers = np.asarray(values, dtype=float)
    hidden = np.array(primary, dtype=bool, copy=True)
    while True:
        solved = solvable_cells(lines, hidden)
        if not solved:
            return hidden
        added = False
        for cell in solved:
            touching = [line for line in lines if cell in line.parts or cell == line.total]
            # A line in which this is the only hidden cell first (the plain total-minus-rest
            # case), then any other line through the cell.
            touching.sort(key=lambda line: sum(bool(hidden[c]) for c in _cells(line)))
            for line in touching:
                choice = _candidate(line, numbers, hidden)
                if choice is not None:
                    hidden[choice] = True
                    added = True
                    break
            if added:
                break
        if not added:
            return hidden  # nothing left to hide around the solvable cells


def _cells(line: Line) -> list[Cell]:
    return [*line.parts, *([line.total] if line.total is not None else [])]


def table_lines(
    table: pd.DataFrame,
    columns: Sequence[str],
    *,
    total_rows: Sequence[bool] | pd.Series | None = None,
    block: str | None = None,
    shares_of_total: Iterable[str] = (),
    total_column: str | None = None,
    additive: Iterable[str] | None = None,
) -> list[Line]:
    """The published lines of ``table`` in positions of ``table[columns]``.

    ``total_rows`` marks rows holding the sum of the other rows (per ``block``, when rows come
    in blocks such as one per horizon). ``shares_of_total`` names count columns whose total is
    given away by a share column. ``total_column`` (one of ``columns``) holds the sum of the
    other columns in its row. ``additive`` limits the columns that add up over the rows
    (default: all; a count of distinct things, such as provision types, does not).
    """
    n_rows = len(table)
    is_total = (
        np.zeros(n_rows, dtype=bool) if total_rows is None else np.asarray(total_rows, dtype=bool)
    )
    blocks = (
        np.zeros(n_rows, dtype=int)
        if block is None
        else pd.factorize(table[block].astype(str))[0].astype(int)
    )
    position = {name: j for j, name in enumerate(columns)}
    implicit = set(shares_of_total)
    adding = set(columns if additive is None else additive)
    lines: list[Line] = []
    for b in sorted(set(blocks.tolist())):
        rows = [i for i in range(n_rows) if blocks[i] == b]
        parts = [i for i in rows if not is_total[i]]
        totals = [i for i in rows if is_total[i]]
        for name in columns:
            if name not in adding:
                continue
            j = position[name]
            cells = tuple((i, j) for i in parts)
            if totals:
                lines.append(Line(cells, (totals[0], j)))
            elif name in implicit and cells:
                lines.append(Line(cells))
    if total_column is not None:
        t = position[total_column]
        others = [position[n] for n in columns if n != total_column and n in adding]
        lines.extend(Line(tuple((i, j) for j in others), (i, t)) for i in range(n_rows))
    return lines


def suppress(
    table: pd.DataFrame,
    count_columns: Iterable[str],
    *,
    dependent: dict[str, str] | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    total_rows: Sequence[bool] | pd.Series | None = None,
    block: str | None = None,
    shares_of_total: Iterable[str] = (),
    total_column: str | None = None,
    additive: Iterable[str] | None = None,
) -> tuple[pd.DataFrame, int]:
    """Copy of ``table`` with counts below ``threshold`` (and > 0) replaced by ``<threshold``,
    and, where a total is published (see :func:`table_lines`), the cells that would give them
    away replaced by ``x``.

    ``dependent`` maps a derived column (a share) to the count column it is based on; the share
    is hidden too when its count is hidden. Returns the table (object dtype where hidden) and the
    number of hidden cells.
    """
    columns = list(count_columns)
    out = table.copy().astype(object)
    if not columns or table.empty:
        return out, 0
    values = np.column_stack(
        [pd.to_numeric(table[c], errors="coerce").to_numpy(dtype=float) for c in columns]
    )
    primary = primary_mask(values, threshold)
    lines = table_lines(
        table,
        columns,
        total_rows=total_rows,
        block=block,
        shares_of_total=shares_of_total,
        total_column=total_column,
        additive=additive,
    )
    hidden = protect(values, primary, lines) if lines else primary
    marker = f"<{threshold}"
    markers: dict[str, pd.Series] = {}
    for j, column in enumerate(columns):
        text = pd.Series(
            np.where(primary[:, j], marker, SECONDARY_MARKER), index=table.index, dtype=object
        )
        mask = pd.Series(hidden[:, j], index=table.index)
        out.loc[mask, column] = text[mask]
        markers[column] = text.where(mask)
    count = int(hidden.sum())
    for derived, base in (dependent or {}).items():
        shown = markers[base].notna()
        out.loc[shown, derived] = markers[base][shown]
        count += int(shown.sum())
    return out, count


def has_secondary(table: pd.DataFrame) -> bool:
    """Whether ``table`` (from :func:`suppress`) holds cells hidden to protect others."""
    return bool((table.astype(object) == SECONDARY_MARKER).to_numpy().any())
