"""``werkpad match`` prints an explained ranking, or JSON, and refuses bad input in Dutch."""

from __future__ import annotations

import json
from datetime import date

import typer
from sqlalchemy.orm import sessionmaker
from typer.testing import CliRunner

import factories as f
from werkpad.cli.matching import match_app
from werkpad.services.matching import save_work_profile
from werkpad.store.db import make_engine, session_factory
from werkpad.store.models import Referral

app = typer.Typer()
app.add_typer(match_app, name="match")


@app.command()
def _other() -> None:
    """A second command so "match" is a subcommand, as in werkpad.cli."""


def _seed(url: str) -> tuple[int, int]:
    engine = make_engine(url)
    factory: sessionmaker = session_factory(engine)
    with factory.begin() as session:
        am = f.make_user(session, role="ACCOUNTMANAGER")
        cand = f.make_candidate(session, first_name="Sanne", last_name="Visser")
        session.add(Referral(candidate_id=cand.id, referred_on=date(2026, 1, 5), state="OPEN"))
        save_work_profile(
            session,
            am,
            cand.id,
            today=date(2026, 1, 5),
            wished_sectors=["LOGISTICS"],
            hours_min=16,
            hours_max=32,
            radius_km=10,
            transport="FIETS",
        )
        vacancy = f.make_vacancy(session, f.make_employer(session))
        ids = (vacancy.id, cand.id)
    engine.dispose()
    return ids


def test_match_prints_the_ranked_candidates_with_reasons(sqlite_url: str) -> None:
    vacancy_id, candidate_id = _seed(sqlite_url)
    out = CliRunner().invoke(
        app, ["match", "--vacancy", str(vacancy_id), "--db", sqlite_url], terminal_width=200
    )
    assert out.exit_code == 0, out.output
    assert f"Sanne Visser ({candidate_id})" in out.output
    assert "sector past (Logistiek)" in out.output


def test_match_json_lists_results_with_criteria(sqlite_url: str) -> None:
    vacancy_id, candidate_id = _seed(sqlite_url)
    out = CliRunner().invoke(
        app, ["match", "--vacancy", str(vacancy_id), "--json", "--top", "5", "--db", sqlite_url]
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    (result,) = data["results"]
    assert result["candidate_id"] == candidate_id
    assert [c["criterion"] for c in result["criteria"]][:3] == [
        "occupation",
        "experience",
        "sector",
    ]


def test_match_for_a_candidate_lists_vacancies(sqlite_url: str) -> None:
    vacancy_id, candidate_id = _seed(sqlite_url)
    out = CliRunner().invoke(
        app, ["match", "--candidate", str(candidate_id), "--json", "--db", sqlite_url]
    )
    assert out.exit_code == 0, out.output
    assert [r["vacancy_id"] for r in json.loads(out.output)["results"]] == [vacancy_id]


def test_match_refuses_an_unknown_vacancy_and_missing_choice(sqlite_url: str) -> None:
    _seed(sqlite_url)
    unknown = CliRunner().invoke(app, ["match", "--vacancy", "999", "--db", sqlite_url])
    assert unknown.exit_code == 1
    assert "bestaat niet" in unknown.output
    neither = CliRunner().invoke(app, ["match", "--top", "3", "--db", sqlite_url])
    assert neither.exit_code == 2
