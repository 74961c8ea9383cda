"""A re-import must not blank what a klantmanager recorded since: a provision that the older
export still shows as running keeps the end, result and state entered on screen; a row that
does say how it ended still wins."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import sqlalchemy as sa

import factories as f
from werkpad.importing import import_folder
from werkpad.services.plans import complete_provision
from werkpad.store.db import make_engine, session_factory, transaction
from werkpad.store.models import Provision


def _provision(url: str, source_id: str) -> tuple[str, str | None, object]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            row = conn.execute(
                sa.select(Provision.state, Provision.result, Provision.end_date).where(
                    Provision.source_id == source_id
                )
            ).one()
            return row.state, row.result, row.end_date
    finally:
        engine.dispose()


def _complete_on_screen(url: str, source_id: str) -> None:
    engine = make_engine(url)
    with transaction(session_factory(engine)) as session:
        km = f.make_user(session, "KLANTMANAGER", f.make_team(session))
        provision = session.scalars(select_provision(source_id)).one()
        complete_provision(session, km, provision,
                           {"end_date": "2019-11-29", "result": "COMPLETED"},
                           today=date(2019, 12, 2))  # fmt: skip
    engine.dispose()


def select_provision(source_id: str) -> sa.Select[tuple[Provision]]:
    return sa.select(Provision).where(Provision.source_id == source_id)


def test_reimport_keeps_a_result_entered_on_screen_for_a_provision_the_file_shows_running(
    database_url: str, folder: Path
) -> None:
    import_folder(database_url, folder)
    assert _provision(database_url, "V009") == ("STARTED", None, None)
    _complete_on_screen(database_url, "V009")
    import_folder(database_url, folder)  # the same, older export again
    state, result, end = _provision(database_url, "V009")
    assert (state, result) == ("COMPLETED", "COMPLETED")
    assert str(end) == "2019-11-29"


def test_reimport_with_an_end_in_the_file_still_overwrites_it(
    sqlite_url: str, folder: Path, edit
) -> None:
    import_folder(sqlite_url, folder)
    _complete_on_screen(sqlite_url, "V009")
    edit(
        folder / "provisions.csv",
        "2019-10-15,,2400,,,",
        "2019-10-15,2020-01-31,2400,STOPPED_EARLY,STOPPED,Verhuisd",
    )
    import_folder(sqlite_url, folder)
    state, result, end = _provision(sqlite_url, "V009")
    assert (state, result, str(end)) == ("STOPPED", "STOPPED_EARLY", "2020-01-31")
