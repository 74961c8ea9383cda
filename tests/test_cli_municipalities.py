"""``werkpad gemeente``: add the municipalities of a service and limit a user to one."""

from __future__ import annotations

from sqlalchemy import select
from tests import factories as f
from typer.testing import CliRunner

from werkpad.cli import app
from werkpad.store.db import make_engine, session_factory, transaction
from werkpad.store.models import Municipality, User


def test_gemeente_commands_add_municipalities_and_scope_a_user(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    with transaction(session_factory(engine)) as session:
        f.make_user(session, "ANALIST", None, username="rekenkamer")
    runner = CliRunner()
    for args in (
        ["toevoegen", "Hillegom", "--code", "0534"],
        ["toevoegen", "Lisse", "--code", "GM0553"],
    ):
        result = runner.invoke(app, ["gemeente", *args, "--db", sqlite_url])
        assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["gemeente", "beperk", "rekenkamer", "Lisse", "--db", sqlite_url])
    assert result.exit_code == 0, result.output
    with engine.connect() as conn:
        lisse = conn.execute(
            select(Municipality.id).where(Municipality.cbs_code == "0553")
        ).scalar()
        scope = conn.execute(
            select(User.municipality_id).where(User.username == "rekenkamer")
        ).scalar()
    assert scope == lisse
    wrong = runner.invoke(app, ["gemeente", "beperk", "rekenkamer", "Katwijk", "--db", sqlite_url])
    assert wrong.exit_code == 2 and "Onbekende gemeente 'Katwijk'" in wrong.output
    double = runner.invoke(app, ["gemeente", "toevoegen", "lisse", "--db", sqlite_url])
    assert double.exit_code == 2 and "Deze gemeente bestaat al." in double.output
    engine.dispose()
