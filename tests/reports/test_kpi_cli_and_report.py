"""``werkpad kpi`` and ``werkpad report`` over a small synthetic municipality."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from werkpad.analytics.definitions import kpi_definitions
from werkpad.reports.cli import kpi_app, report_app
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
