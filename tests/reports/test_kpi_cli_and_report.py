"""``werkpad kpi`` and ``werkpad report`` over a small synthetic municipality."""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from werkpad.analytics.definitions import kpi_definitions
from werkpad.cli.reports import kpi_app, report_app
from werkpad.domain.codelists import code_list
from werkpad.store.db import make_engine, upgrade
from werkpad.synth import REFERENCE_DATE, run_synth

runner = CliRunner()


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('kpi') / 'small.db'}"
    engine = make_engine(url)
    upgrade(engine)
    run_synth(engine, scale="small", seed=7, replace=False)
    engine.dispose()
    return url


def test_kpi_json_holds_every_kpi_with_stable_ids_and_its_reference_date(small_db: str) -> None:
    result = runner.invoke(kpi_app, ["--json", "--db", small_db, "--peildatum", "2021-06-30"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["reference_date"] == "2021-06-30"
    assert payload["success_definition"] == "DURABLE_12M v1"
    ids = {row["kpi_id"] for row in payload["results"]}
    assert ids == set(kpi_definitions())
    row = payload["results"][0]
    assert set(row) >= {"kpi_id", "version", "kind", "unit", "period", "measure", "value",
                        "reference_date", "success_definition"}  # fmt: skip


def test_kpi_year_keeps_only_that_year_and_the_undated_figures(small_db: str) -> None:
    result = runner.invoke(
        kpi_app, ["--json", "--year", "2019", "--db", small_db, "--succes", "DURABLE_6M"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    periods = {row["period"] for row in payload["results"]}
    assert periods <= {"", "2019", "2019-Q1", "2019-Q2", "2019-Q3", "2019-Q4"}
    costs = [r for r in payload["results"] if r["kpi_id"] == "net_cost_per_durable_exit"]
    assert costs and {r["success_definition"] for r in costs} == {"DURABLE_6M v1"}


def test_kpi_refuses_an_unknown_success_definition(small_db: str) -> None:
    result = runner.invoke(kpi_app, ["--db", small_db, "--succes", "NOOIT"])
    assert result.exit_code == 2
    assert "Onbekende succesdefinitie" in result.output


def test_kpi_table_prints_dutch_names(small_db: str) -> None:
    result = runner.invoke(
        kpi_app, ["--db", small_db, "--year", "2020", "--peildatum", REFERENCE_DATE.isoformat()]
    )
    assert result.exit_code == 0, result.output
    assert "Redenen van beëindiging van routes" in result.output
    assert f"Peildatum {REFERENCE_DATE.isoformat()}" in result.output


def test_report_writes_html_and_a_pdf_whose_pages_render_non_empty(
    small_db: str, tmp_path: Path
) -> None:
    from PIL import Image

    out = tmp_path / "rapport"
    result = runner.invoke(
        report_app,
        ["--year", "2020", "--out", str(out), "--db", small_db, "--peildatum", "2021-06-30"],
    )
    assert result.exit_code == 0, result.output
    page_html = (out / "raadsrapportage-2020.html").read_text(encoding="utf-8")
    assert "<svg" in page_html and "<script" not in page_html
    assert "Samenvatting" in page_html and "Kosten" in page_html
    assert "niet getoond" in page_html  # small municipality: some cells are suppressed
    chapter = page_html[page_html.index("Effectmeting: helpt de ondersteuning aan werk?") :]
    assert chapter.count("procentpunt") >= 3  # three GOS codes with a reading each
    assert "betrouwbaarheidsinterval" in chapter
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "40",
            "-png",
            str(out / "raadsrapportage-2020.pdf"),
            str(tmp_path / "p"),
        ],
        check=True,
    )
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) >= 3
    for page in pages:
        grey = Image.open(page).convert("L")
        dark = sum(grey.histogram()[:200])
        assert dark > 500, f"{page.name} is (nearly) blank"


@pytest.fixture(scope="module")
def report_html(small_db: str) -> str:
    from werkpad.reports.compute import kpi_results, years_up_to
    from werkpad.reports.council import build_html

    engine = make_engine(small_db)
    try:
        _, ctx, results = kpi_results(
            engine, reference_date=REFERENCE_DATE, years=years_up_to(2020)
        )
    finally:
        engine.dispose()
    return build_html(results, ctx, year=2020)


def _tables(page: str) -> list[list[list[str]]]:
    """Every table of the report as rows of unescaped cell texts (header row first)."""
    return [
        [
            [html.unescape(cell) for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", table)
        ]
        for table in re.findall(r"<table>(.*?)</table>", page)
    ]


def _table(page: str, first_header: str) -> list[list[str]]:
    found = [t for t in _tables(page) if t[0][0] == first_header]
    assert found, f"no table starting with {first_header}"
    return found[0]


def test_report_shows_segment_and_target_labels_with_the_code_in_a_small_column(
    report_html: str,
) -> None:
    segments = {c.code: c.label_nl for c in code_list("segment")}
    for first in ("Segment", "Categorie"):
        table = _table(report_html, first)
        assert table[0][:2] == [first, "Code"]
        shown = {row[1]: row[0] for row in table[1:] if row[1]}
        assert shown, f"{first}: no coded rows"
        assert all(segments[code] == label for code, label in shown.items())
    goals = _table(report_html, "Doel")
    assert {row[0] for row in goals[1:]} >= {"Naar werk of school: 4.500 kandidaten per jaar"}
    assert "<td class='code'>DH_A</td>" in report_html
    # No bare code where a reader expects words.
    assert not re.search(r"<td>(DH_[ABCP]|DH_WORK_OR_SCHOOL|LV_NET_REDUCTION)</td>", report_html)


def test_report_hides_a_second_cell_wherever_a_total_would_give_a_small_count_away(
    report_html: str,
) -> None:
    checked = 0
    for table in _tables(report_html):
        header, rows = table[0], table[1:]
        has_total = any(row[0] == "Totaal" for row in rows)
        share_of_total = header[0] in ("Reden van beëindiging", "Duur")
        if not (has_total or share_of_total):
            continue
        for j, name in enumerate(header):
            if j == 0 or name == "Code" or "%" in name or name == "Soorten":
                continue
            hidden = [row[j] for row in rows if row[j] in ("<10", "x")]
            assert len(hidden) != 1, f"{header[0]} / {name}: one hidden cell next to a total"
            checked += 1
    assert checked >= 8
    reasons = _table(report_html, "Reden van beëindiging")
    routes = [row[1] for row in reasons[1:]]
    assert routes.count("<10") == 1 and routes.count("x") == 1  # the NUO count and one more
    assert "x = niet klein, maar ook verborgen" in report_html


COUNT_TEXT = re.compile(r"^-?\d{1,3}(\.\d{3})*$")
SHARE_TEXT = re.compile(r"^(-?\d+,\d%|–)$")
MONEY_TEXT = re.compile(r"^(€ -?\d{1,3}(\.\d{3})*|–)$")


def _cli_rows(output: str) -> list[list[str]]:
    """The body rows of the Rich tables: period, group, omschrijving, subgroup, measure, value."""
    rows = []
    for line in output.splitlines():
        cells = [cell.strip() for cell in line.split("│")[1:-1]]
        if len(cells) == 6:
            rows.append(cells)
    return rows


def test_kpi_table_prints_counts_as_dutch_integers_shares_as_percentages_and_money_in_euros(
    small_db: str,
) -> None:
    result = runner.invoke(
        kpi_app,
        ["--db", small_db, "--peildatum", REFERENCE_DATE.isoformat()],
        env={"COLUMNS": "220"},
    )
    assert result.exit_code == 0, result.output
    rows = _cli_rows(result.output)
    by_measure: dict[str, list[str]] = {}
    for _, _, _, _, measure, value in rows:
        by_measure.setdefault(measure, []).append(value)
    for measure in ("candidates", "routes", "provisions", "count", "stock", "dossiers"):
        assert by_measure[measure], measure
        assert all(COUNT_TEXT.match(v) for v in by_measure[measure]), (measure, by_measure[measure])
    assert any("." in v for v in by_measure["provisions"]), "a count over 1,000 with a '.'"
    for measure in ("share_pct", "durable_pct", "dropout_pct", "rate_pct"):
        assert all(SHARE_TEXT.match(v) for v in by_measure[measure]), (measure, by_measure[measure])
    for measure in ("budgeted", "actual", "per_unit"):
        assert all(MONEY_TEXT.match(v) for v in by_measure[measure]), (measure, by_measure[measure])
    assert not re.search(r"\d\.\d(?!\d)", result.output), "no float like 145.0 in the table"
    # Codes come with their Dutch label.
    assert any(r[1] == "DH_A" and r[2] == "A: op korte termijn aan het werk" for r in rows)
    assert any(r[1] == "JOB" and r[2] == "Uitstroom naar (parttime) baan" for r in rows)


def test_kpi_json_keeps_machine_values_and_names_the_unit_of_each_measure(small_db: str) -> None:
    result = runner.invoke(kpi_app, ["--json", "--db", small_db, "--year", "2020"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["results"]
    count = next(r for r in rows if r["kpi_id"] == "route_end_reasons" and r["measure"] == "count")
    assert isinstance(count["value"], float) and count["measure_unit"] == "aantal"
    share = next(r for r in rows if r["measure"] == "share_pct")
    assert share["measure_unit"] == "procent"
    money = next(r for r in rows if r["kpi_id"] == "budget_vs_actual")
    assert money["measure_unit"] == "euro" and isinstance(money["value"], float)
