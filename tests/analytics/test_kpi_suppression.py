"""Small-cell suppression of published tables: primary (counts under the threshold) and
secondary (no hidden count can be recomputed from a total and the other published cells)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import null_space

from werkpad.analytics.suppression import SECONDARY_MARKER, has_secondary, suppress

Cell = tuple[int, int]


def _hidden(shown: pd.DataFrame, columns: list[str]) -> np.ndarray:
    return np.column_stack([shown[c].map(lambda v: isinstance(v, str)).to_numpy() for c in columns])


def recoverable(hidden: np.ndarray, equations: list[tuple[list[Cell], Cell | None]]) -> list[Cell]:
    """Hidden cells fixed by the published sums: the solution set of the hidden cells is a
    particular solution plus the null space of the equations; a cell is fixed when every null
    space vector is zero there. ``None`` as total: the sum is known (from shares) when at least
    one part is published."""
    cells = [tuple(c) for c in np.argwhere(hidden)]
    if not cells:
        return []
    index = {cell: i for i, cell in enumerate(cells)}
    rows = []
    for parts, total in equations:
        if total is None and all(hidden[p] for p in parts):
            continue
        row = np.zeros(len(cells))
        for p in parts:
            if hidden[p]:
                row[index[p]] += 1
        if total is not None and hidden[total]:
            row[index[total]] -= 1
        rows.append(row)
    if not rows:
        return []
    basis = null_space(np.array(rows))
    return [cell for cell in cells if np.allclose(basis[index[cell]], 0.0, atol=1e-9)]


def _with_totals(body: np.ndarray, total_column: bool) -> tuple[pd.DataFrame, list[str]]:
    full = np.vstack([body, body.sum(axis=0)])
    columns = [f"c{j}" for j in range(body.shape[1])]
    frame = pd.DataFrame(full, columns=columns)
    if total_column:
        frame["totaal"] = frame[columns].sum(axis=1)
        columns = [*columns, "totaal"]
    frame.insert(0, "groep", [f"r{i}" for i in range(body.shape[0])] + ["Totaal"])
    return frame, columns


def _table_equations(
    n_rows: int, n_cols: int, total_column: bool
) -> list[tuple[list[Cell], Cell | None]]:
    """Column sums into the last row; with a total column also row sums into the last column."""
    parts_cols = n_cols - 1 if total_column else n_cols
    equations: list[tuple[list[Cell], Cell | None]] = [
        ([(i, j) for i in range(n_rows - 1)], (n_rows - 1, j)) for j in range(n_cols)
    ]
    if total_column:
        equations += [([(i, j) for j in range(parts_cols)], (i, n_cols - 1)) for i in range(n_rows)]
    return equations


def test_a_single_small_cell_next_to_shares_of_the_total_takes_the_next_smallest_with_it() -> None:
    # As in the council report: 465 + 314 + 128 + 41 + 5 routes with their shares; the share
    # of 465 gives the total away, so the 5 would be the total minus the rest.
    counts = [465, 314, 128, 41, 5]
    table = pd.DataFrame(
        {"reden": list("ABCDE"), "routes": counts, "pct": [c / sum(counts) * 100 for c in counts]}
    )
    shown, hidden = suppress(
        table, ["routes"], dependent={"pct": "routes"}, shares_of_total=["routes"]
    )
    assert list(shown["routes"]) == [465, 314, 128, SECONDARY_MARKER, "<10"]
    assert shown["pct"].iloc[3] == SECONDARY_MARKER and shown["pct"].iloc[4] == "<10"
    assert hidden == 4
    assert has_secondary(shown)


def test_a_column_with_one_small_cell_above_a_total_row_hides_a_second_cell() -> None:
    table = pd.DataFrame(
        {"soort": ["regulier", "garantiebaan", "beschut", "Totaal"], "2019": [86, 22, 4, 112],
         "2020": [102, 7, 8, 117]}
    )  # fmt: skip
    shown, hidden = suppress(table, ["2019", "2020"], total_rows=table["soort"] == "Totaal")
    assert list(shown["2019"]) == [86, SECONDARY_MARKER, "<10", 112]
    assert list(shown["2020"]) == [102, "<10", "<10", 117]  # two small cells protect each other
    assert hidden == 4


def test_without_a_published_total_only_small_cells_are_hidden() -> None:
    table = pd.DataFrame({"jaar": ["2019", "2020"], "overgangen": [3, 40]})
    shown, hidden = suppress(table, ["overgangen"])
    assert list(shown["overgangen"]) == ["<10", 40]
    assert hidden == 1
    assert not has_secondary(shown)


def test_the_second_cell_is_one_above_zero_because_a_hidden_zero_protects_nothing() -> None:
    # Hiding the 0 would leave 4 = 34 - 30 - (0 or more): with counts of at least 1 under
    # the marker, the 4 would still follow.
    table = pd.DataFrame({"groep": ["A", "B", "C", "Totaal"], "n": [4, 0, 30, 34]})
    shown, _ = suppress(table, ["n"], total_rows=[False, False, False, True])
    assert list(shown["n"]) == ["<10", 0, SECONDARY_MARKER, 34]


def test_blocks_each_protect_their_own_total() -> None:
    table = pd.DataFrame(
        {"termijn": ["6", "6", "6", "12", "12", "12"],
         "jaar": ["2019", "2020", "totaal"] * 2,
         "uitstroom": [30, 4, 34, 30, 40, 70]}
    )  # fmt: skip
    shown, _ = suppress(table, ["uitstroom"], total_rows=table["jaar"] == "totaal", block="termijn")
    assert list(shown["uitstroom"]) == [SECONDARY_MARKER, "<10", 34, 30, 40, 70]


counts = st.integers(min_value=0, max_value=40) | st.integers(min_value=1, max_value=12)


@settings(max_examples=300, deadline=None)
@given(
    data=st.data(),
    n_rows=st.integers(min_value=1, max_value=5),
    n_cols=st.integers(min_value=1, max_value=4),
    threshold=st.integers(min_value=2, max_value=12),
    total_column=st.booleans(),
)
def test_no_hidden_cell_can_be_recovered_from_published_totals(
    data: st.DataObject, n_rows: int, n_cols: int, threshold: int, total_column: bool
) -> None:
    body = np.array(
        data.draw(
            st.lists(
                st.lists(counts, min_size=n_cols, max_size=n_cols), min_size=n_rows, max_size=n_rows
            )
        )
    )
    table, columns = _with_totals(body, total_column)
    shown, hidden_count = suppress(
        table,
        columns,
        threshold=threshold,
        total_rows=table["groep"] == "Totaal",
        total_column="totaal" if total_column else None,
    )
    hidden = _hidden(shown, columns)
    values = table[columns].to_numpy()
    # Every small count is hidden with the threshold marker; everything published is exact.
    small = (values > 0) & (values < threshold)
    assert (shown[columns].to_numpy()[small] == f"<{threshold}").all()
    assert (shown[columns].to_numpy()[~hidden] == values[~hidden]).all()
    assert hidden_count == int(hidden.sum())
    equations = _table_equations(len(table), len(columns), total_column)
    assert recoverable(hidden, equations) == []


@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(counts, min_size=1, max_size=8),
    threshold=st.integers(min_value=2, max_value=12),
)
def test_no_hidden_cell_can_be_recovered_from_published_shares(
    values: list[int], threshold: int
) -> None:
    total = sum(values) or 1
    table = pd.DataFrame({"n": values, "pct": [v / total * 100 for v in values]})
    shown, _ = suppress(
        table, ["n"], dependent={"pct": "n"}, threshold=threshold, shares_of_total=["n"]
    )
    hidden = _hidden(shown, ["n"])
    assert (shown["pct"].map(lambda v: isinstance(v, str)).to_numpy() == hidden[:, 0]).all()
    equations: list[tuple[list[Cell], Cell | None]] = [([(i, 0) for i in range(len(values))], None)]
    assert recoverable(hidden, equations) == []
