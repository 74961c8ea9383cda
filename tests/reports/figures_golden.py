"""The numbers of ``werkpad kpi --json`` and of the council report on a small synthetic
municipality, in a form that does not depend on labels or layout.

``python -m tests.reports.figures_golden OUT.json`` writes the golden file that
``test_figures_golden.py`` compares against. It was generated from main's code before the
publication layer was introduced (issue 10), so the test proves the unification changed no
number.
"""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from werkpad.cli.reports import kpi_app, report_app
from werkpad.store.db import make_engine, upgrade
from werkpad.synth import run_synth

SEED = 7
PEILDATUM = "2021-06-30"
YEAR = "2020"
# A number as the report prints it (Dutch: '.' groups thousands, ',' separates decimals), also
# signed ("+2,5") or as a small-cell marker ("<10").
NUMBER = re.compile(r"[<+\-]?\d+(?:\.\d{3})*(?:,\d+)?")


def make_database(path: Path) -> str:
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    run_synth(engine, scale="small", seed=SEED, replace=False)
    engine.dispose()
    return url


def kpi_values(url: str) -> list[list[Any]]:
    """Every KPI row as [kpi_id, period, group, subgroup, measure, value], sorted."""
    result = CliRunner().invoke(kpi_app, ["--json", "--db", url, "--peildatum", PEILDATUM])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["results"]
    out = [
        [r["kpi_id"], r["period"], r["group"], r["subgroup"], r["measure"], r["value"]]
        for r in rows
    ]
    return sorted(out, key=lambda r: [str(v) for v in r[:5]])


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def _chart_bars(svg: str) -> list[str]:
    """The bars of a matplotlib chart: the outline path of each patch (its height is the
    value); the rest of the drawing (fonts, clip ids, date) is left out."""
    return re.findall(r'<g id="patch_\d+">\s*<path d="([^"]+)"', svg)


def report_numbers(page: str) -> dict[str, Any]:
    """The report's numbers: per table the numeric cells by (row, column), and the numbers of
    the running text (summary, notes, chart labels) in document order."""
    body = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    # The chapter on the evaluators' recommendations came after the golden file (issue 18).
    body = re.sub(r"<section class='recommendations'>.*?</section>", "", body, flags=re.S)
    charts = [_chart_bars(svg) for svg in re.findall(r"<svg.*?</svg>", body, flags=re.S)]
    body = re.sub(r"<svg.*?</svg>", " ", body, flags=re.S)
    tables = []
    for table in re.findall(r"<table>(.*?)</table>", body, flags=re.S):
        cells = []
        for i, row in enumerate(re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)):
            for j, cell in enumerate(re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, flags=re.S)):
                # The unit may move between header and cell ("Bedrag (euro)" / "€ 8.895").
                text = _text(cell).strip().removeprefix("€ ").removesuffix("%")
                if NUMBER.fullmatch(text) or text in ("x", "–"):
                    cells.append([i, j, text])
        tables.append(cells)
    rest = re.sub(r"<table>.*?</table>", " ", body, flags=re.S)
    text_numbers = NUMBER.findall(_text(rest))
    return {"tables": tables, "text": text_numbers, "charts": charts}


def report_page(url: str, out: Path) -> str:
    result = CliRunner().invoke(
        report_app, ["--year", YEAR, "--out", str(out), "--db", url, "--peildatum", PEILDATUM]
    )
    assert result.exit_code == 0, result.output
    return (out / f"raadsrapportage-{YEAR}.html").read_text(encoding="utf-8")


def figures(workdir: Path) -> dict[str, Any]:
    url = make_database(workdir / "small.db")
    return {
        "kpi": kpi_values(url),
        "report": report_numbers(report_page(url, workdir / "rapport")),
    }


def dump(data: dict[str, Any]) -> str:
    """JSON with one KPI row or one table per line, so a diff shows which figure moved."""

    def lines(items: list[Any]) -> str:
        return "[\n" + ",\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n]"

    report = data["report"]
    return (
        f'{{"kpi": {lines(data["kpi"])},\n"report": {{"tables": {lines(report["tables"])},\n'
        f'"text": {json.dumps(report["text"])},\n"charts": {lines(report["charts"])}}}}}\n'
    )


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        data = figures(Path(tmp))
    Path(sys.argv[1]).write_text(dump(data), encoding="utf-8")
