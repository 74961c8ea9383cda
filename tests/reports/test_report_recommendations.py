"""The council report's chapter on the evaluators' recommendations (issue 18): every
recommendation KPI as a suppressed table with its definition, teams by name, and never a figure
per klantmanager."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from werkpad.cli.reports import report_app
from werkpad.store.db import make_engine, session_factory, upgrade
from werkpad.store.models import Team, User
from werkpad.synth import run_synth

RECOMMENDATION_KPIS = ("inflow_speed", "induction_week_uptake", "contact_intensity",
                       "lks_placements", "participation_outcomes", "long_stay_caseload",
                       "life_domains")  # fmt: skip


@pytest.fixture(scope="module")
def municipality(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("report")
    url = f"sqlite:///{folder / 'small.db'}"
    engine = make_engine(url)
    upgrade(engine)
    run_synth(engine, scale="small", seed=7, replace=False)
    engine.dispose()
    return folder, url


@pytest.fixture(scope="module")
def report(municipality: tuple[Path, str]) -> tuple[str, str]:
    """(the chapter, the whole report) of ``werkpad report`` on a small municipality."""
    folder, url = municipality
    result = CliRunner().invoke(
        report_app,
        ["--year", "2020", "--out", str(folder), "--db", url, "--peildatum", "2021-06-30",
         "--zonder-effecten"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    page = (folder / "raadsrapportage-2020.html").read_text(encoding="utf-8")
    chapter = re.search(r"<section class='recommendations'>(.*?)</section>", page, re.S)
    assert chapter, "no recommendations chapter"
    return chapter.group(1), page


@pytest.fixture(scope="module")
def names(municipality: tuple[Path, str]) -> dict[str, list[str]]:
    """The municipality's team names and klantmanagers' names."""
    engine = make_engine(municipality[1])
    with session_factory(engine)() as s:
        out = {
            "teams": list(s.scalars(select(Team.name))),
            "klantmanagers": list(
                s.scalars(select(User.full_name).where(User.role == "KLANTMANAGER"))
            ),
        }
    engine.dispose()
    return out


def _tables(chapter: str) -> list[list[list[str]]]:
    return [
        [[html.unescape(c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row)]
         for row in re.findall(r"<tr>(.*?)</tr>", table)]
        for table in re.findall(r"<table>(.*?)</table>", chapter, re.S)
    ]  # fmt: skip


def test_chapter_has_a_table_with_its_definition_for_every_recommendation_kpi(
    report: tuple[str, str],
) -> None:
    chapter, _ = report
    assert len(_tables(chapter)) == 8  # contact intensity twice: per track and per team
    for kpi_id in RECOMMENDATION_KPIS:
        assert f"[{kpi_id} v1," in chapter, kpi_id


def test_chapter_tables_hide_small_counts_and_say_so(report: tuple[str, str]) -> None:
    chapter, _ = report
    assert "&lt;10" in chapter
    assert "niet getoond om herleidbaarheid te voorkomen" in chapter


def test_chapter_names_teams_and_never_shows_a_figure_per_klantmanager(
    report: tuple[str, str], names: dict[str, list[str]]
) -> None:
    chapter, page = report
    team_table = next(t for t in _tables(chapter) if t[0][:2] == ["Jaar", "Team"])
    shown = {row[1] for row in team_table[1:]}
    assert shown - {"Totaal", "Zonder team"} <= set(names["teams"])
    assert shown & set(names["teams"])
    assert not any(re.fullmatch(r"Team \d+", name) for name in shown)
    assert "Klantmanager" not in {cell for table in _tables(chapter) for cell in table[0]}
    assert not [name for name in names["klantmanagers"] if name in page]
    assert "alleen voor de eigen teamleider" in chapter


def test_chapter_shows_labels_not_codes(report: tuple[str, str]) -> None:
    chapter, _ = report
    assert "Financiën (schulden)" in chapter and "Gestegen van trede 1-2" in chapter
    assert not re.search(r"<td>(DH_[ABCP]|financien|verslaving|aanvraag)</td>", chapter)
