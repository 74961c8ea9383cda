"""The service's report sets its municipalities side by side with the service total; no hidden
cell can be recomputed from the rows (municipalities add up to the service) or the columns
(reasons add up to the flow total), and the report of one municipality holds its figures only."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from werkpad.analytics.suppression import Line, solvable_cells
from werkpad.cli.reports import report_app
from werkpad.reports.compute import service_comparison
from werkpad.reports.municipal_comparison import SERVICE
from werkpad.store.db import make_engine, upgrade
from werkpad.synth import run_synth

NAMES = ["Hillegom", "Lisse", "Noordwijkerhout"]
MOVE_ROWS = ("Verhuizing vanuit andere gemeente/land", "Verhuizing naar andere gemeente")


@pytest.fixture(scope="module")
def regional(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('hln') / 'hln.db'}"
    engine = make_engine(url)
    upgrade(engine)
    run_synth(engine, scale="hln", seed=11, replace=False, console=None)
    engine.dispose()
    return url


def _tables(url: str) -> list:
    engine = make_engine(url)
    try:
        return service_comparison(engine, date(2017, 12, 31), 2017, 10)
    finally:
        engine.dispose()


def test_the_service_table_has_each_municipality_and_the_service_total(regional: str) -> None:
    flows, clients = _tables(regional)
    assert flows.columns == ["Reden", *NAMES, SERVICE]
    totals = {row[0]: row[1:] for row in flows.rows if row[0].endswith("totaal")}
    # Bijlage 3, 2017: inflow 85, 72, 47; the service nets out 6 moves within it
    assert totals["Instroom: totaal"] == ["85", "72", "47", str(85 + 72 + 47 - 6)]
    assert clients.rows[0][1:4] == ["269", "254", "180"]


def test_no_hidden_cell_of_the_service_table_can_be_recomputed(regional: str) -> None:
    flows, _ = _tables(regional)
    cells = np.array([row[1:] for row in flows.rows], dtype=object)
    hidden = np.vectorize(lambda v: v in ("<10", "x"))(cells)
    shown = np.vectorize(lambda v: v not in ("<10", "x") and 0 < int(v) < 10)(cells)
    assert hidden.any() and not shown.any()  # every small count is hidden
    labels = [row[0] for row in flows.rows]
    flow_of = ["in" if i <= labels.index("Instroom: totaal") else "out" for i in range(len(labels))]
    lines: list[Line] = []
    for i, label in enumerate(labels):  # rows: municipalities add up to the service ...
        if label not in MOVE_ROWS and not label.endswith("totaal"):  # ... except moves
            lines.append(Line(tuple((i, j) for j in range(3)), (i, 3)))
    for block in ("in", "out"):  # columns: the reasons add up to the flow's total
        rows = [i for i, b in enumerate(flow_of) if b == block]
        total = rows[-1]
        for j in range(4):
            lines.append(Line(tuple((i, j) for i in rows[:-1]), (total, j)))
    assert solvable_cells(lines, hidden) == []


def test_the_report_of_one_municipality_holds_its_figures_only(
    regional: str, tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        report_app,
        [
            "--year",
            "2017",
            "--out",
            str(tmp_path),
            "--db",
            regional,
            "--zonder-effecten",
            "--gemeente",
            "Lisse",
        ],
    )
    assert result.exit_code == 0, result.output
    html = (tmp_path / "raadsrapportage-2017.html").read_text(encoding="utf-8")
    assert "raadsrapportage Lisse" in html
    assert "Gemeenten van de dienst naast elkaar" not in html
    # The recommendations chapter cites the evaluation of Hillegom, Lisse and Noordwijkerhout
    # as its source; no table or heading holds another municipality.
    tables = " ".join(re.findall(r"<table.*?</table>|<h[1-4].*?</h[1-4]>", html, flags=re.S))
    assert "<table" in tables
    assert "Hillegom" not in tables and "Noordwijkerhout" not in tables


def test_the_report_refuses_an_unknown_municipality(regional: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        report_app,
        ["--year", "2017", "--out", str(tmp_path), "--db", regional, "--gemeente", "Katwijk"],
    )
    assert result.exit_code == 2
    assert "Onbekende gemeente 'Katwijk'" in result.output
